"""Yearly volunteer-hours targets of dual-reported party members (双报到) and the monthly warnings."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.notifications import notify
from alliance.points.models import ServiceHoursTarget
from members.models import PartyMember, User


def elapsed_fraction(today: datetime.date) -> Decimal:
    """The share of the year gone by at the end of ``today``."""
    days = 366 if calendar.isleap(today.year) else 365
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def members_behind(*, target: ServiceHoursTarget, today: datetime.date) -> list[tuple[PartyMember, Decimal, Decimal]]:
    """Dual-reported active members of the street below the pace: (member, hours so far, hours due)."""
    due = (target.hours * elapsed_fraction(today)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    members = (
        PartyMember.objects.filter(community__street_id=target.street_id, is_active=True, reported_on__isnull=False)
        .annotate(
            hours_so_far=Sum(
                "points__hours",
                filter=Q(points__occurred_on__year=target.year, points__occurred_on__lte=today),
                default=Decimal(0),
            )
        )
        .filter(hours_so_far__lt=due)
        .select_related("user", "unit")
        .order_by("id")
    )
    return [(m, m.hours_so_far, due) for m in members]


def warn_behind_hours(*, today=None) -> int:
    """The monthly job: warn members behind the pace and their unit's operators, once per member per month."""
    today = today or timezone.localdate()
    sent = 0
    for target in ServiceHoursTarget.objects.filter(year=today.year):
        behind = members_behind(target=target, today=today)
        unit_ids = {m.unit_id for m, _hours, _due in behind if m.unit_id}
        operators: dict[int | None, list] = {}
        for op in User.objects.filter(role=User.Role.UNIT_OPERATOR, unit_id__in=unit_ids, is_active=True):
            operators.setdefault(op.unit_id, []).append(op)
        for member, hours, due in behind:
            key = f"hours-behind:{member.pk}:{today:%Y-%m}"
            body = _(
                "%(name)s同志本年度志愿服务 %(hours)s 小时，按进度应达 %(due)s 小时"
                "（年度目标 %(target)s 小时）。请积极参加社区志愿服务。"
            ) % {"name": member.name, "hours": hours, "due": due, "target": target.hours}
            with transaction.atomic():
                if member.user_id and notify(
                    recipient=member.user,
                    key=key,
                    title=_("志愿服务时长落后于进度"),
                    body=body,
                    url="/alliance/points/me/",
                ):
                    sent += 1
                for op in operators.get(member.unit_id, []):
                    if notify(
                        recipient=op,
                        key=key,
                        title=_("本单位党员%(name)s服务时长落后于进度") % {"name": member.name},
                        body=body,
                    ):
                        sent += 1
    return sent
