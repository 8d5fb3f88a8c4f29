"""Reads of dual reporting: whose reports a user sees, and a member's service record from the points entries.

The hours are those the points app recorded (alliance.points PointsEntry.hours per member: check-ins of
volunteer activities, and any other work credited to the member); they are not counted again here."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from alliance.core.scoping import scope_queryset
from alliance.points.models import PointsEntry, PointsKind
from alliance.volunteering.models import DualReport, FeedbackSheet
from members.models import PartyMember, User

# Entries that are a rating of work already listed, not a service of their own.
NOT_A_SERVICE = (PointsKind.CLAIM_EVALUATED, PointsKind.ORDER_RATED, PointsKind.CORRECTION)


def reports_for(user) -> QuerySet[DualReport]:
    """Staff (and superusers): the reports of their subtree; anyone else: their own."""
    base = DualReport.objects.select_related(
        "member", "community", "micro_grid", "unit", "team", "menu_item", "confirmed_by", "returned_by"
    ).prefetch_related("skills")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        return scope_queryset(base, user)
    return base.filter(member__user=user)


def own_report(user) -> DualReport | None:
    return reports_for(user).filter(member__user=user).first() if user.is_authenticated else None


def sheets_for(user) -> QuerySet[FeedbackSheet]:
    base = FeedbackSheet.objects.select_related("member", "community", "unit", "evaluated_by")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        return scope_queryset(base, user)
    return base.filter(member__user=user)


@dataclass
class Service:
    """One service in a member's record: what, when, how many hours (one source: a check-in, a claim …)."""

    on: datetime.date
    title: str
    kind: str
    hours: Decimal = Decimal(0)


@dataclass
class ServiceRecord:
    year: int
    services: list[Service] = field(default_factory=list)
    hours: Decimal = Decimal(0)

    @property
    def count(self) -> int:
        return len(self.services)


def _title(reason: str) -> str:
    """「参加活动签到：敬老院义诊」 → 「敬老院义诊」: the service's name from the entry's reason."""
    return reason.split("：", 1)[1] if "：" in reason else reason


def service_record(member: PartyMember, year: int) -> ServiceRecord:
    """The member's services of ``year`` (one query): the entries grouped by their source, oldest first; the
    hours are every entry's hours that year (corrections included)."""
    record = ServiceRecord(year=year)
    by_source: dict[tuple[int, int], Service] = {}
    entries = PointsEntry.objects.filter(member=member, occurred_on__year=year).order_by("occurred_on", "id")
    for e in entries.only("kind", "hours", "reason", "occurred_on", "source_type_id", "source_id"):
        record.hours += e.hours
        if e.kind in NOT_A_SERVICE:
            continue
        key = (e.source_type_id, e.source_id)
        if key not in by_source:
            by_source[key] = Service(on=e.occurred_on, title=_title(e.reason), kind=e.get_kind_display())
            record.services.append(by_source[key])
        by_source[key].hours += e.hours
    return record


def records_of(member_ids, year: int) -> dict[int, ServiceRecord]:
    """The service records of many members at once (one query)."""
    out = {pk: ServiceRecord(year=year) for pk in member_ids}
    seen: dict[tuple[int | None, int, int], Service] = {}
    entries = PointsEntry.objects.filter(member_id__in=list(out), occurred_on__year=year).order_by("occurred_on", "id")
    for e in entries.only("member_id", "kind", "hours", "reason", "occurred_on", "source_type_id", "source_id"):
        record = out[e.member_id]
        record.hours += e.hours
        if e.kind in NOT_A_SERVICE:
            continue
        key = (e.member_id, e.source_type_id, e.source_id)
        if key not in seen:
            seen[key] = Service(on=e.occurred_on, title=_title(e.reason), kind=e.get_kind_display())
            record.services.append(seen[key])
        seen[key].hours += e.hours
    return out
