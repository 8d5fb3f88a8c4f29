"""Individual claims (党员主动认领服务项目): party members and residents who volunteer claim projects open to
individuals, within the individual places (exactly, under concurrency), report their hours, and on completion the
hours and points reach the member's record and pioneer index."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.core.errors import Conflict
from alliance.demo import grids as grids_demo
from alliance.demo import individual_claims as individual_demo
from alliance.demo import members as members_demo
from alliance.points import awards
from alliance.points.indexes import pioneer_indexes
from alliance.points.models import PointsEntry, PointsKind
from projects import actions
from projects.models import Claim, ListSettings, Project
from tests.concurrency import all_at_once
from tests.members.factories import (
    GridWorkerFactory,
    MemberUnitFactory,
    PartyMemberFactory,
    ResidentFactory,
    UnitOperatorFactory,
    UserFactory,
)
from tests.projects.factories import PersonClaimFactory, ProjectFactory, category


def member_user(community, **kwargs):
    """A party member's account with its member record in ``community`` (points need the record)."""
    user = UserFactory(role="party_member", grid_node=community, **kwargs)
    PartyMemberFactory(user=user, community=community, name=user.display_name)
    return user


def open_project(community, **kwargs):
    options = {"capacity": 1, "allows_individuals": True, "individual_capacity": 3, **kwargs}
    return ProjectFactory(grid_node=community, **options)


# --- by role ---------------------------------------------------------------------------------------------


def test_a_party_member_claims_an_individual_place_and_staff_decide(community, community_admin):
    project = open_project(community)
    user = member_user(community)

    claim = actions.claim_project(by=user, project=project, note="周末可以来")

    assert (claim.person, claim.unit, claim.status) == (user, None, Claim.Status.PENDING)
    project.refresh_from_db()
    # the person holds an individual place; the units' places stay free
    assert (project.active_individual_claims, project.active_claims) == (1, 0)
    with pytest.raises(PermissionDenied):
        actions.approve_claim(by=user, claim=claim)
    assert actions.approve_claim(by=community_admin, claim=claim).status == Claim.Status.APPROVED


def test_a_resident_who_volunteers_claims_too(community):
    resident = ResidentFactory(grid_node=community)
    claim = actions.claim_project(by=resident, project=open_project(community))
    assert claim.person == resident


def test_a_resident_cannot_claim_a_project_that_is_not_open_to_individuals(community):
    project = ProjectFactory(grid_node=community)
    with pytest.raises(PermissionDenied, match="不接受个人认领"):
        actions.claim_project(by=ResidentFactory(grid_node=community), project=project)
    assert not Claim.objects.filter(project=project).exists()


def test_a_unit_operator_claims_for_the_unit_never_as_a_person(community):
    project = open_project(community, capacity=1)
    first = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    claim = actions.claim_project(by=first, project=project)
    assert (claim.unit_id, claim.person_id) == (first.unit_id, None)
    # the units' place is taken: a second operator is refused although individual places are free
    second = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    with pytest.raises(Conflict, match="认领名额已满"):
        actions.claim_project(by=second, project=project)
    project.refresh_from_db()
    assert (project.active_claims, project.active_individual_claims) == (1, 0)


@pytest.mark.parametrize("staff", ["grid_worker", "community_admin", "street_admin"])
def test_staff_do_not_claim_as_persons(request, community, staff):
    with pytest.raises(PermissionDenied):
        actions.claim_project(by=request.getfixturevalue(staff), project=open_project(community))


def test_one_active_claim_per_person_and_a_rejected_one_may_claim_again(community, community_admin):
    project = open_project(community)
    user = member_user(community)
    claim = actions.claim_project(by=user, project=project)
    with pytest.raises(Conflict, match="您已认领过该项目。"):
        actions.claim_project(by=user, project=project)
    actions.reject_claim(by=community_admin, claim=claim, note="名额已安排")
    project.refresh_from_db()
    assert project.active_individual_claims == 0  # the rejection freed the person's place
    again = actions.claim_project(by=user, project=project)
    assert again.pk != claim.pk and again.status == Claim.Status.PENDING


def test_the_individual_places_are_the_limit(community):
    project = open_project(community, individual_capacity=1)
    actions.claim_project(by=member_user(community), project=project)
    with pytest.raises(Conflict, match="个人认领名额已满"):
        actions.claim_project(by=ResidentFactory(grid_node=community), project=project)


def test_volunteers_may_join_work_under_way_units_may_not(community):
    project = open_project(community, capacity=2, status=Project.Status.IN_PROGRESS)
    assert actions.claim_project(by=member_user(community), project=project).person_id
    with pytest.raises(ValidationError, match="当前不接受认领"):
        actions.claim_project(by=UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)), project=project)
    with pytest.raises(ValidationError, match="当前不接受认领"):
        actions.claim_project(by=member_user(community), project=open_project(community, status="completed"))


def test_the_database_holds_the_rules(community):
    project = open_project(community)
    user = member_user(community)
    unit = MemberUnitFactory(grid_node=community)
    for fields in ({"unit": unit, "person": user}, {}):  # both a unit and a person, or neither
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.create(project=project, **fields)
    Claim.objects.create(project=project, person=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(project=project, person=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(active_individual_claims=4)  # over the 3 places
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(individual_capacity=0)  # open to individuals, no place


def test_a_project_open_to_individuals_needs_a_place(community, community_admin):
    with pytest.raises(ValidationError) as refused:
        actions.create_project(
            by=community_admin,
            title="助老陪伴",
            category=category(),
            grid_node=community,
            allows_individuals=True,
            individual_capacity=0,
        )
    assert refused.value.message_dict["individual_capacity"] == ["个人可认领的项目至少要有 1 个个人名额。"]


# --- hours and points --------------------------------------------------------------------------------------


def test_hours_reach_the_members_points_and_pioneer_index_on_completion(community, community_admin):
    project = open_project(community, title="助老陪伴")
    user = member_user(community)
    claim = actions.claim_project(by=user, project=project)
    actions.approve_claim(by=community_admin, claim=claim)

    actions.report_progress(by=user, claim=claim, hours="2.5", text="陪老人聊天、读报")
    actions.report_progress(by=user, claim=claim, hours=Decimal("1.5"), text="帮老人理发")
    claim.refresh_from_db()
    assert claim.hours == Decimal("4.00") and claim.status == Claim.Status.IN_PROGRESS
    assert claim.reports.first().text.startswith("服务 1.5 小时。")
    assert not PointsEntry.objects.exists()  # reported hours count once the community confirms them

    # the person cannot confirm their own hours; staff complete the claim
    with pytest.raises(PermissionDenied):
        actions.complete_claim(by=user, claim=claim)
    actions.complete_claim(by=community_admin, claim=claim)
    actions.evaluate_claim(by=community_admin, claim=claim, rating=5, comment="老人们很满意")

    entries = {e.kind: e for e in PointsEntry.objects.filter(member__user=user)}
    assert set(entries) == {PointsKind.CLAIM_COMPLETED, PointsKind.VOLUNTEER_HOURS, PointsKind.CLAIM_EVALUATED}
    assert entries[PointsKind.VOLUNTEER_HOURS].hours == Decimal("4.00")
    assert entries[PointsKind.VOLUNTEER_HOURS].points == 4  # 1 point an hour (the default rule)
    assert "助老陪伴" in entries[PointsKind.VOLUNTEER_HOURS].reason
    member = user.party_member
    index = pioneer_indexes(street_id=community.street_id, year=timezone.localdate().year)
    assert index[member.pk] > 0
    # the event heard twice (a retry) awards nothing more
    assert awards.award_claim_completed(claim=Claim.objects.get(pk=claim.pk)) == []
    assert PointsEntry.objects.filter(member=member).count() == 3


def test_a_resident_keeps_the_hours_without_points(community, community_admin):
    resident = ResidentFactory(grid_node=community)
    claim = actions.claim_project(by=resident, project=open_project(community))
    actions.approve_claim(by=community_admin, claim=claim)
    actions.report_progress(by=resident, claim=claim, hours="3", text="打扫楼道")
    actions.complete_claim(by=community_admin, claim=claim)
    claim.refresh_from_db()
    assert claim.hours == Decimal("3.00") and claim.status == Claim.Status.COMPLETED
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (None, "请填写本次服务时长（小时）。"),
        ("0", "服务时长须在 0.5 到 24 小时之间，以半小时计。"),
        ("25", "服务时长须在 0.5 到 24 小时之间，以半小时计。"),
        ("1.2", "服务时长须在 0.5 到 24 小时之间，以半小时计。"),
        ("NaN", "服务时长须在 0.5 到 24 小时之间，以半小时计。"),
        ("两小时", "请填写服务时长（小时）。"),
    ],
)
def test_a_persons_report_needs_sensible_hours(community, hours, message):
    claim = PersonClaimFactory(project=open_project(community), status=Claim.Status.APPROVED)
    with pytest.raises(ValidationError) as refused:
        actions.report_progress(by=claim.person, claim=claim, hours=hours, text="服务了")
    assert refused.value.message_dict["hours"] == [message]


def test_only_the_person_reports_on_their_claim(community, unit_operator):
    claim = PersonClaimFactory(project=open_project(community), status=Claim.Status.APPROVED)
    for someone in (member_user(community), unit_operator):
        with pytest.raises(PermissionDenied):
            actions.report_progress(by=someone, claim=claim, hours="1", text="不是我的")


def test_a_units_report_has_no_personal_hours(community, unit_operator, community_admin):
    claim = actions.claim_project(by=unit_operator, project=open_project(community))
    actions.approve_claim(by=community_admin, claim=claim)
    with pytest.raises(ValidationError) as refused:
        actions.report_progress(by=unit_operator, claim=claim, hours="2", text="完成第一次义诊")
    assert "hours" in refused.value.message_dict


def test_the_person_hears_of_the_decision_and_of_a_claim_with_no_progress(community, community_admin):
    ListSettings.objects.update_or_create(pk=1, defaults={"no_progress_days": 7})
    user = member_user(community)
    claim = actions.claim_project(by=user, project=open_project(community, title="楼道清理"))
    assert community_admin.notifications.filter(key=f"claim:{claim.pk}:submitted", title__contains="个人").exists()
    actions.approve_claim(by=community_admin, claim=claim)
    approved = user.notifications.get(key=f"claim:{claim.pk}:approved")
    assert "服务时长" in approved.body and approved.url == reverse("projects:my_claim", args=[claim.pk])
    Claim.objects.filter(pk=claim.pk).update(last_progress_at=timezone.now() - datetime.timedelta(days=8))
    assert actions.remind_stale_claims() == 1
    assert actions.remind_stale_claims() == 0
    assert user.notifications.filter(key=f"claim:{claim.pk}:no-progress:1").exists()


# --- the race ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_persons_get_exactly_the_individual_places(community):
    # Given a project open to individuals with 5 individual places (and 1 unit place), and 20 people
    project = open_project(community, capacity=1, individual_capacity=5)
    people = [UserFactory(role="party_member" if i % 2 else "resident", grid_node=community) for i in range(20)]

    # When they all claim at once, each on its own connection
    results = all_at_once([lambda p=p: actions.claim_project(by=p, project=project) for p in people])

    # Then exactly five hold a place, the others were told the places are full
    assert results.count("ok") == 5, results
    assert results.count("该项目个人认领名额已满") == 15, results
    project.refresh_from_db()
    assert Claim.objects.filter(project=project, person__isnull=False).count() == 5
    assert (project.active_individual_claims, project.active_claims) == (5, 0)


@pytest.mark.django_db(transaction=True)
def test_one_person_claiming_twenty_times_at_once_gets_one_claim(community):
    project = open_project(community, individual_capacity=5)
    person = UserFactory(role="party_member", grid_node=community)
    results = all_at_once([lambda: actions.claim_project(by=person, project=project) for _ in range(20)])
    assert results.count("ok") == 1 and results.count("您已认领过该项目。") == 19, results
    project.refresh_from_db()
    assert project.active_individual_claims == 1


# --- portal -----------------------------------------------------------------------------------------------


def test_a_party_member_claims_from_the_project_page(client, community):
    project = open_project(community)
    user = member_user(community)
    client.force_login(user)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "我要认领" in page and "个人名额" in page
    response = client.post(reverse("projects:claim", args=[project.pk]), {"note": "周六上午有空"})
    claim = Claim.objects.get(person=user)
    assert response.url == reverse("projects:my_claim", args=[claim.pk])
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "我要认领" not in page and "待审核" in page


def test_the_button_is_not_offered_where_it_does_not_apply(client, community, unit_operator):
    closed = ProjectFactory(grid_node=community)
    client.force_login(ResidentFactory(grid_node=community))
    assert "我要认领" not in client.get(reverse("projects:project", args=[closed.pk])).content.decode()
    client.force_login(unit_operator)
    page = client.get(reverse("projects:project", args=[open_project(community).pk])).content.decode()
    assert "我要认领" not in page and "我单位认领" in page


def test_the_person_reports_hours_on_their_claim_page(client, community):
    claim = PersonClaimFactory(project=open_project(community), status=Claim.Status.APPROVED)
    client.force_login(claim.person)
    url = reverse("projects:my_claim", args=[claim.pk])
    assert "填报服务时长" in client.get(url).content.decode()
    response = client.post(url, {"hours": "2", "text": "陪老人散步"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.hours == Decimal("2.00") and claim.status == Claim.Status.IN_PROGRESS
    # a refused value shows the form again with the reason
    page = client.post(url, {"hours": "0.3", "text": "又去了"}).content.decode()
    assert "0.5" in page
    claim.refresh_from_db()
    assert claim.hours == Decimal("2.00")


def test_someone_elses_claim_is_not_found(client, community):
    claim = PersonClaimFactory(project=open_project(community))
    client.force_login(member_user(community))
    assert client.get(reverse("projects:my_claim", args=[claim.pk])).status_code == 404


def test_my_claims_shows_each_state(client, community):
    user = member_user(community)
    for status in (Claim.Status.PENDING, Claim.Status.IN_PROGRESS, Claim.Status.EVALUATED):
        PersonClaimFactory(project=open_project(community), person=user, status=status)
    client.force_login(user)
    page = client.get(reverse("projects:my_claims")).content.decode()
    assert "待审核" in page and "实施中" in page and "已评价" in page
    assert reverse("projects:my_claims") in client.get(reverse("portal:mine")).content.decode()


def test_my_claims_runs_a_fixed_number_of_queries(client, community, django_assert_num_queries):
    user = member_user(community)
    PersonClaimFactory(project=open_project(community), person=user)
    client.force_login(user)
    # session, user, count, the page of claims with their projects and grid nodes
    with django_assert_num_queries(4):
        assert client.get(reverse("projects:my_claims")).status_code == 200
    for _ in range(6):
        PersonClaimFactory(project=open_project(community), person=user)
    with django_assert_num_queries(4):
        assert client.get(reverse("projects:my_claims")).status_code == 200


def test_the_admin_shows_the_claimant_with_a_masked_phone(client, community, community_admin):
    user = member_user(community, phone="13912345678", display_name="王志愿")
    PersonClaimFactory(project=open_project(community), person=user)
    client.force_login(community_admin)
    page = client.get(reverse("admin:projects_claim_changelist") + "?claimant=person").content.decode()
    assert "王志愿" in page and "139****5678" in page and "13912345678" not in page


# --- API --------------------------------------------------------------------------------------------------


def test_a_person_claims_and_reports_through_the_api(community, community_admin):
    api = APIClient()
    project = open_project(community)
    user = member_user(community, phone="13812345678")
    api.force_authenticate(user)
    response = api.post(f"/api/v1/projects/{project.pk}/claim/", {"note": "我会理发"})
    assert response.status_code == 201
    body = response.json()
    assert (body["person"], body["unit"], body["person_phone"]) == (user.pk, None, "138****5678")
    assert api.post(f"/api/v1/projects/{project.pk}/claim/").json()["detail"] == "您已认领过该项目。"
    actions.approve_claim(by=community_admin, claim=Claim.objects.get(pk=body["id"]))
    report = api.post(f"/api/v1/claims/{body['id']}/report/", {"text": "理发5人", "hours": "2"})
    assert report.status_code == 201
    mine = api.get("/api/v1/claims/").json()
    assert [c["id"] for c in mine["results"]] == [body["id"]] and mine["results"][0]["hours"] == "2.00"


def test_a_grid_worker_is_refused_by_the_api(community):
    api = APIClient()
    project = open_project(community)
    api.force_authenticate(GridWorkerFactory(grid_node=community))
    assert api.post(f"/api/v1/projects/{project.pk}/claim/").status_code == 403


def test_others_do_not_see_a_persons_claim(community):
    api = APIClient()
    claim = PersonClaimFactory(project=open_project(community))
    api.force_authenticate(member_user(community))
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert api.get("/api/v1/claims/").json()["count"] == 0


def test_the_api_claims_list_runs_a_fixed_number_of_queries(community, django_assert_num_queries):
    api = APIClient()
    user = member_user(community)
    PersonClaimFactory(project=open_project(community), person=user)
    api.force_authenticate(user)
    # count, the page with project, grid node, unit and person
    with django_assert_num_queries(2):
        assert api.get("/api/v1/claims/?individual=true").status_code == 200
    for _ in range(6):
        PersonClaimFactory(project=open_project(community), person=user)
    with django_assert_num_queries(2):
        assert api.get("/api/v1/claims/?individual=true").json()["count"] == 7


# --- demo -------------------------------------------------------------------------------------------------


def test_demo_individual_claims_show_every_state_with_hours_and_are_idempotent(db):
    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    individual_demo.seed(stdout=out)

    claims = Claim.objects.filter(person__isnull=False)
    assert set(claims.values_list("status", flat=True)) == set(Claim.Status.values)
    assert claims.values("person").distinct().count() >= 3
    for project in Project.objects.filter(allows_individuals=True):
        taken = project.claims.filter(person__isnull=False).exclude(status="rejected").count()
        assert project.active_individual_claims == taken <= project.individual_capacity
    demo_member = PointsEntry.objects.filter(member__user__username="party_member", kind=PointsKind.VOLUNTEER_HOURS)
    assert demo_member.exists() and all(e.hours > 0 for e in demo_member)
    assert Claim.objects.filter(person__username="resident", status=Claim.Status.APPROVED).exists()

    counts = (Project.objects.count(), Claim.objects.count(), PointsEntry.objects.count())
    individual_demo.seed(stdout=out)
    assert (Project.objects.count(), Claim.objects.count(), PointsEntry.objects.count()) == counts


def test_staff_open_a_project_to_individuals_in_the_admin(client, community_admin, community):
    client.force_login(community_admin)
    data = {
        "title": "垃圾分类志愿值守",
        "category": category().pk,
        "description": "",
        "grid_node": community.pk,
        "capacity": "1",
        "allows_individuals": "on",
        "individual_capacity": "",
    }
    for prefix in ("claims", "pledges", "expenditures"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    refused = client.post(reverse("admin:projects_project_add"), data)
    assert "个人可认领的项目至少要有 1 个个人名额。" in refused.content.decode()
    response = client.post(reverse("admin:projects_project_add"), data | {"individual_capacity": "6"})
    assert response.status_code == 302
    project = Project.objects.get(title="垃圾分类志愿值守")
    assert (project.allows_individuals, project.individual_capacity, project.created_by) == (True, 6, community_admin)
