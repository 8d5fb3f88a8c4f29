"""The wall (公示) of a station and a service point: 堡垒指数 on the 站, 先锋指数 and the month's points on the 点.

The current month is read live; a past month from its WallSnapshot, taken on the 1st of the next month by the
``points.snapshot_wall`` job (once per station and month: later corrections of points never change it). Every
read runs a fixed number of queries whatever the number of units or members.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from alliance.points import indexes
from alliance.points.models import StarRating, WallSnapshot, WallSnapshotRow
from alliance.points.rankings import competition_ranks, month_bounds, previous_month
from members.models import PartyMember
from services.models import ServiceStation

POINT = ServiceStation.Kind.POINT


def board_of(station) -> str:
    return WallSnapshot.Board.PIONEER if station.kind == POINT else WallSnapshot.Board.FORTRESS


def rule_of(board: str) -> str:
    """The wall's rule as stored (Chinese); ``gettext`` of it is the rule as shown."""
    return indexes.POINT_WALL_RULE if board == WallSnapshot.Board.PIONEER else indexes.STATION_WALL_RULE


def index_rule_of(board: str) -> str:
    return str(indexes.PIONEER_RULE if board == WallSnapshot.Board.PIONEER else indexes.FORTRESS_RULE)


def _street_id(node) -> int:
    return node.street_id or node.pk


def _community_path(node) -> str:
    """The path of the node's community (the street's own path for a street): a station's 社区."""
    return "".join(f"{part}/" for part in node.path.split("/")[:2] if part) if node.level > 2 else node.path


def fortress_rows(station, *, year: int, until=None, found: dict | None = None) -> list[dict]:
    """The 堡垒指数 of the party organisations of the units in the station's community (street for a centre),
    highest first (four queries, none with ``found``: the street's indexes read already)."""
    node = station.grid_node
    if found is None:
        found = indexes.fortress_indexes(street_id=_street_id(node), year=year, until=until)
    path = _community_path(node)
    mine = sorted(
        (f for f in found.values() if f["organization"].unit.grid_node.path.startswith(path)),
        key=lambda f: (-f["index"], f["organization"].name, f["organization"].pk),
    )
    totals = [(f, f["index"]) for f in mine]
    return [
        {
            "rank": rank,
            "name": f["organization"].name,
            "unit_name": f["organization"].unit.name,
            "index": f["index"],
            "points": None,
            "completed_claims": f["completed_claims"],
        }
        for rank, (f, _) in competition_ranks(totals)
    ]


def pioneer_rows(station, *, year: int, month: int, pioneers: dict | None = None) -> list[dict]:
    """The active party members reported to the point's grid node (or below it): their points of the month and
    their 先锋指数 of the year up to the month's end, by points then name (two queries, one with ``pioneers``)."""
    start, end = month_bounds(year, month)
    node = station.grid_node
    if pioneers is None:
        pioneers = indexes.pioneer_indexes(street_id=_street_id(node), year=year, until=end)
    members = (
        PartyMember.objects.filter(community__path__startswith=node.path, is_active=True)
        .annotate(
            month_points=Coalesce(
                Sum("points__points", filter=Q(points__occurred_on__range=(start, end))),
                Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-month_points", "name", "id")
        .values_list("id", "month_points", "name")
    )
    return [
        {
            "rank": rank,
            "name": name,
            "unit_name": "",
            "index": pioneers.get(mid, indexes.round1(0)),
            "points": pts,
            "completed_claims": None,
        }
        for rank, (mid, pts, name) in competition_ranks(list(members))
    ]


def live_rows(station, *, year: int, month: int) -> list[dict]:
    if board_of(station) == WallSnapshot.Board.PIONEER:
        return pioneer_rows(station, year=year, month=month)
    return fortress_rows(station, year=year, until=month_bounds(year, month)[1])


def latest_stars(station):
    """The station's latest monthly star rating, or None (one query)."""
    return StarRating.objects.filter(station=station).order_by("-year", "-month").first()


def snapshot_of(station, *, year: int, month: int):
    """The kept wall of a past month with its rows, or None (two queries)."""
    rows = Prefetch("rows", WallSnapshotRow.objects.order_by("rank", "id"))
    return WallSnapshot.objects.filter(station=station, year=year, month=month).prefetch_related(rows).first()


def wall(station, *, year: int, month: int, today: datetime.date | None = None) -> dict:
    """What the station's page shows for a month: live for the current month, else the snapshot."""
    today = today or timezone.localdate()
    board = board_of(station)
    result = {
        "board": board,
        "year": year,
        "month": month,
        "live": (year, month) == (today.year, today.month),
        "index_rule": index_rule_of(board),
    }
    if result["live"]:
        return {
            **result,
            "rows": live_rows(station, year=year, month=month),
            "rule": gettext(rule_of(board)),
            "kept": None,
        }
    kept = snapshot_of(station, year=year, month=month)
    rows = list(kept.rows.all()) if kept else []
    return {**result, "rows": rows, "rule": gettext(kept.rule if kept else rule_of(board)), "kept": kept}


def take_snapshot(station, *, year: int, month: int, found: dict | None = None, pioneers: dict | None = None):
    """Keep the station's wall of a month: once; a second call returns the kept one unchanged."""
    existing = WallSnapshot.objects.filter(station=station, year=year, month=month).first()
    if existing is not None:
        return existing, False
    board = board_of(station)
    if board == WallSnapshot.Board.PIONEER:
        rows = pioneer_rows(station, year=year, month=month, pioneers=pioneers)
    else:
        rows = fortress_rows(station, year=year, until=month_bounds(year, month)[1], found=found)
    stars = StarRating.objects.filter(station=station, year=year, month=month).values_list("stars", flat=True).first()
    try:
        with transaction.atomic():
            snapshot = WallSnapshot.objects.create(
                station=station,
                grid_node=station.grid_node,
                year=year,
                month=month,
                board=board,
                rule=rule_of(board),
                stars=stars,
            )
            WallSnapshotRow.objects.bulk_create(
                WallSnapshotRow(
                    snapshot=snapshot,
                    rank=r["rank"],
                    name=r["name"],
                    index=r["index"],
                    points=r["points"],
                    completed_claims=r["completed_claims"],
                )
                for r in rows
            )
    except IntegrityError:  # kept meanwhile by another run of the job
        return WallSnapshot.objects.get(station=station, year=year, month=month), False
    return snapshot, True


def snapshot_month(*, year: int, month: int, stations) -> int:
    """Keep the wall of every given station for a month (the job); the indexes are read once per street.
    Returns how many snapshots were taken now (0 on a rerun)."""
    end = month_bounds(year, month)[1]
    fortress: dict[int, dict] = {}
    pioneer: dict[int, dict] = {}
    taken = 0
    for station in stations:
        street_id = _street_id(station.grid_node)
        if board_of(station) == WallSnapshot.Board.PIONEER:
            if street_id not in pioneer:
                pioneer[street_id] = indexes.pioneer_indexes(street_id=street_id, year=year, until=end)
            _, created = take_snapshot(station, year=year, month=month, pioneers=pioneer[street_id])
        else:
            if street_id not in fortress:
                fortress[street_id] = indexes.fortress_indexes(street_id=street_id, year=year, until=end)
            _, created = take_snapshot(station, year=year, month=month, found=fortress[street_id])
        taken += created
    return taken


def snapshot_last_month(*, today: datetime.date | None = None) -> int:
    """The monthly job: keep last month's wall of every open station, centre and point."""
    year, month = previous_month(today or timezone.localdate())
    kept = WallSnapshot.objects.filter(year=year, month=month).values("station_id")
    stations = ServiceStation.objects.filter(is_active=True).exclude(pk__in=kept).select_related("grid_node")
    return snapshot_month(year=year, month=month, stations=stations.order_by("pk"))
