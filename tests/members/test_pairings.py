"""结对共建 as an agreement: signed by admins in scope, services recorded by either side, reviewed once a year,
terminated with a reason, expired and reminded once before the end; the admin and its export."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from alliance.core.errors import Conflict
from alliance.core.models import Notification
from members import actions
from members.models import Pairing, PairingCommitment, PairingService
from tests.members.factories import MemberUnitFactory, PairingFactory, UnitOperatorFactory

TODAY = timezone.localdate
PDF = b"%PDF-1.4\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    return out.getvalue()


def sign(by, unit, **kw):
    today = TODAY()
    return actions.create_pairing(
        by=by,
        unit=unit,
        starts_on=kw.pop("starts_on", today.replace(month=1, day=1)),
        ends_on=kw.pop("ends_on", today.replace(year=today.year + 2)),
        **kw,
    )


def test_a_community_admin_signs_a_pairing_with_commitments_and_its_agreement(community_admin, unit, community):
    upload = SimpleUploadedFile("协议书.pdf", PDF, content_type="application/pdf")
    pairing = sign(
        community_admin,
        unit,
        community=community,
        agreement=upload,
        commitments=[("unit", "每月开放会议室两次"), ("partner", "为职工子女提供假期托管")],
    )
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.grid_node == community
    assert pairing.agreement.name.endswith(".pdf")
    assert [c.text for c in pairing.commitments.order_by("side")] == ["为职工子女提供假期托管", "每月开放会议室两次"]


def test_an_image_agreement_is_kept_and_anything_else_refused(community_admin, unit, community):
    pairing = sign(community_admin, unit, community=community, agreement=SimpleUploadedFile("scan.png", png()))
    assert pairing.agreement.name.endswith(".png")
    with pytest.raises(ValidationError) as exc:
        actions.attach_agreement(
            by=community_admin, pairing=pairing, agreement=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")
        )
    assert "协议书只能是" in str(exc.value)


def test_two_units_pair_with_each_other_in_the_first_units_community(community_admin, unit, community):
    other = MemberUnitFactory(grid_node=community)
    pairing = sign(community_admin, unit, partner_unit=other)
    assert pairing.grid_node == community and pairing.partner_name == other.name


@pytest.mark.parametrize(
    "kw, field",
    [
        ({}, "community"),  # no partner
        ({"both": True}, "community"),  # two partners
        ({"self": True}, "partner_unit"),
        ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on"),
    ],
)
def test_a_pairing_has_exactly_one_partner_and_a_term_in_order(community_admin, unit, community, kw, field):
    extra = {"community": community} if "ends_on" in kw else {}
    if kw.pop("both", False):
        extra = {"community": community, "partner_unit": MemberUnitFactory(grid_node=community)}
    if kw.pop("self", False):
        extra = {"partner_unit": unit}
    with pytest.raises(ValidationError) as exc:
        sign(community_admin, unit, **extra, **kw)
    assert field in exc.value.message_dict


def test_only_admins_in_scope_sign_a_pairing(unit, community, unit_operator, other_community_admin, grid_worker):
    for user in (unit_operator, other_community_admin, grid_worker):
        with pytest.raises(PermissionDenied):
            sign(user, unit, community=community)
    assert not Pairing.objects.exists()


def test_either_sides_operator_records_a_service_and_others_are_refused(
    community, unit, unit_operator, resident, other_community_admin
):
    partner = MemberUnitFactory(grid_node=community)
    pairing = PairingFactory(unit=unit, community=None, partner_unit=partner)
    partner_operator = UnitOperatorFactory(unit=partner)
    for by, side in ((unit_operator, "unit"), (partner_operator, "partner")):
        actions.record_service(by=by, pairing=pairing, served_on=TODAY(), side=side, what="普法讲座", hours="2")
    outsider = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    for by in (resident, outsider, other_community_admin):
        with pytest.raises(PermissionDenied):
            actions.record_service(by=by, pairing=pairing, served_on=TODAY(), side="unit", what="讲座")
    assert PairingService.objects.filter(pairing=pairing).count() == 2


def test_a_service_in_the_future_or_under_an_ended_pairing_is_refused(community_admin, unit_operator, unit):
    pairing = PairingFactory(unit=unit)
    with pytest.raises(ValidationError) as exc:
        actions.record_service(
            by=unit_operator, pairing=pairing, served_on=TODAY() + datetime.timedelta(days=1), side="unit", what="x"
        )
    assert "served_on" in exc.value.message_dict
    actions.terminate_pairing(by=community_admin, pairing=pairing, reason="单位搬迁")
    assert pairing.status == Pairing.Status.TERMINATED and pairing.terminated_by == community_admin
    with pytest.raises(ValidationError):
        actions.record_service(by=unit_operator, pairing=pairing, served_on=TODAY(), side="unit", what="x")
    with pytest.raises(ValidationError):
        actions.terminate_pairing(by=community_admin, pairing=pairing, reason="再次终止")


def test_a_pairing_is_reviewed_once_a_year(community_admin, unit, unit_operator):
    pairing = PairingFactory(unit=unit)
    year = TODAY().year
    review = actions.review_pairing(by=community_admin, pairing=pairing, year=year, summary="履约良好", rating=5)
    assert review.reviewed_by == community_admin
    with pytest.raises(Conflict):
        actions.review_pairing(by=community_admin, pairing=pairing, year=year, summary="再评", rating=4)
    with pytest.raises(PermissionDenied):
        actions.review_pairing(by=unit_operator, pairing=pairing, year=year - 1, summary="自评", rating=5)


def test_the_expiry_reminder_goes_once_to_the_operators_and_the_communitys_admins(
    community, community_admin, unit, unit_operator, other_community_admin
):
    today = TODAY()
    soon = PairingFactory(
        unit=unit, starts_on=today.replace(year=today.year - 1), ends_on=today + datetime.timedelta(days=10)
    )
    PairingFactory(
        unit=unit, starts_on=today.replace(year=today.year - 2), ends_on=today + datetime.timedelta(days=200)
    )
    assert actions.remind_expiring_pairings(today=today) == 2
    assert actions.remind_expiring_pairings(today=today + datetime.timedelta(days=1)) == 0
    notes = Notification.objects.filter(key=f"pairing:{soon.pk}:expiring")
    assert {n.recipient for n in notes} == {unit_operator, community_admin}
    assert "还有10天" in notes.first().body


def test_a_pairing_past_its_end_expires_once(unit):
    today = TODAY()
    ended = PairingFactory(
        unit=unit, starts_on=today.replace(year=today.year - 3), ends_on=today - datetime.timedelta(days=1)
    )
    running = PairingFactory(unit=unit)
    assert actions.expire_pairings(today=today) == 1
    assert actions.expire_pairings(today=today) == 0
    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == Pairing.Status.EXPIRED and ended.expired_at is not None
    assert running.status == Pairing.Status.ACTIVE


@pytest.mark.worker
def test_a_real_worker_sends_the_expiry_reminder_once(celery_worker, community, unit, unit_operator):
    import time  # only this test waits for the worker

    from alliance.core.enqueue import enqueue_on_commit

    today = TODAY()
    pairing = PairingFactory(
        unit=unit, starts_on=today.replace(year=today.year - 1), ends_on=today + datetime.timedelta(days=5)
    )
    enqueue_on_commit("members.remind_expiring_pairings")
    enqueue_on_commit("members.remind_expiring_pairings")
    key = f"pairing:{pairing.pk}:expiring"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Notification.objects.filter(key=key).exists():
        time.sleep(0.3)
    time.sleep(1)
    assert Notification.objects.filter(key=key, recipient=unit_operator).count() == 1


# --- the admin ----------------------------------------------------------------------------------------


def test_the_admin_signs_through_the_action_and_adds_commitments(client, community_admin, unit, community):
    client.force_login(community_admin)
    today = TODAY()
    response = client.post(
        reverse("admin:members_pairing_add"),
        {
            "unit": unit.pk,
            "community": community.pk,
            "starts_on": today.replace(month=1, day=1).isoformat(),
            "ends_on": today.replace(year=today.year + 1).isoformat(),
            "agreement": SimpleUploadedFile("协议书.pdf", PDF),
            "commitments-TOTAL_FORMS": 1,
            "commitments-INITIAL_FORMS": 0,
            "commitments-0-side": "unit",
            "commitments-0-text": "开放职工食堂为社区老人助餐",
            "deliveries-TOTAL_FORMS": 0,
            "deliveries-INITIAL_FORMS": 0,
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pairing = Pairing.objects.get()
    assert pairing.created_by == community_admin and pairing.grid_node == community
    assert PairingCommitment.objects.get(pairing=pairing).text == "开放职工食堂为社区老人助餐"


def test_the_admin_records_a_service_through_its_button(client, community_admin, unit):
    pairing = PairingFactory(unit=unit)
    client.force_login(community_admin)
    url = reverse("admin:members_pairing_transition", args=[pairing.pk, "record_service"])
    data = {"served_on": TODAY().isoformat(), "side": "unit", "what": "义诊", "people_served": 30, "hours": "3"}
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    assert PairingService.objects.get(pairing=pairing).recorded_by == community_admin


def test_the_export_has_the_scoped_pairings_with_commitments_and_totals(client, community_admin, unit, other_community):
    pairing = PairingFactory(unit=unit)
    PairingCommitment.objects.create(pairing=pairing, side="unit", text="开放场地")
    PairingService.objects.create(
        pairing=pairing, served_on=TODAY(), side="unit", what="讲座", people_served=40, hours=2
    )
    PairingFactory(unit=MemberUnitFactory(grid_node=other_community))
    client.force_login(community_admin)
    response = client.get(reverse("admin:members_pairing_export_excel"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["甲方（成员单位）"] == unit.name and row["甲方承诺"] == "开放场地"
    assert row["服务次数"] == 1 and row["服务人数"] == 40 and row["状态"] == "生效中"
