"""Monthly rankings of party members by points: live, frozen when published, and the TOP10 shown.

Reads run a fixed number of queries; publishing follows the actions rules.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.errors import Conflict
from alliance.core.scoping import in_scope, sees_all
from alliance.points.models import PointsEntry, PointsRanking, PointsRankingRow
from grids.models import GridNode
from members.models import PartyMember, User

TOP_N = 10


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def competition_ranks(totals: list[tuple]) -> list[tuple[int, tuple]]:
    """(rank, row) for rows sorted by points descending; equal points share a rank (1, 2, 2, 4)."""
    ranked, rank, previous = [], 0, None
    for position, row in enumerate(totals, start=1):
        if row[1] != previous:
            rank, previous = position, row[1]
        ranked.append((rank, row))
    return ranked


def live_ranking(*, street_id: int, year: int, month: int, limit: int | None = None) -> list[dict]:
    """Members of a street by their points in the month (one query): rank, member, name, unit, points."""
    start, end = month_bounds(year, month)
    return period_ranking(street_id=street_id, start=start, end=end, limit=limit)


def period_ranking(*, street_id: int, start, end, limit: int | None = None, node=None) -> list[dict]:
    """Members of a street by their points between two dates, inclusive (one query).

    With ``node`` (a viewer's subtree), only the members whose community lies in it: a community's
    dashboard ranks its own members and names nobody from elsewhere."""
    entries = PointsEntry.objects.filter(street_id=street_id, member__isnull=False, occurred_on__range=(start, end))
    if node is not None:
        entries = entries.filter(member__community__path__startswith=node.path)
    rows = (
        entries.values("member_id", "member__name", "member__unit__name", "member__community__name")
        .annotate(total=Sum("points"))
        .filter(total__gt=0)
        .order_by("-total", "member_id")
    )
    totals = [
        (r["member_id"], r["total"], r["member__name"], r["member__unit__name"] or "", r["member__community__name"])
        for r in rows
    ]
    ranked = [
        {"rank": rank, "member_id": mid, "name": name, "unit_name": unit, "community_name": comm, "points": pts}
        for rank, (mid, pts, name, unit, comm) in competition_ranks(totals)
    ]
    return [r for r in ranked if r["rank"] <= limit] if limit else ranked


@transaction.atomic
def publish_ranking(*, by, street, year: int, month: int) -> PointsRanking:
    """Freeze a street's ranking of a month: its rows are stored and never change afterwards."""
    if by is not None and not (sees_all(by) or (by.role == User.Role.STREET_ADMIN and in_scope(street, by))):
        raise PermissionDenied(_("只有本街道管理员可以发布积分排行。"))
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": _("月份须在 1–12 之间。")})
    ranking, _made = PointsRanking.objects.get_or_create(street=street, year=year, month=month)
    ranking = PointsRanking.objects.select_for_update().get(pk=ranking.pk)
    if ranking.status == PointsRanking.Status.PUBLISHED:
        raise Conflict(_("该月积分排行已发布，不能更改；如需更正请新增积分更正记录。"))
    rows = live_ranking(street_id=street.pk, year=year, month=month)
    PointsRankingRow.objects.filter(ranking=ranking).delete()
    PointsRankingRow.objects.bulk_create(
        PointsRankingRow(
            ranking=ranking,
            rank=r["rank"],
            member_id=r["member_id"],
            name=r["name"],
            unit_name=r["unit_name"],
            community_name=r["community_name"],
            points=r["points"],
        )
        for r in rows
    )
    ranking.status, ranking.published_at, ranking.published_by = PointsRanking.Status.PUBLISHED, timezone.now(), by
    ranking.save(update_fields=["status", "published_at", "published_by"])
    return ranking


def previous_month(today: datetime.date) -> tuple[int, int]:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def publish_last_month(*, today=None) -> int:
    """The monthly job: publish every street's ranking of last month that is not yet published."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    done = 0
    published = set(
        PointsRanking.objects.filter(year=year, month=month, status=PointsRanking.Status.PUBLISHED).values_list(
            "street_id", flat=True
        )
    )
    for street in GridNode.objects.streets().exclude(pk__in=published):
        try:
            publish_ranking(by=None, street=street, year=year, month=month)
            done += 1
        except Conflict:  # published meanwhile by a street admin or a rerun
            pass
    return done


def top10(*, street_ids, year: int, month: int) -> dict[int, dict]:
    """Per street: the frozen TOP10 if the month is published, else the live one. Two queries + one per
    unpublished street (streets are few: a district has a handful)."""
    rankings = {
        r.street_id: r
        for r in PointsRanking.objects.filter(
            street_id__in=street_ids, year=year, month=month, status=PointsRanking.Status.PUBLISHED
        )
    }
    frozen_rows: dict[int, list] = {}
    for row in PointsRankingRow.objects.filter(
        ranking__street_id__in=street_ids,
        ranking__year=year,
        ranking__month=month,
        ranking__status=PointsRanking.Status.PUBLISHED,
        rank__lte=TOP_N,
    ).select_related("ranking"):
        frozen_rows.setdefault(row.ranking.street_id, []).append(
            {"rank": row.rank, "member_id": row.member_id, "name": row.name, "unit_name": row.unit_name,
             "community_name": row.community_name, "points": row.points}
        )  # fmt: skip
    result = {}
    for sid in street_ids:
        if sid in rankings:
            result[sid] = {"published": True, "ranking": rankings[sid], "rows": frozen_rows.get(sid, [])}
        else:
            result[sid] = {
                "published": False,
                "ranking": None,
                "rows": live_ranking(street_id=sid, year=year, month=month, limit=TOP_N),
            }
    return result


def member_history(member: PartyMember):
    """A member's entries, newest first, with the entry each correction corrects (one query)."""
    return PointsEntry.objects.filter(member=member).select_related("corrects").order_by("-occurred_on", "-id")
