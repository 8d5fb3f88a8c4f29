"""The admin ceiling of the bench (alliance.site.bench_views): the stock admin's change list of 50 rows of a small
table with five plain columns, mounted only with BENCH_CEILINGS=1, for the accounts the admin bench signs in as."""

import os
import subprocess
import sys

import pytest

from tests.members.factories import MemberUnitFactory

pytestmark = pytest.mark.django_db

URL = "/bench/admin/members/partyorganization/"


@pytest.fixture
def organisations(community):
    from members.models import PartyOrganization

    for n in range(60):
        PartyOrganization.objects.create(
            unit=MemberUnitFactory(grid_node=community), name=f"第{n}党支部", kind="branch", secretary="王书记"
        )


def test_without_the_switch_there_is_no_ceiling(client, superuser, organisations):
    client.force_login(superuser)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("who", ["superuser", "street_admin"])
def test_the_ceiling_is_the_stock_admin_list_of_fifty_rows_and_five_columns(
    client, settings, organisations, who, request
):
    settings.ROOT_URLCONF = "tests.bench.ceiling_urls"
    client.force_login(request.getfixturevalue(who))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="_selected_action"') == 50
    for column in ("id", "name", "kind", "secretary", "member_count"):
        assert f"column-{column}" in html
    assert 'id="changelist-filter"' not in html and 'id="searchbar"' not in html
    # The stock site, not the project's: its links stay under /bench/admin/.
    assert 'href="/bench/admin/members/partyorganization/' in html


def test_alliance_urls_mount_the_ceilings_only_with_the_switch():
    code = "import django; django.setup(); from django.urls import resolve; resolve('/bench/admin/'); print('mounted')"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings"}
    env.pop("BENCH_CEILINGS", None)
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    on = subprocess.run(
        [sys.executable, "-c", code], env={**env, "BENCH_CEILINGS": "1"}, capture_output=True, text=True
    )
    assert "mounted" not in off.stdout and "Resolver404" in off.stderr
    assert on.stdout.strip() == "mounted", on.stderr
