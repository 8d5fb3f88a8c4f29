"""A record of every registered model the world of tests/security/world.py lacks, in the world's community
(or street, for the street's own records), in Chinese, so each admin page has a row to show."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django_celery_results.models import TaskResult

from alliance.assessment.models import AssessmentResult, AssessmentWeights, GridStar, GridStarRating
from alliance.committee.models import CommitteeSettings, Milestone
from alliance.core.models import (
    Broadcast,
    BroadcastBatch,
    ExportJob,
    NotificationDelivery,
    NotificationPreference,
    NotificationSettings,
)
from alliance.points.models import PointsRanking, ServiceHoursTarget, StarRating
from alliance.surveys import actions as survey_actions
from grids.models import District
from members.models import EnterpriseAlliance, Instructor, Pairing, Skill
from projects.models import Expenditure, ListSettings, Need, ProgressReport
from services.models import Holiday, IssueEvent, OrderEvent, ReplyTemplate, ServiceSettings
from tests.grids.factories import TeamFactory
from tests.members.factories import PartyOrganizationFactory


def every_model(w) -> None:
    today = timezone.localdate()
    for singleton in (CommitteeSettings, ListSettings, ServiceSettings, NotificationSettings, District):
        singleton.objects.get_or_create(pk=1)
    TeamFactory(node=w.community)
    PartyOrganizationFactory(unit=w.unit)
    Pairing.objects.create(unit=w.unit, community=w.community, starts_on=datetime.date(2025, 1, 1))
    EnterpriseAlliance.objects.create(name="舜玉路企业家联盟", street=w.street)
    Instructor.objects.create(
        member=w.party_member, unit=w.unit, method=Instructor.Method.DISPATCHED, starts_on=datetime.date(2025, 2, 1)
    )
    w.party_member.skills.add(Skill.objects.create(name="理发"))
    ProgressReport.objects.create(claim=w.claim, text="已完成第一次义诊。", created_by=w.users["unit_operator"])
    Need.objects.create(  # a unit's need waiting for review: its change page offers 审核通过, 退回修改, 不予采纳
        title="职工子女暑期托管场地",
        category=w.need.category,
        grid_node=w.community,
        status=Need.Status.PENDING,
        posted_by_unit=w.unit,
    )
    Expenditure.objects.create(project=w.fund_project, item="购买药品", amount=Decimal("200"), spent_on=today)
    Holiday.objects.create(date=datetime.date(today.year, 10, 1), name="国庆节")
    ReplyTemplate.objects.create(step="consulting", title="已受理", text="您反映的问题已受理，我们会尽快处理。")
    PointsRanking.objects.create(street=w.street, year=today.year, month=1)
    ServiceHoursTarget.objects.create(street=w.street, year=today.year, hours=Decimal("24"))
    StarRating.objects.create(
        unit=w.unit, grid_node=w.community, year=today.year, month=1, score=Decimal("90"), stars=4
    )
    AssessmentWeights.objects.create(street=w.street, year=today.year)
    AssessmentResult.objects.create(
        assessment=w.assessment,
        kind="unit",
        subject_id=w.unit.pk,
        name=w.unit.name,
        grid_node=w.community,
        total=Decimal("80"),
        rank=1,
        grade="good",
    )
    star_rating = GridStarRating.objects.create(street=w.street, year=today.year, quarter=1)
    GridStar.objects.create(
        rating=star_rating, node=w.micro_grid, name=w.micro_grid.name, score=Decimal("60"), stars=3, rank=1
    )
    resident = w.users["resident"]
    NotificationPreference.objects.create(user=resident, sms=True)
    NotificationDelivery.objects.create(notification=w.notification, channel="sms", address="13700000000")
    w.notification.key = f"issue:{w.issue.pk}:escalate:3"
    w.notification.save(update_fields=["key"])
    TaskResult.objects.create(
        task_id="4b5c6d", task_name="services.escalate_overdue_issues", status="SUCCESS", result="3"
    )
    # 督办: a milestone of the street committee's matter, late, with its owner.
    Milestone.objects.create(
        matter=w.matter,
        title="完成停车位施划",
        due_on=today - datetime.timedelta(days=2),
        owner=w.users["street_admin"],
    )
    for role in ("community_admin", "street_admin"):  # 我的导出: each admin sees their own jobs
        ExportJob.objects.create(user=w.users[role], export="orders", title="点单", rows_total=12000)
    # Timelines: a row on the order and the issue, at a time whose UTC and Beijing dates differ.
    at = timezone.make_aware(datetime.datetime(2026, 5, 4, 23, 30), datetime.UTC)
    OrderEvent.objects.create(order=w.order, kind=OrderEvent.Kind.SUBMITTED, at=at, by=resident)
    IssueEvent.objects.create(issue=w.issue, kind=IssueEvent.Kind.REPORTED, level=w.issue.level, at=at, by=resident)
    _proposals(w, resident, at)
    _broadcasts(w, at)


def _broadcasts(w, at) -> None:
    """群发任务: a notice to the community half sent (one batch of two done), and one to the whole district."""
    job = Broadcast.objects.create(
        key="article:1:notice",
        audience="members.residents",
        area=str(w.community.pk),
        area_name=w.community.name,
        title="通知公告：停水通知",
        status=Broadcast.Status.RUNNING,
        people_total=3,
        batches_total=2,
        started_at=at,
    )
    BroadcastBatch.objects.create(broadcast=job, number=1, next_pk=10, people=2, done_at=at, notifications_created=2)
    BroadcastBatch.objects.create(broadcast=job, number=2, first_pk=10, people=1)
    Broadcast.objects.create(key="article:2:notice", audience="members.residents", title="通知公告：全区停电检修")


def _proposals(w, resident, at) -> None:
    """微建议: the community's rule, a support, a comment and the proposal's moderation history."""
    from alliance.proposals.models import Comment, ProposalEvent, ProposalRule, Support

    ProposalRule.objects.create(community=w.community, threshold=15)
    Support.objects.create(proposal=w.proposal, person=resident, created_at=at)
    Comment.objects.create(proposal=w.proposal, author=resident, text="赞成，最好带靠背。", created_at=at)
    ProposalEvent.objects.create(proposal=w.proposal, kind=ProposalEvent.Kind.PUBLISHED, at=at, by=resident)
    # A survey's answers (问卷, 回答): the resident answers the world's open survey.
    survey_actions.answer_survey(by=resident, survey=w.survey, answers={w.survey_question.pk: 0, w.survey_scale.pk: 4})
