"""Recurring station services (常态化下沉服务: 律师每月15日下沉到党群服务点) and the occurrences they generate.

A rule is kept by the admins of the station's community (or street) in the admin, or by the operator of the
provider unit in the workspace (at stations of the unit's street). A daily job makes the next 30 days'
occurrences as activities linked to the rule: one per rule and date (a unique constraint; ``get_or_create``
takes the row another run made at the same moment), so running it twice, or two at once, adds nothing.
Residents sign up to each occurrence with the activities' sign-up (services.actions.activities).

Dates come from dateutil's ``rrule``: weekly on a weekday, or monthly on a day; a day the month lacks (31 in
April, 30 in February) falls on the month's last day, so a monthly service comes every month.
Saving a rule re-plans its future occurrences: those nobody signed up for are replaced by the new rule's; those
with sign-ups stay, unless the rule stopped (inactive, or past its end date), then they are cancelled and the
people signed up hear why (``activity_cancelled``). A single occurrence is cancelled like any activity, and
stays cancelled (its date is taken).
"""

import datetime

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.scoping import node_in_scope
from members.models import User
from services.actions._common import _now
from services.actions.activities import CANCEL
from services.models import Activity, RecurringService

RULE_FIELDS = (
    "station",
    "title",
    "kind",
    "provider_unit",
    "provider_name",
    "description",
    "frequency",
    "day_of_month",
    "weekday",
    "starts_time",
    "ends_time",
    "capacity",
    "is_active",
    "valid_until",
)
HORIZON_DAYS = 30
STOPPED = gettext_lazy("该常态化服务已停止，本场次取消。")


def can_edit_rule(user, station, provider_unit_id=None) -> bool:
    """Admins (street, community) whose subtree holds the station; the provider unit's operator at a station of
    the unit's street."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role in User.ADMIN_ROLES:
        return node_in_scope(station.grid_node, user)
    if user.role == User.Role.UNIT_OPERATOR and user.unit_id and provider_unit_id == user.unit_id:
        return station.grid_node.street_id == user.unit.grid_node.street_id
    return False


@transaction.atomic
def save_recurring_service(*, by, rule: RecurringService | None = None, now=None, **fields) -> RecurringService:
    """Create or change a recurring service, then re-plan its next 30 days."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    is_unit = by is not None and by.is_authenticated and by.role == User.Role.UNIT_OPERATOR
    if rule is not None and not can_edit_rule(by, rule.station, rule.provider_unit_id):
        raise PermissionDenied(_("只有服务阵地所在社区的管理员或提供单位可以修改该服务。"))
    if is_unit:
        # A unit's rule is always the unit's own.
        fields["provider_unit"] = by.unit
    station = fields.get("station") or (rule.station if rule else None)
    if station is None:
        raise ValidationError({"station": [_("请选择服务阵地。")]})
    provider = fields.get("provider_unit", rule.provider_unit if rule else None)
    if not can_edit_rule(by, station, provider.pk if provider else None):
        raise PermissionDenied(_("只能在管辖范围内（单位所在街道内）的服务阵地发布常态化服务。"))
    title = (fields.get("title") if "title" in fields else rule.title if rule else "") or ""
    if not title.strip():
        raise ValidationError({"title": [_("请填写服务名称。")]})
    if not (provider or (fields.get("provider_name", rule.provider_name if rule else "") or "").strip()):
        raise ValidationError({"provider_name": [_("请选择提供单位，或填写服务人员。")]})
    creating = rule is None
    rule = rule or RecurringService(created_by=by)
    for name, value in fields.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    # The field of the other frequency is cleared, so the rule says one thing.
    if rule.frequency == RecurringService.Frequency.WEEKLY:
        rule.day_of_month = None
    else:
        rule.weekday = None
    rule.full_clean(exclude=["created_by"])
    rule.save()
    replan(rule, by=by, now=now, creating=creating)
    return rule


def occurrence_dates(rule: RecurringService, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The dates of ``rule`` from ``first`` to ``last`` (both included)."""
    if last < first:
        return []
    start, until = datetime.datetime.combine(first, datetime.time()), datetime.datetime.combine(last, datetime.time())
    if rule.frequency == RecurringService.Frequency.WEEKLY:
        dates = rrule(WEEKLY, byweekday=rule.weekday, dtstart=start, until=until)
    elif (day := rule.day_of_month or 1) <= 28:
        dates = rrule(MONTHLY, bymonthday=day, dtstart=start, until=until)
    else:
        # The last of the days 28…N the month has: N itself, or the month's end when it is shorter.
        days = tuple(range(28, day + 1))
        dates = rrule(MONTHLY, bymonthday=days, bysetpos=-1, dtstart=start, until=until)
    return [d.date() for d in dates]


def _planned(rule: RecurringService, now) -> list[tuple[datetime.date, datetime.datetime, datetime.datetime]]:
    """The occurrences ``rule`` plans from now to 30 days ahead: (date, start, end), each start still ahead."""
    today = timezone.localdate(now)
    last = today + datetime.timedelta(days=HORIZON_DAYS)
    if not rule.is_active or (rule.valid_until and rule.valid_until < today):
        return []
    if rule.valid_until:
        last = min(last, rule.valid_until)
    tz = timezone.get_current_timezone()
    out = []
    for day in occurrence_dates(rule, today, last):
        starts = datetime.datetime.combine(day, rule.starts_time, tzinfo=tz)
        if starts > now:
            out.append((day, starts, datetime.datetime.combine(day, rule.ends_time, tzinfo=tz)))
    return out


def _generate(rule: RecurringService, now) -> int:
    made = 0
    for day, starts, ends in _planned(rule, now):
        _, created = Activity.objects.get_or_create(
            recurring_service=rule,
            occurs_on=day,
            defaults={
                "title": rule.title,
                "kind": rule.kind,
                "organiser": rule.provider_label or rule.station.name,
                "organiser_unit": rule.provider_unit,
                "grid_node_id": rule.station.grid_node_id,
                "place": rule.station.name,
                "starts_at": starts,
                "ends_at": ends,
                "capacity": rule.capacity,
                "description": rule.description,
            },
        )
        made += created
    return made


def replan(rule: RecurringService, *, by=None, now=None, creating: bool = False) -> int:
    """The rule's future occurrences after a change: nobody signed up → replaced; signed up → kept (people were
    promised that date) while the rule runs, cancelled (with a notice) once it stopped or past its end date; then
    the missing ones generated."""
    now = _now(now)
    if not creating:
        future = Activity.objects.filter(
            recurring_service=rule, status=Activity.Status.PUBLISHED, starts_at__gt=now
        ).select_related("grid_node")
        future.filter(signups__isnull=True).delete()
        for activity in future.filter(signups__isnull=False).distinct():
            ended = (
                rule.valid_until is not None
                and activity.occurs_on is not None
                and activity.occurs_on > rule.valid_until
            )
            if not rule.is_active or ended:
                CANCEL.run(activity, by=by, now=now, payload={"reason": STOPPED})
    return _generate(rule, now)


def generate_occurrences(*, now=None) -> int:
    """The daily job: the next 30 days' occurrences of every running rule at an open station (idempotent).
    Returns how many it made."""
    now = _now(now)
    today = timezone.localdate(now)
    rules = (
        RecurringService.objects.filter(is_active=True, station__is_active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("station", "provider_unit")
        .order_by("pk")
    )
    return sum(_generate(rule, now) for rule in rules)
