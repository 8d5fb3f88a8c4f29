"""先锋指数 of party members and 堡垒指数 of party organisations; the rules shown to people live here."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from alliance.points.models import PointsEntry, PointsKind
from members.models import PartyMember, PartyOrganization

PIONEER_CAP = 200


def _pioneer_rule() -> str:
    return gettext(
        "先锋指数 = 党员本年度积分 ÷ 本街道本年度有积分党员的积分中位数 × 100，"
        "保留一位小数，最高 %(cap)s；无人得分时为 0。"
    ) % {"cap": PIONEER_CAP}


PIONEER_RULE = lazy(_pioneer_rule, str)()
FORTRESS_RULE = _(
    "堡垒指数：原始分 = 本单位党员本年度平均积分 + 10 × 本单位本年度完成的认领项目数；"
    "再以本街道原始分最高的党组织为 100 折算，保留一位小数。"
)
# The walls' rules are stored with each kept wall in Chinese (WallSnapshot.rule) and translated when shown.
STATION_WALL_RULE = gettext_noop(
    "党群服务站公示本社区驻区单位党组织的堡垒指数（党群服务中心公示全街道的），"
    "按指数从高到低排列；每月1日留存上月的公示，之后积分更正也不再改变。"
)
POINT_WALL_RULE = gettext_noop(
    "党群服务点公示到本网格（社区）报到的在册党员：按当月积分从高到低排列，"
    "先锋指数按本年度积分计算；每月1日留存上月的公示，之后积分更正也不再改变。"
)


def round1(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _until(entries, until):
    return entries.filter(occurred_on__lte=until) if until else entries


def pioneer_indexes(*, street_id: int, year: int, until=None) -> dict[int, Decimal]:
    """先锋指数 of every member with points in the street this year (one query); see PIONEER_RULE.
    ``until``: counting the entries up to that day only (a month's wall as it stood at the month's end)."""
    entries = PointsEntry.objects.filter(street_id=street_id, member__isnull=False, occurred_on__year=year)
    totals = dict(_until(entries, until).values_list("member_id").annotate(total=Sum("points")).order_by())
    positive = [t for t in totals.values() if t > 0]
    if not positive:
        return dict.fromkeys(totals, Decimal("0.0"))
    median = Decimal(str(statistics.median(positive)))
    return {mid: min(round1(Decimal(max(t, 0)) / median * 100), Decimal(PIONEER_CAP)) for mid, t in totals.items()}


def fortress_indexes(*, street_id: int, year: int, until=None) -> dict[int, dict]:
    """堡垒指数 of every party organisation of the street's units (four queries); see FORTRESS_RULE."""
    orgs = list(
        PartyOrganization.objects.filter(unit__grid_node__street_id=street_id)
        .select_related("unit__grid_node")
        .order_by("name", "id")
    )
    unit_ids = [o.unit_id for o in orgs]
    members = dict(
        PartyMember.objects.filter(unit_id__in=unit_ids, is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    member_points = dict(
        _until(
            PointsEntry.objects.filter(member__unit_id__in=unit_ids, member__is_active=True, occurred_on__year=year),
            until,
        )
        .values_list("member__unit_id")
        .annotate(s=Sum("points"))
        .order_by()
    )
    claims = dict(
        _until(
            PointsEntry.objects.filter(unit_id__in=unit_ids, kind=PointsKind.CLAIM_COMPLETED, occurred_on__year=year),
            until,
        )
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    raw = {}
    for org in orgs:
        count = members.get(org.unit_id, 0)
        average = Decimal(member_points.get(org.unit_id, 0)) / count if count else Decimal(0)
        raw[org.pk] = average + 10 * claims.get(org.unit_id, 0)
    top = max(raw.values(), default=Decimal(0))
    return {
        org.pk: {
            "organization": org,
            "raw": round1(raw[org.pk]),
            "index": round1(raw[org.pk] / top * 100) if top > 0 else Decimal("0.0"),
            "completed_claims": claims.get(org.unit_id, 0),
            "members": members.get(org.unit_id, 0),
        }
        for org in orgs
    }
