"""A unit's operator keeps the unit's profile (spec §1), on the workspace page and through PATCH /api/v1/units/{id}/.

Contacts, address, introduction and logo are the unit's; credit code, kind, status, star rating and grid
placement stay with staff. Every change keeps its history with who made it.
"""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from members import actions
from tests.members.factories import GridWorkerFactory, MemberUnitFactory, ResidentFactory, UnitOperatorFactory


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def png(size=(60, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_operator_patches_the_units_own_fields_and_the_history_says_who(unit, unit_operator):
    r = api(unit_operator).patch(
        f"/api/v1/units/{unit.pk}/",
        {
            "contact_name": "孙联络",
            "contact_phone": "0531-88881234",
            "address": "舜玉路1号",
            "introduction": "供电服务。",
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["contact_name"], r.json()["introduction"]) == ("孙联络", "供电服务。")
    unit.refresh_from_db()
    assert (unit.contact_name, unit.contact_phone, unit.address) == ("孙联络", "0531-88881234", "舜玉路1号")
    last = unit.history.first()
    assert last.history_user == unit_operator and last.contact_name == "孙联络"


@pytest.mark.parametrize(
    "field,value",
    [
        ("credit_code", "91370100MA3C5K8X1B"),
        ("kind", "school"),
        ("status", "withdrawn"),
        ("star_rating", 5),
        ("grid_node", 1),
        ("name", "改名"),
    ],
)
def test_fields_that_stay_with_staff_are_refused_with_400_and_nothing_changes(unit, unit_operator, field, value):
    before = (unit.credit_code, unit.kind, unit.status, unit.star_rating, unit.grid_node_id, unit.name)
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", {field: value, "contact_name": "新联系人"}, format="json")
    assert r.status_code == 400 and field in r.json()
    assert "管理员" in str(r.json()[field])
    unit.refresh_from_db()
    assert (unit.credit_code, unit.kind, unit.status, unit.star_rating, unit.grid_node_id, unit.name) == before
    assert unit.contact_name != "新联系人"  # the request is refused whole


@pytest.mark.parametrize(
    "body,field",
    [
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_name": "   "}, "contact_name"),
        ({"contact_name": "名" * 51}, "contact_name"),
        ({"address": "址" * 201}, "address"),
        ({"introduction": "介" * 2001}, "introduction"),
    ],
)
def test_bad_values_are_field_errors_in_chinese(unit, unit_operator, body, field):
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", body, format="json")
    assert r.status_code == 400 and field in r.json(), r.content


@pytest.mark.parametrize("body", [[1, 2], "文本", 5])
def test_a_body_that_is_not_an_object_is_400(unit, unit_operator, body):
    assert api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", body, format="json").status_code == 400


def test_another_units_operator_residents_and_grid_workers_are_refused(unit, community):
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    for user in (other, ResidentFactory(grid_node=community), GridWorkerFactory(grid_node=community)):
        r = api(user).patch(f"/api/v1/units/{unit.pk}/", {"contact_name": "冒名"}, format="json")
        assert r.status_code == 403
    assert api().patch(f"/api/v1/units/{unit.pk}/", {"contact_name": "冒名"}, format="json").status_code == 401
    unit.refresh_from_db()
    assert unit.contact_name != "冒名"


def test_a_suspended_unit_is_hidden_from_others_but_its_operator_keeps_its_profile(unit, unit_operator, community):
    unit.status = "suspended"
    unit.save()
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    assert api(other).patch(f"/api/v1/units/{unit.pk}/", {"contact_name": "冒名"}, format="json").status_code == 404
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", {"contact_name": "王联络"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "suspended"


def test_admins_in_scope_may_edit_the_profile_out_of_scope_may_not(unit, community_admin, other_community_admin):
    assert (
        api(community_admin).patch(f"/api/v1/units/{unit.pk}/", {"address": "新址"}, format="json").status_code == 200
    )
    assert (
        api(other_community_admin).patch(f"/api/v1/units/{unit.pk}/", {"address": "乱改"}, format="json").status_code
        == 403
    )
    unit.refresh_from_db()
    assert unit.address == "新址" and unit.history.first().history_user == community_admin


def test_put_and_delete_stay_closed(unit, unit_operator):
    assert api(unit_operator).put(f"/api/v1/units/{unit.pk}/", {}, format="json").status_code == 405
    assert api(unit_operator).delete(f"/api/v1/units/{unit.pk}/").status_code == 405


def test_a_logo_is_cleaned_like_every_photo_and_can_be_removed(media, unit, unit_operator):
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", {"logo": png()}, format="multipart")
    assert r.status_code == 200, r.content
    unit.refresh_from_db()
    assert unit.logo.name.startswith("units/logos/") and unit.logo.name.endswith(".png")
    assert r.json()["logo"].endswith(unit.logo.name)
    fake = SimpleUploadedFile("logo.png", b"<?php echo 1; ?>", content_type="image/png")
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", {"logo": fake}, format="multipart")
    assert r.status_code == 400 and "JPG" in str(r.json()["logo"])
    r = api(unit_operator).patch(f"/api/v1/units/{unit.pk}/", {"logo": None}, format="json")
    assert r.status_code == 200 and r.json()["logo"] is None


def test_the_action_refuses_by_role_and_field(unit, unit_operator, resident):
    with pytest.raises(PermissionDenied):
        actions.update_unit_profile(by=resident, unit=unit, contact_name="甲")
    with pytest.raises(ValidationError) as exc:
        actions.update_unit_profile(by=unit_operator, unit=unit, credit_code="X", contact_name="甲")
    assert set(exc.value.message_dict) == {"credit_code"}
    before = unit.history.count()
    actions.update_unit_profile(by=unit_operator, unit=unit, contact_name=unit.contact_name)
    assert unit.history.count() == before  # nothing changed, nothing recorded


# --- the workspace page ------------------------------------------------------------------------------------------


def test_the_operator_keeps_the_profile_on_the_workspace_page(client, media, unit, unit_operator):
    client.force_login(unit_operator)
    assert "本单位资料" in client.get(reverse("workspace")).content.decode()
    page = client.get(reverse("members_ws:unit")).content.decode()
    assert unit.credit_code in page and unit.name in page and 'name="credit_code"' not in page
    response = client.post(
        reverse("members_ws:unit"),
        {
            "contact_name": "赵联络",
            "contact_phone": "13953101234",
            "address": "舜华路2号",
            "introduction": "第一段。\n\n第二段。",
            "logo": png(),
            "credit_code": "91370100MA3C5K8X1B",  # not a field of the page: ignored
        },
        follow=True,
    )
    assert "单位资料已保存" in response.content.decode()
    unit.refresh_from_db()
    assert (unit.contact_name, unit.contact_phone, unit.introduction) == (
        "赵联络",
        "13953101234",
        "第一段。\n\n第二段。",
    )
    assert unit.logo and unit.credit_code != "91370100MA3C5K8X1B"
    assert unit.history.first().history_user == unit_operator


def test_the_page_shows_refusals_in_chinese_and_saves_nothing(client, unit, unit_operator):
    client.force_login(unit_operator)
    response = client.post(reverse("members_ws:unit"), {"contact_name": "钱联络", "contact_phone": "110"})
    assert response.status_code == 200 and "电话" in response.content.decode()
    unit.refresh_from_db()
    assert unit.contact_name != "钱联络"


def test_only_unit_operators_open_the_page(client, resident, grid_worker):
    for user in (resident, grid_worker):
        client.force_login(user)
        assert client.get(reverse("members_ws:unit")).status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, unit_operator):
    client.force_login(unit_operator)
    # session, user, the unit with its grid node and party organisation
    with django_assert_num_queries(3):
        assert client.get(reverse("members_ws:unit")).status_code == 200
