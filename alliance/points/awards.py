"""Points awards (党员积分): what one verified action earns, once per source, and corrections.

The award_* functions are called by the receivers of services' and projects' events (handlers.py);
corrections by an admin (admin.py). Every write follows the actions rules.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.scoping import in_scope
from alliance.points import reasons
from alliance.points.models import PointsEntry, PointsKind, PointsRule
from members.models import MemberUnit, PartyMember, User
from services.models import Activity

# Used when the admin has not (yet) set a rule for a kind; the data migration seeds the same values.
DEFAULT_RULES = {
    PointsKind.ACTIVITY_CHECKIN: 2,
    PointsKind.VOLUNTEER_HOURS: 1,  # per hour
    PointsKind.CLAIM_COMPLETED: 10,
    PointsKind.CLAIM_EVALUATED: 5,
    PointsKind.ORDER_DELIVERED: 3,
    PointsKind.ORDER_RATED: 2,
}
DEFAULT_MIN_RATING = 4


def rule_for(kind: str) -> tuple[int, int]:
    """(points, min_rating) of a kind: the admin's rule, or the default (one query)."""
    rule = PointsRule.objects.filter(kind=kind).only("points", "min_rating").first()
    if rule is None:
        return DEFAULT_RULES[PointsKind(kind)], DEFAULT_MIN_RATING
    return rule.points, rule.min_rating


def _award(*, kind, source, reason: str, on: datetime.date, member=None, unit=None, points=None, hours=0, by=None):
    """One entry per (member|unit, kind, source): a second call for the same source awards nothing.

    Runs inside the caller's transaction; the savepoint lets a duplicate (a retry racing the first
    award) fail alone without aborting the transition around it.
    """
    if points is None:
        points = rule_for(kind)[0]
    node = member.community if member else unit.grid_node
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                member=member,
                unit=unit,
                grid_node=node,
                street_id=node.street_id or node.pk,
                kind=kind,
                points=points,
                hours=hours,
                reason=reason[:200],
                source_type=ContentType.objects.get_for_model(type(source)),
                source_id=source.pk,
                occurred_on=on,
                created_by=by,
            )
    except IntegrityError:
        return None


def _day(moment) -> datetime.date:
    return timezone.localdate(moment) if moment else timezone.localdate()


def award_activity_checkin(*, signup, by=None) -> list[PointsEntry]:
    """A checked-in party member earns the check-in points, and volunteer hours for volunteer services."""
    member = PartyMember.objects.filter(user_id=signup.user_id, is_active=True).select_related("community").first()
    if member is None:  # residents take part without points
        return []
    activity = signup.activity
    on = _day(signup.checked_in_at)
    entries = [
        _award(
            kind=PointsKind.ACTIVITY_CHECKIN,
            source=signup,
            member=member,
            reason=reasons.written(reasons.CHECKIN, title=activity.title),
            on=on,
            by=by,
        )
    ]
    if activity.kind == Activity.Kind.VOLUNTEER:
        hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))
        per_hour = rule_for(PointsKind.VOLUNTEER_HOURS)[0]
        points = int((hours * per_hour).to_integral_value(ROUND_HALF_UP))
        entries.append(
            _award(
                kind=PointsKind.VOLUNTEER_HOURS,
                source=signup,
                member=member,
                points=points,
                hours=hours,
                reason=reasons.written(reasons.VOLUNTEER_HOURS, hours=hours, title=activity.title),
                on=on,
                by=by,
            )
        )
    return [e for e in entries if e]


def _award_unit(*, kind, source, reason: str, at, by, points=None) -> PointsEntry | None:
    """An award to the unit that did the work (``source.unit_id``), dated by the moment ``at``."""
    unit = MemberUnit.objects.select_related("grid_node").get(pk=source.unit_id)
    return _award(kind=kind, source=source, unit=unit, points=points, reason=reason, on=_day(at), by=by)


def award_order_delivered(*, order, by=None) -> PointsEntry | None:
    """The serving unit earns points when the community confirms delivery."""
    if not order.unit_id:
        return None
    reason = reasons.written(reasons.ORDER_DELIVERED, title=order.title)
    return _award_unit(kind=PointsKind.ORDER_DELIVERED, source=order, reason=reason, at=order.delivered_at, by=by)


def award_order_rated(*, order, by=None) -> PointsEntry | None:
    """A good rating (at least the rule's minimum) earns the serving unit extra points."""
    points, min_rating = rule_for(PointsKind.ORDER_RATED)
    if not order.unit_id or (order.rating or 0) < min_rating:
        return None
    reason = reasons.written(reasons.ORDER_RATED, stars=order.rating, title=order.title)
    return _award_unit(
        kind=PointsKind.ORDER_RATED, source=order, points=points, reason=reason, at=order.rated_at, by=by
    )


def _claimant_member(claim) -> PartyMember | None:
    """The active party member who claimed as a person (residents who volunteer earn no points)."""
    return (
        PartyMember.objects.filter(user_id=claim.person_id, is_active=True).select_related("community").first()
        if claim.person_id
        else None
    )


def award_claim_completed(*, claim, by=None) -> list[PointsEntry]:
    """The unit earns the completion points; a party member who claimed as a person earns them too, with the
    hours they reported as volunteer hours (the claim's completion confirms them)."""
    reason = reasons.written(reasons.CLAIM_COMPLETED, title=claim.project)
    if not claim.person_id:
        entry = _award_unit(kind=PointsKind.CLAIM_COMPLETED, source=claim, reason=reason, at=claim.completed_at, by=by)
        return [entry] if entry else []
    member = _claimant_member(claim)
    if member is None:
        return []
    on = _day(claim.completed_at)
    entries = [_award(kind=PointsKind.CLAIM_COMPLETED, source=claim, member=member, reason=reason, on=on, by=by)]
    hours = Decimal(claim.hours or 0)
    if hours > 0:
        points = int((hours * rule_for(PointsKind.VOLUNTEER_HOURS)[0]).to_integral_value(ROUND_HALF_UP))
        entries.append(
            _award(
                kind=PointsKind.VOLUNTEER_HOURS,
                source=claim,
                member=member,
                points=points,
                hours=hours,
                reason=reasons.written(reasons.CLAIM_HOURS, hours=f"{hours.normalize():f}", title=claim.project),
                on=on,
                by=by,
            )
        )
    return [e for e in entries if e]


def award_claim_evaluated(*, claim, by=None) -> PointsEntry | None:
    points, min_rating = rule_for(PointsKind.CLAIM_EVALUATED)
    if (claim.rating or 0) < min_rating:
        return None
    reason = reasons.written(reasons.CLAIM_EVALUATED, score=claim.rating, title=claim.project)
    if claim.person_id:
        member = _claimant_member(claim)
        if member is None:
            return None
        on = _day(claim.evaluated_at)
        return _award(
            kind=PointsKind.CLAIM_EVALUATED, source=claim, member=member, points=points, reason=reason, on=on, by=by
        )
    return _award_unit(
        kind=PointsKind.CLAIM_EVALUATED, source=claim, points=points, reason=reason, at=claim.evaluated_at, by=by
    )


@transaction.atomic
def correct_points(*, by, entry: PointsEntry, points: int, reason: str) -> PointsEntry:
    """A correction is a new entry (negative allowed) pointing at the one it corrects; nothing is edited."""
    if not (by.is_superuser or by.role in User.ADMIN_ROLES):
        raise PermissionDenied(_("只有街道或社区管理员可以更正积分。"))
    if not in_scope(entry, by):
        raise PermissionDenied(_("该积分记录不在您的管辖范围内。"))
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise ValidationError({"points": _("请填写更正的积分（可为负数）。")})
    reason = (reason or "").strip()
    if points == 0:
        raise ValidationError({"points": _("更正积分不能为 0。")})
    if not reason:
        raise ValidationError({"reason": _("请说明更正原因。")})
    return PointsEntry.objects.create(
        member_id=entry.member_id,
        unit_id=entry.unit_id,
        grid_node_id=entry.grid_node_id,
        street_id=entry.street_id,
        kind=PointsKind.CORRECTION,
        points=points,
        reason=reasons.written(reasons.CORRECTION, reason=reason),
        source_type=ContentType.objects.get_for_model(PointsEntry),
        source_id=entry.pk,
        corrects=entry,
        occurred_on=timezone.localdate(),
        created_by=by,
    )
