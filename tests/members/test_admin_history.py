"""Change history in the admin: who, when and what changed."""

from django.urls import reverse

from members.models import MemberUnit


def unit_form(unit, **over):
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "credit_code": unit.credit_code,
        "grid_node": unit.grid_node_id,
        "address": unit.address,
        "contact_name": unit.contact_name,
        "contact_phone": unit.contact_phone,
        "joined_on": unit.joined_on.isoformat(),
        "status": unit.status,
        "star_rating": unit.star_rating,
        "introduction": "",
        "party_organization-TOTAL_FORMS": 0,
        "party_organization-INITIAL_FORMS": 0,
        "pairings-TOTAL_FORMS": 0,
        "pairings-INITIAL_FORMS": 0,
    }
    data.update(over)
    return data


def test_editing_a_unit_records_who_when_and_what(client, community_admin, unit):
    client.force_login(community_admin)
    old_phone = unit.contact_phone

    response = client.post(
        reverse("admin:members_memberunit_change", args=[unit.pk]), unit_form(unit, contact_phone="0531-82345678")
    )

    assert response.status_code == 302
    latest = unit.history.first()
    assert latest.history_user == community_admin
    assert latest.history_type == "~"
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["contact_phone"]

    change_page = client.get(reverse("admin:members_memberunit_change", args=[unit.pk])).content.decode()
    assert reverse("admin:members_memberunit_history", args=[unit.pk]) in change_page and "历史" in change_page
    page = client.get(reverse("admin:members_memberunit_history", args=[unit.pk])).content.decode()
    assert str(community_admin) in page
    assert "联系电话" in page
    assert old_phone in page and "0531-82345678" in page


def test_bad_credit_code_in_the_admin_form_gets_a_chinese_message_and_changes_nothing(client, community_admin, unit):
    client.force_login(community_admin)

    response = client.post(
        reverse("admin:members_memberunit_change", args=[unit.pk]),
        unit_form(unit, credit_code="91370100000000001X", contact_phone="12345"),
    )

    errors = response.context["adminform"].form.errors
    assert "统一社会信用代码校验位不正确" in errors["credit_code"][0]
    assert "手机号码" in errors["contact_phone"][0]
    assert MemberUnit.objects.get(pk=unit.pk).history.count() == 1


def test_status_action_writes_history_per_unit(client, community_admin, unit):
    client.force_login(community_admin)

    client.post(
        reverse("admin:members_memberunit_changelist"),
        {"action": "suspend_units", "_selected_action": [unit.pk]},
    )

    unit.refresh_from_db()
    assert unit.status == MemberUnit.Status.SUSPENDED
    assert unit.history.first().history_user == community_admin
