"""Every effect of a transition happens whichever path triggers it (issue 12 §2): a bulk path does what the
single path does, row by row — points, stamps, history."""

import pytest
from django.urls import reverse

from alliance.committee import actions as alliance_actions
from alliance.committee.models import Matter
from alliance.points.models import PointsEntry, PointsKind
from projects import actions
from projects.models import Claim, Match, Need, Project
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory
from tests.members.factories import MemberUnitFactory
from tests.projects.factories import ClaimFactory, MatchFactory, NeedFactory, ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _entries(unit):
    return sorted(PointsEntry.objects.filter(unit=unit).values_list("kind", "points"))


def _running_claim(community, status=Claim.Status.APPROVED):
    unit = MemberUnitFactory(grid_node=community)
    return ClaimFactory(project=ProjectFactory(grid_node=community), unit=unit, status=status)


def test_completing_a_project_awards_each_running_claim_what_completing_the_claim_awards(community, community_admin):
    single = _running_claim(community)
    actions.complete_claim(by=community_admin, claim=single)
    awarded_single = _entries(single.unit)
    assert (PointsKind.CLAIM_COMPLETED, awarded_single[0][1]) in awarded_single

    project = ProjectFactory(grid_node=community)
    units = [MemberUnitFactory(grid_node=community) for _ in range(2)]
    claims = [ClaimFactory(project=project, unit=units[0], status=Claim.Status.APPROVED)]
    claims.append(ClaimFactory(project=project, unit=units[1], status=Claim.Status.IN_PROGRESS))
    actions.complete_project(by=community_admin, project=project)
    for claim, unit in zip(claims, units, strict=True):
        claim.refresh_from_db()
        assert claim.status == Claim.Status.COMPLETED and claim.completed_at is not None
        assert _entries(unit) == awarded_single
        assert claim.history.filter(status=Claim.Status.COMPLETED).exists()  # the claim's own history row


def test_the_admin_bulk_completion_awards_the_same(client, community, community_admin):
    claims = [_running_claim(community) for _ in range(3)]
    client.force_login(community_admin)
    response = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "complete", "_selected_action": [c.project_id for c in claims]},
        follow=True,
    )
    assert "已确认完成 3 条" in response.content.decode()
    for claim in claims:
        assert PointsEntry.objects.filter(unit=claim.unit, kind=PointsKind.CLAIM_COMPLETED).count() == 1
    # completing again (single or bulk) awards nothing twice
    client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "complete", "_selected_action": [c.project_id for c in claims]},
    )
    assert PointsEntry.objects.filter(kind=PointsKind.CLAIM_COMPLETED).count() == 3


def test_needs_fulfilled_by_a_project_lose_their_suggestions_as_closing_them_does(community, community_admin):
    closed_alone = NeedFactory(grid_node=community)
    MatchFactory(need=closed_alone, resource=ResourceFactory(unit=MemberUnitFactory(grid_node=community)))
    actions.close_need(by=community_admin, need=closed_alone)

    need = NeedFactory(grid_node=community)
    match = MatchFactory(need=need, resource=ResourceFactory(unit=MemberUnitFactory(grid_node=community)))
    project = actions.create_project(
        by=community_admin, title="助餐点建设", category=need.category, grid_node=community, needs=[need]
    )
    actions.publish_project(by=community_admin, project=project)
    actions.complete_project(by=community_admin, project=project)
    need.refresh_from_db()
    match.refresh_from_db()
    alone = Match.objects.get(need=closed_alone)
    assert need.status == Need.Status.FULFILLED and need.closed_at is not None
    assert (match.status, match.decided_by) == (alone.status, alone.decided_by) == ("dismissed", community_admin)
    assert Project.objects.get(pk=project.pk).status == Project.Status.COMPLETED


def test_holding_a_meeting_studies_its_matters_as_studying_them_does(street, street_admin):
    from django.utils import timezone

    committee = CommitteeFactory(grid_node=street)
    alone = MatterFactory(committee=committee)
    alliance_actions.study_matter(by=street_admin, matter=alone)
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() - timezone.timedelta(hours=1))
    on_agenda = [MatterFactory(committee=committee) for _ in range(2)]
    for matter in on_agenda:
        alliance_actions.put_on_agenda(by=street_admin, meeting=meeting, matter=matter)
    alliance_actions.hold_meeting(by=street_admin, meeting=meeting)
    for matter in on_agenda:
        matter.refresh_from_db()
        assert (matter.status, matter.studied_by) == (Matter.Status.UNDER_STUDY, street_admin)
        assert matter.history.filter(status=Matter.Status.UNDER_STUDY).count() == 1
