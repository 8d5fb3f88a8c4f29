"""A street joint committee's matter raised to the district conference and handed back down (区街联动)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from alliance.committee import actions
from alliance.committee.models import Committee, Matter
from alliance.core.models import Notification
from tests.alliance.factories import CommitteeFactory, MatterFactory

S = Matter.Status


@pytest.fixture
def street_matter(west_committee):
    return MatterFactory(committee=west_committee, title="跨街道管网改造", status=S.UNDER_STUDY)


def test_a_street_admin_raises_a_matter_and_the_district_hands_it_back(
    street_matter, west_admin, district_admin, conference
):
    district_matter = actions.raise_to_district(by=west_admin, matter=street_matter, note="需区里统筹资金")
    street_matter.refresh_from_db()
    assert district_matter.committee == conference and district_matter.source == street_matter
    assert street_matter.escalated_to == district_matter and street_matter.escalated_by == west_admin
    assert street_matter.escalated_at is not None and street_matter.escalation_note == "需区里统筹资金"
    assert Notification.objects.filter(recipient=district_admin, title__contains="跨街道管网改造").exists()

    # While it waits at the district the street cannot decide it itself.
    with pytest.raises(ValidationError, match="已提交区联席会议"):
        actions.resolve_matter(by=west_admin, matter=street_matter, resolution="自行解决")

    back = actions.hand_back(by=district_admin, matter=district_matter, resolution="区住建局牵头分两期改造")
    district_matter.refresh_from_db()
    assert district_matter.status == S.RESOLVED and district_matter.resolved_by == district_admin
    assert back.pk == street_matter.pk
    street_matter.refresh_from_db()
    assert street_matter.status == S.RESOLVED and street_matter.resolution == "区住建局牵头分两期改造"
    assert street_matter.handed_back_by == district_admin and street_matter.handed_back_at is not None
    assert street_matter.follow_up_open  # the follow-up is the street's
    notice = Notification.objects.get(recipient=west_admin)
    assert "交回街道落实" in notice.title
    # The street follows it up as any resolved matter.
    actions.update_follow_up(by=west_admin, matter=street_matter, progress=40, note="一期开工")


def test_a_matter_is_raised_once(street_matter, west_admin, conference):
    actions.raise_to_district(by=west_admin, matter=street_matter)
    with pytest.raises(ValidationError, match="不能重复提交"):
        actions.raise_to_district(by=west_admin, matter=street_matter)
    assert Matter.objects.filter(committee=conference).count() == 1


def test_a_resolved_matter_is_not_raised(west_committee, west_admin, conference):
    matter = MatterFactory(committee=west_committee, status=S.RESOLVED)
    with pytest.raises(ValidationError, match="已议决"):
        actions.raise_to_district(by=west_admin, matter=matter)


def test_another_streets_admin_cannot_raise_it(street_matter, street_admin, conference):
    with pytest.raises(PermissionDenied):
        actions.raise_to_district(by=street_admin, matter=street_matter)
    street_matter.refresh_from_db()
    assert street_matter.escalated_to is None


@pytest.mark.parametrize("role", ["grid_worker", "resident", "unit_operator"])
def test_other_roles_cannot_raise_it(request, west_committee, conference, role, west_community):
    from tests.members.factories import GridWorkerFactory, MemberUnitFactory, ResidentFactory, UnitOperatorFactory

    matter = MatterFactory(committee=west_committee)
    user = {
        "grid_worker": lambda: GridWorkerFactory(grid_node=west_community),
        "resident": lambda: ResidentFactory(grid_node=west_community),
        "unit_operator": lambda: UnitOperatorFactory(unit=MemberUnitFactory(grid_node=west_community)),
    }[role]()
    with pytest.raises(PermissionDenied):
        actions.raise_to_district(by=user, matter=matter)


def test_only_street_joint_committees_raise(west, west_committee, west_admin, west_community, conference):
    community_committee = CommitteeFactory(grid_node=west_community, kind="community_party", parent=west_committee)
    with pytest.raises(ValidationError, match="只有街道大工委"):
        actions.raise_to_district(by=west_admin, matter=MatterFactory(committee=community_committee))


def test_no_conference_no_raising(street_matter, west_admin):
    with pytest.raises(ValidationError, match="尚未设立区联席会议"):
        actions.raise_to_district(by=west_admin, matter=street_matter)


def test_a_street_admin_cannot_hand_back_or_manage_the_district(street_matter, west_admin, conference):
    district_matter = actions.raise_to_district(by=west_admin, matter=street_matter)
    with pytest.raises(PermissionDenied):
        actions.hand_back(by=west_admin, matter=district_matter, resolution="自己批准")
    with pytest.raises(PermissionDenied):
        actions.study_matter(by=west_admin, matter=district_matter)
    assert not actions.can_manage(west_admin, conference)


def test_handing_back_twice_and_without_a_resolution_is_refused(
    street_matter, west_admin, district_admin, superuser, conference
):
    district_matter = actions.raise_to_district(by=west_admin, matter=street_matter)
    with pytest.raises(ValidationError):
        actions.hand_back(by=district_admin, matter=district_matter, resolution="  ")
    actions.hand_back(by=superuser, matter=district_matter, resolution="同意")
    with pytest.raises(ValidationError, match="不能重复交回"):
        actions.hand_back(by=district_admin, matter=district_matter, resolution="再交一次")


def test_a_district_matter_not_from_a_street_is_not_handed_back(district_admin, conference):
    matter = MatterFactory(committee=conference)
    with pytest.raises(ValidationError, match="只有街道提交"):
        actions.hand_back(by=district_admin, matter=matter, resolution="同意")


def test_district_admins_manage_district_committees(district_admin, superuser, conference, committee):
    assert actions.can_manage(district_admin, conference) and actions.can_manage(superuser, conference)
    assert actions.can_manage(district_admin, committee)  # and every street's


def test_only_district_committees_go_without_a_grid_node(db, street):
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(name="无网格大工委", kind=Committee.Kind.STREET_JOINT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(name="挂在街道的区联席会议", kind=Committee.Kind.DISTRICT_JOINT, grid_node=street)
    orphan = Committee(name="无上级的专业委员会", kind=Committee.Kind.PROFESSIONAL)
    with pytest.raises(ValidationError):
        orphan.full_clean()


def test_the_public_page_shows_the_trail(client, street_matter, west_admin, district_admin, conference):
    district_matter = actions.raise_to_district(by=west_admin, matter=street_matter)
    html = client.get(f"/alliance/matters/{district_matter.pk}/").content.decode()
    assert "提交区联席会议" in html and "等待中" in html
    actions.hand_back(by=district_admin, matter=district_matter, resolution="区里统筹")
    html = client.get(f"/alliance/matters/{street_matter.pk}/").content.decode()
    assert "提交区联席会议" in html and "区联席会议议决" in html and "交回街道落实" in html
    assert "区里统筹" in html


def test_the_portal_shows_the_district_conference(client, conference, committee):
    html = client.get("/alliance/").content.decode()
    assert "七里河区区域党建联席会议" in html and "区教育专业委员会" in html and "舜玉路街道大工委" in html
    assert client.get(f"/alliance/committees/{conference.pk}/").status_code == 200
    assert client.get(f"/alliance/committees/{conference.pk}/calendar.ics").status_code == 200


def test_the_api_raises_and_hands_back(client, street_matter, west_admin, district_admin, street_admin, conference):
    client.force_login(street_admin)
    url = f"/api/v1/matters/{street_matter.pk}/raise-to-district/"
    assert client.post(url, {"note": "请区里协调"}, content_type="application/json").status_code == 404
    client.force_login(west_admin)
    response = client.post(url, {"note": "请区里协调"}, content_type="application/json")
    assert response.status_code == 201, response.content
    district_id = response.json()["id"]
    # A street admin does not see the district's matter at all.
    back = f"/api/v1/matters/{district_id}/hand-back/"
    assert client.post(back, {"resolution": "x"}, content_type="application/json").status_code == 404
    client.force_login(district_admin)
    response = client.post(back, {"resolution": "同意，区里统筹"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    street_matter.refresh_from_db()
    assert street_matter.handed_back_by == district_admin
