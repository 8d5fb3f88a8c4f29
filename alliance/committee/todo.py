"""What waits for staff in the joint committee (今日待办, alliance.core.todo): meetings held without minutes,
and resolved matters whose follow-up has milestones past their planned date (督办)."""

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import Matter, Meeting, Milestone
from alliance.committee.selectors import overdue_q
from alliance.core.todo import TodoLine


def _held_without_minutes(queryset, now):
    return queryset.filter(status=Meeting.Status.HELD, minutes="")


def _meeting_note(meeting) -> str:
    return _("%(date)s召开") % {"date": date_format(timezone.localtime(meeting.starts_at), _("m月d日"))}


def _overdue_milestones(queryset, now):
    """Resolved matters with a milestone due before today and not done; annotated with how many and the earliest
    due date (one query with the list)."""
    today = timezone.localdate(now)
    late = Milestone.objects.filter(overdue_q(today), matter=OuterRef("pk"))
    counted = late.order_by().values("matter").annotate(n=Count("pk"), first=Min("due_on"))
    return queryset.filter(Q(status=Matter.Status.RESOLVED), Exists(late)).annotate(
        late_milestones=Subquery(counted.values("n"), output_field=IntegerField()),
        late_since=Subquery(counted.values("first")),
    )


def _matter_note(matter) -> str:
    since = getattr(matter, "late_since", None)
    if since is None:
        return ""
    return _("%(n)s个落实节点逾期，最早应于%(date)s完成") % {
        "n": matter.late_milestones,
        "date": date_format(since, _("m月d日")),
    }


def _waiting_at_district(queryset, now):
    """Matters the streets raised to the district conference, not decided yet (district admins' line: a street
    admin's scoped queryset holds no district matter)."""
    return queryset.filter(escalated_from__isnull=False, escalated_from__handed_back_at__isnull=True)


def _district_note(matter) -> str:
    return _("%(date)s由街道提交") % {"date": date_format(timezone.localtime(matter.created_at), "MONTH_DAY_FORMAT")}


LINES = [
    TodoLine(
        key="meetings_without_minutes",
        title=_("已召开未录纪要的会议"),
        model=Meeting,
        rows=_held_without_minutes,
        order_by=("starts_at", "id"),
        related=("committee",),
        note=_meeting_note,
    ),
    TodoLine(
        key="matters_overdue",
        title=_("落实节点逾期的议决事项"),
        model=Matter,
        rows=_overdue_milestones,
        order_by=("resolved_at", "id"),
        related=("committee",),
        note=_matter_note,
    ),
    TodoLine(
        key="matters_at_district",
        title=_("街道提交区联席会议待议决的议题"),
        model=Matter,
        rows=_waiting_at_district,
        order_by=("created_at", "id"),
        related=("committee", "escalated_from"),
        note=_district_note,
    ),
]
