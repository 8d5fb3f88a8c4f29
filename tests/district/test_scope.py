"""A district admin sees every street; a street admin only theirs (admin lists, API lists, workspace, to-do)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.committee import actions
from alliance.committee.models import Matter
from alliance.core.cache import forget_all
from grids.models import District
from tests.alliance.factories import MatterFactory


@pytest.fixture
def matters(committee, west_committee):
    return (
        MatterFactory(committee=committee, title="舜玉路的议题", status=Matter.Status.UNDER_STUDY),
        MatterFactory(committee=west_committee, title="西站的议题", status=Matter.Status.UNDER_STUDY),
    )


def _html(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", ["/admin/alliance/matter/", "/admin/alliance/committee/", "/admin/grids/gridnode/"])
def test_a_district_admin_sees_every_street_in_the_admin(client, district_admin, matters, conference, url):
    html = _html(client, district_admin, url)
    assert ("舜玉路" in html) and ("西站" in html)


def test_a_street_admin_sees_only_their_street(client, street_admin, matters, conference):
    html = _html(client, street_admin, "/admin/alliance/matter/")
    assert "舜玉路的议题" in html and "西站的议题" not in html
    html = _html(client, street_admin, "/admin/alliance/committee/")
    assert "舜玉路街道大工委" in html and "西站街道大工委" not in html and "七里河区区域党建联席会议" not in html


def test_api_lists(client, district_admin, street_admin, matters):
    client.force_login(district_admin)
    titles = {m["title"] for m in client.get("/api/v1/matters/").json()["results"]}
    assert titles == {"舜玉路的议题", "西站的议题"}
    client.force_login(street_admin)
    titles = {m["title"] for m in client.get("/api/v1/matters/").json()["results"]}
    assert titles == {"舜玉路的议题"}


def test_api_committees_of_the_district_have_no_grid_node(client, district_admin, conference):
    client.force_login(district_admin)
    rows = client.get("/api/v1/committees/").json()["results"]
    district = next(r for r in rows if r["id"] == conference.pk)
    assert district["grid_node"] is None


def test_the_workspace_opens_for_a_district_admin(client, district_admin, matters):
    assert _html(client, district_admin, "/workspace/")
    assert _html(client, district_admin, "/workspace/services/orders/")


def test_the_todo_page_lists_matters_waiting_at_the_district(
    client, district_admin, west_admin, matters, conference, django_assert_max_num_queries
):
    waiting = actions.raise_to_district(by=west_admin, matter=matters[1])
    client.force_login(district_admin)
    client.get("/admin/")  # the session's first page
    forget_all()  # measure the lines built, not kept (alliance.site.workbench.kept_todo)
    with CaptureQueriesContext(connection) as one:
        html = client.get("/admin/").content.decode()
    assert "街道提交区联席会议待议决的议题" in html and f"/admin/alliance/matter/{waiting.pk}/change/" in html
    actions.raise_to_district(by=district_admin, matter=matters[0])
    with django_assert_max_num_queries(len(one)):
        html = client.get("/admin/").content.decode()
    # A street admin's to-do page has no district line: the district's matters are outside their street.
    html = _html(client, west_admin, "/admin/")
    assert f"/admin/alliance/matter/{waiting.pk}/change/" not in html


def test_the_matter_list_keeps_its_queries(client, district_admin, committee, west_committee, conference):
    client.force_login(district_admin)
    MatterFactory(committee=committee)
    client.get("/admin/alliance/matter/")  # the session's first page: the sidebar's app list is built once
    with CaptureQueriesContext(connection) as one:
        assert client.get("/admin/alliance/matter/").status_code == 200
    for c in (committee, west_committee, conference):
        MatterFactory.create_batch(3, committee=c)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/alliance/matter/").status_code == 200
    assert len(many) == len(one)


def test_the_district_record_is_kept_by_district_admins(client, district_admin, street_admin, superuser):
    District.load()
    client.force_login(street_admin)
    url = "/admin/grids/district/1/change/"
    assert client.post(url, {"name": "七里河区", "code": "620103"}).status_code == 403
    client.force_login(district_admin)
    response = client.post(url, {"name": "七里河区", "code": "620103", "description": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert District.load().name == "七里河区"


def test_a_district_admin_makes_street_admins_but_not_superusers(client, district_admin, west):
    from members.admin import assignable_roles

    roles = assignable_roles(district_admin)
    assert "street_admin" in roles and "district_admin" not in roles
