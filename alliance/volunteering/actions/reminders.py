"""The reminders of dual reporting, each sent once per key (alliance.core.notifications.notify):

- a confirmed member with no service recorded this quarter hears it once a quarter;
- the admins of a community with reports waiting longer than ``WAITING_DAYS`` hear it once a week."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.core.notifications import notify, notify_many
from alliance.points.models import PointsEntry
from alliance.volunteering.models import DualReport
from alliance.volunteering.selectors import NOT_A_SERVICE
from members.selectors import admins_at

WAITING_DAYS = 7  # a report waiting longer is overdue (the to-do line's limit too)


def quarter_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def remind_idle_members(*, today: datetime.date | None = None) -> int:
    """Confirmed members with no service since the quarter began: one reminder each per quarter."""
    today = today or timezone.localdate()
    start = quarter_start(today)
    served = PointsEntry.objects.filter(member_id=OuterRef("member_id"), occurred_on__gte=start, occurred_on__lte=today)
    reports = (
        DualReport.objects.filter(
            status=DualReport.Status.CONFIRMED, member__is_active=True, member__user__isnull=False
        )
        .filter(~Exists(served.exclude(kind__in=NOT_A_SERVICE)))
        .select_related("member__user", "community")
        .order_by("pk")
    )
    quarter = (start.month - 1) // 3 + 1
    sent = 0
    for report in reports:
        with transaction.atomic():
            if notify(
                recipient=report.member.user,
                key=f"dual-report:{report.pk}:idle:{today.year}q{quarter}",
                title=_("本季度还没有志愿服务记录"),
                body=_(
                    "%(name)s同志，您已到%(community)s报到，本季度（%(year)s年第%(quarter)s季度）"
                    "还没有服务记录。亮明身份、亮出特长、亮清责任，欢迎参加社区活动、认领服务。"
                )
                % {
                    "name": report.member.name,
                    "community": report.community.name,
                    "year": today.year,
                    "quarter": quarter,
                },
                url="/volunteering/report/",
            ):
                sent += 1
    return sent


def remind_waiting_reports(*, today: datetime.date | None = None, days: int = WAITING_DAYS) -> int:
    """Communities with reports waiting longer than ``days``: their admins hear it once a week."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    waiting = DualReport.objects.filter(status__in=DualReport.WAITING).filter(
        Q(status=DualReport.Status.SUBMITTED, submitted_at__lt=cutoff)
        | Q(status=DualReport.Status.RESUBMITTED, resubmitted_at__lt=cutoff)
    )
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for community_id, name in waiting.values_list("community_id", "community__name").order_by("community_id"):
        counts[community_id] = counts.get(community_id, 0) + 1
        names[community_id] = name
    year, week, _day = today.isocalendar()
    sent = 0
    for community_id, count in counts.items():
        with transaction.atomic():
            sent += notify_many(
                recipients=admins_at(community_id),
                key=f"dual-reports-waiting:{community_id}:{year}w{week}",
                title=ngettext(
                    "%(community)s有%(count)s份双报到超过%(days)s天未确认",
                    "%(community)s有%(count)s份双报到超过%(days)s天未确认",
                    count,
                )
                % {"community": names[community_id], "count": count, "days": days},
                body=_("请到“双报到”中确认或退回（退回请写明原因）。"),
                url="/admin/volunteering/dualreport/?todo=reports_to_confirm-overdue",
            )
    return sent
