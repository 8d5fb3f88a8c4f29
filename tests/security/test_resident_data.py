"""Residents' data: full phone numbers never on a public surface; a resident downloads their own data
and can be erased, their records kept anonymised so the statistics still add up."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from alliance.site.privacy_views import ERASED_NAME
from alliance.urls import router
from members.models import User
from services.models import Issue, IssuePhoto, Order
from tests.members.factories import PartyMemberFactory
from tests.security.world import build_world


@pytest.fixture
def world(db):
    w = build_world()
    PartyMemberFactory(unit=w.unit, community=w.community, phone="13612345678")
    return w


def _full_phones(w) -> set[str]:
    phones = {u.phone for u in User.objects.all() if u.phone}
    phones |= {w.unit.contact_phone, w.other_unit.contact_phone, "13912345678", "13612345678"}
    phones |= set(Order.objects.values_list("contact_phone", flat=True)) | set(
        Issue.objects.values_list("contact_phone", flat=True)
    )
    return {p for p in phones if p}


def _public_pages(w) -> list[str]:
    return [
        "/",
        "/grid/",
        f"/grid/{w.community.pk}/",
        f"/grid/{w.micro_grid.pk}/",
        "/lists/",
        "/lists/resources/",
        f"/lists/resources/{w.resource.pk}/",
        "/lists/needs/",
        f"/lists/needs/{w.need.pk}/",
        "/lists/projects/",
        f"/lists/projects/{w.project.pk}/",
        f"/lists/projects/{w.fund_project.pk}/",
        "/lists/wishes/",
        f"/lists/wishes/{w.wish.pk}/",
        "/services/",
        "/services/menu/",
        f"/services/menu/{w.menu_item.pk}/",
        "/services/stations/",
        f"/services/stations/{w.station.pk}/",
        f"/services/rooms/{w.room.pk}/",
        "/services/activities/",
        f"/services/activities/{w.activity.pk}/",
        "/alliance/",
        f"/alliance/committees/{w.committee.pk}/",
        "/alliance/meetings/",
        f"/alliance/meetings/{w.meeting.pk}/",
        "/alliance/matters/",
    ]


def test_no_full_phone_number_on_any_public_page(client, world):
    phones = _full_phones(world)
    assert len(phones) >= 5
    leaks = []
    for path in _public_pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        leaks += [f"{path}: {p}" for p in phones if p in html]
    assert leaks == []


def test_no_full_phone_number_in_the_anonymous_api(world):
    phones = _full_phones(world)
    api = APIClient()
    leaks = []
    for prefix, _viewset, _basename in router.registry:
        for url in (f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{world.records[prefix].pk}/"):
            response = api.get(url)
            if response.status_code == 200:
                leaks += [f"{url}: {p}" for p in phones if p in response.content.decode()]
    assert leaks == []


def test_the_grid_page_shows_the_post_holders_phone_masked(client, world):
    html = client.get(f"/grid/{world.micro_grid.pk}/").content.decode()

    assert "139****5678" in html


# --- download --------------------------------------------------------------------------------------------------


def test_a_resident_downloads_their_own_data_as_json(client, world):
    me = world.users["resident"]
    client.force_login(me)

    response = client.get("/accounts/privacy/export.json")

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["账号"][0]["手机号码"] == me.phone
    assert [o["服务地址"] for o in data["点单"]] == [world.order.address]
    assert [i["标题"] for i in data["居民说事"]] == [world.issue.title]
    assert len(data["场地预约"]) == 1 and len(data["微心愿"]) == 1 and len(data["消息"]) == 1
    assert world.other_resident.phone not in response.content.decode()


def test_a_resident_downloads_their_own_data_as_excel(client, world):
    client.force_login(world.users["resident"])

    response = client.get("/accounts/privacy/export.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert {"账号", "点单", "居民说事", "场地预约", "活动报名", "微心愿", "消息"} <= set(book.sheetnames)
    assert book["点单"].max_row == 2  # header + the one order


def test_download_needs_an_account(client, db):
    response = client.get("/accounts/privacy/export.json")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- erasure ---------------------------------------------------------------------------------------------------


def test_erasure_anonymises_the_resident_and_keeps_their_records(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    me = world.users["resident"]
    photo = IssuePhoto.objects.create(issue=world.issue, image=ContentFile(b"jpeg", name="p.jpg"))
    photo_path = photo.image.path
    orders_before, issues_before = Order.objects.count(), Issue.objects.count()
    client.force_login(me)
    assert "注销账号" in client.get("/accounts/privacy/").content.decode()

    response = client.post("/accounts/privacy/erase/", {"confirm": "yes"})

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.display_name == ERASED_NAME and me.phone == "" and me.address == ""
    assert not me.is_active and not me.has_usable_password()
    assert Order.objects.count() == orders_before and Issue.objects.count() == issues_before
    world.order.refresh_from_db()
    world.issue.refresh_from_db()
    assert world.order.resident_id == me.pk and world.order.contact_phone == "" and world.order.address == ""
    assert world.issue.contact_phone == "" and not world.issue.photos.exists()
    assert not (tmp_path / photo_path).exists()
    assert not me.notifications.exists()
    # Nothing personal left in the history either.
    assert not User.history.filter(id=me.pk).exclude(phone="").exists()
    assert not Order.history.filter(resident_id=me.pk).exclude(contact_phone="").exists()
    # Signed out and unable to sign in again.
    assert client.get("/accounts/privacy/").status_code == 302
    client.post("/accounts/login/", {"username": me.username, "password": "pass-word-123"})
    assert "_auth_user_id" not in client.session


def test_erasure_needs_the_confirmation(client, world):
    me = world.users["resident"]
    client.force_login(me)

    client.post("/accounts/privacy/erase/", {})

    me.refresh_from_db()
    assert me.is_active and me.display_name != ERASED_NAME


def test_staff_accounts_are_not_erased_by_themselves(client, world):
    admin = world.users["community_admin"]
    client.force_login(admin)

    response = client.post("/accounts/privacy/erase/", {"confirm": "yes"})

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active
