"""The issue loop 发现 → 会商 → 处置 → 反馈 → 评价, escalation, reopening and committee matters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.committee.models import Committee, Matter
from alliance.core.errors import Conflict
from services import actions, selectors
from services.models import Issue, IssueEvent
from tests.members.factories import GridWorkerFactory, ResidentFactory, UnitOperatorFactory
from tests.services.factories import IssueFactory


@pytest.fixture
def issue(resident, micro_grid):
    return actions.report_issue(by=resident, title="路灯不亮", text="3号楼前路灯坏了一周", grid_node=micro_grid)


def walk_to_feedback(issue, by):
    for text in ("收到,已登记", "已会商,安排物业维修", "已更换灯泡,恢复照明"):
        issue = actions.move_issue(by=by, issue=issue, text=text)
    return issue


def test_resident_reports_at_micro_grid_level(issue, resident):
    assert (issue.status, issue.level, issue.channel) == ("discovered", Issue.Level.MICRO, "web")
    assert issue.events.get().kind == IssueEvent.Kind.REPORTED


def test_a_report_needs_title_and_text(resident):
    with pytest.raises(ValidationError) as exc:
        actions.report_issue(by=resident, title="", text="")
    assert set(exc.value.message_dict) == {"title", "text"}


def test_resident_cannot_claim_the_hotline_channel(resident):
    with pytest.raises(ValidationError, match="网格工作人员登记"):
        actions.report_issue(by=resident, title="噪音", text="夜间施工", channel="hotline")


def test_grid_worker_records_a_hotline_issue(grid_worker, community):
    issue = actions.report_issue(
        by=grid_worker, title="噪音", text="夜间施工扰民", channel="hotline", grid_node=community
    )
    assert issue.recorded_by == grid_worker and issue.level == Issue.Level.COMMUNITY


def test_grid_worker_walks_the_whole_loop_and_resident_rates(issue, grid_worker, resident):
    issue = walk_to_feedback(issue, grid_worker)
    assert issue.status == Issue.Status.FEEDBACK and issue.handler == grid_worker
    assert resident.notifications.filter(key__startswith=f"issue:{issue.pk}:feedback").exists()
    issue = actions.rate_issue(by=resident, issue=issue, rating=5, comment="很满意")
    assert issue.status == Issue.Status.EVALUATED and issue.rating == 5
    statuses = list(issue.events.values_list("status", flat=True))
    assert statuses == ["discovered", "consulting", "handling", "feedback", "evaluated"]


def test_feedback_needs_a_reply_text(issue, grid_worker):
    issue = actions.move_issue(by=grid_worker, issue=issue)
    issue = actions.move_issue(by=grid_worker, issue=issue)
    with pytest.raises(ValidationError, match="处理结果"):
        actions.move_issue(by=grid_worker, issue=issue, text="")


def test_cannot_move_past_feedback(issue, grid_worker):
    issue = walk_to_feedback(issue, grid_worker)
    with pytest.raises(ValidationError):
        actions.move_issue(by=grid_worker, issue=issue, text="再推进")


@pytest.mark.parametrize("role", ["resident", "unit_operator", "other_community_admin"])
def test_only_staff_in_scope_move_or_escalate(request, issue, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        actions.move_issue(by=user, issue=issue, text="x")
    with pytest.raises(PermissionDenied):
        actions.escalate_issue(by=user, issue=issue)


def test_community_and_street_admins_in_scope_may_move(issue, community_admin, street_admin):
    issue = actions.move_issue(by=community_admin, issue=issue)
    issue = actions.move_issue(by=street_admin, issue=issue)
    assert issue.status == Issue.Status.HANDLING and issue.handler == street_admin


def test_escalation_climbs_micro_community_street_department_and_stops(issue, grid_worker, community_admin):
    levels = []
    for _ in range(3):
        issue = actions.escalate_issue(by=grid_worker, issue=issue, reason="本级无法解决")
        levels.append(issue.level)
    assert levels == [Issue.Level.COMMUNITY, Issue.Level.STREET, Issue.Level.DEPARTMENT]
    assert community_admin.notifications.filter(key=f"issue:{issue.pk}:escalate:2").exists()
    with pytest.raises(ValidationError, match="职能部门"):
        actions.escalate_issue(by=grid_worker, issue=issue)


def test_cannot_escalate_once_feedback_given(issue, grid_worker):
    issue = walk_to_feedback(issue, grid_worker)
    with pytest.raises(ValidationError):
        actions.escalate_issue(by=grid_worker, issue=issue)


def test_rating_before_feedback_is_refused(issue, resident):
    with pytest.raises(ValidationError, match="反馈"):
        actions.rate_issue(by=resident, issue=issue, rating=5)


def test_another_resident_cannot_rate(issue, grid_worker, community):
    issue = walk_to_feedback(issue, grid_worker)
    with pytest.raises(PermissionDenied):
        actions.rate_issue(by=ResidentFactory(grid_node=community), issue=issue, rating=5)


def test_low_rating_reopens_once_and_counts_against_the_handler(issue, grid_worker, resident):
    issue = walk_to_feedback(issue, grid_worker)
    issue = actions.rate_issue(by=resident, issue=issue, rating=2, comment="灯还是时亮时不亮")
    assert issue.status == Issue.Status.HANDLING and issue.reopened
    assert issue.unsatisfied_handler == grid_worker
    assert selectors.handler_assessment(grid_worker)["unsatisfied"] == 1
    assert grid_worker.notifications.filter(key=f"issue:{issue.pk}:reopened").exists()
    issue = actions.move_issue(by=grid_worker, issue=issue, text="更换整套灯具")
    # A second low rating closes it: reopening happens only once.
    issue = actions.rate_issue(by=resident, issue=issue, rating=1)
    assert issue.status == Issue.Status.EVALUATED and issue.rating == 1
    assert list(issue.events.filter(kind="reopened").values_list("kind", flat=True)) == ["reopened"]


@pytest.fixture
def street_committee(street):
    return Committee.objects.create(name="舜玉路街道大工委", kind=Committee.Kind.STREET_JOINT, grid_node=street)


def test_street_staff_raise_an_issue_as_committee_matter(issue, street_admin, street_committee):
    committee = street_committee
    issue = actions.raise_issue_as_matter(by=street_admin, issue=issue, title="老旧小区路灯整体改造")
    matter = Matter.objects.get()
    assert issue.matter == matter and matter.committee == committee
    assert matter.source == issue
    assert issue.events.last().kind == IssueEvent.Kind.MATTER
    with pytest.raises(ValidationError, match="已提交"):
        actions.raise_issue_as_matter(by=street_admin, issue=issue)


def test_community_grid_worker_raises_a_big_issue_to_the_street_committee(issue, grid_worker, street_committee):
    # 小事一格解决,大事全网联动: the grid worker takes it up to the street's joint committee.
    issue = actions.raise_issue_as_matter(by=grid_worker, issue=issue, title="小区加装电梯协调")
    matter = Matter.objects.get()
    assert issue.matter == matter and matter.committee == street_committee and matter.raised_by == grid_worker


def test_grid_worker_cannot_raise_to_another_streets_committee(grid_worker):
    from tests.grids.factories import StreetFactory

    elsewhere = Committee.objects.create(name="他街大工委", kind=Committee.Kind.STREET_JOINT, grid_node=StreetFactory())
    from alliance.committee.actions import raise_matter

    with pytest.raises(PermissionDenied):
        raise_matter(by=grid_worker, committee=elsewhere, title="越界议题")
    assert not Matter.objects.exists()


def test_raise_as_matter_refused_without_a_street_committee(issue, street_admin):
    with pytest.raises(ValidationError, match="尚未设立大工委"):
        actions.raise_issue_as_matter(by=street_admin, issue=issue)


def test_raise_as_matter_refused_to_a_unit_operator(issue, unit_operator):
    with pytest.raises(PermissionDenied):
        actions.raise_issue_as_matter(by=unit_operator, issue=issue)


def test_grid_worker_of_a_micro_grid_sees_only_its_subtree(micro_grid, community, resident):
    micro_worker = GridWorkerFactory(grid_node=micro_grid)
    inside = IssueFactory(reporter=resident, grid_node=micro_grid)
    outside = IssueFactory(reporter=resident, grid_node=community)
    seen = set(selectors.issues_for(micro_worker).values_list("pk", flat=True))
    assert inside.pk in seen and outside.pk not in seen
    assert UnitOperatorFactory  # imported for parametrised fixtures


def test_a_move_from_a_step_already_left_is_a_conflict_not_a_second_step(issue, grid_worker):
    # Two workers read the issue at "discovered"; the first moves it on.
    seen_by_second = Issue.objects.get(pk=issue.pk)
    actions.move_issue(by=grid_worker, issue=issue, text="收到,已登记")
    # The second, waiting for the row lock, finds it moved: 409, and it stays one step ahead.
    with pytest.raises(Conflict):
        actions.move_issue(by=GridWorkerFactory(grid_node=issue.grid_node), issue=seen_by_second, text="收到")
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.CONSULTING


def test_an_escalation_of_an_issue_changed_meanwhile_is_refused(issue, grid_worker):
    seen_by_second = Issue.objects.get(pk=issue.pk)
    actions.escalate_issue(by=grid_worker, issue=issue, reason="本级无法解决")
    with pytest.raises(ValidationError):
        actions.escalate_issue(by=grid_worker, issue=seen_by_second, reason="本级无法解决")
    issue.refresh_from_db()
    assert issue.level == Issue.Level.COMMUNITY
    assert issue.events.filter(kind=IssueEvent.Kind.ESCALATED).count() == 1
