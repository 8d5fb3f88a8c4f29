"""Demo map: boundaries and centres of the demo grid, points of its stations and issues.

The demo streets have no surveyed boundaries, so each is laid out as a block of rectangles near its real place
(舜玉路街道 in Jinan, 西站街道 in Lanzhou): a community is a block, its micro-grids tile it four abreast.
Idempotent: only what has no boundary or point yet gets one.
"""

import math
import random
from decimal import Decimal

from grids import geo
from grids.models import GridNode
from services.models import Issue, ServiceStation

# The north-west corner of each street's block (lat, lng).
ORIGINS = {"SY": (36.6395, 116.9985), "XZ": (36.0655, 103.7695)}
BLOCK_W, BLOCK_H = 0.012, 0.009  # a community, in degrees (about 1.1 km × 1 km)
COLUMNS = 4


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _place(node: GridNode, shape: dict, changed: list) -> None:
    if node.boundary:
        return
    node.boundary = shape
    node.center_lat, node.center_lng = geo.centre(shape) or (None, None)
    changed.append(node)


def _lay_out_street(street: GridNode, changed: list) -> None:
    top, left = ORIGINS[street.code]
    communities = list(GridNode.objects.filter(parent=street).order_by("sort_order", "code"))
    micro = {}
    for node in GridNode.objects.filter(street=street, level=GridNode.Level.MICRO).order_by("sort_order", "code"):
        micro.setdefault(node.parent_id, []).append(node)
    rows = math.ceil(len(communities) / COLUMNS) or 1
    _place(street, rectangle(left, top - rows * BLOCK_H, left + COLUMNS * BLOCK_W, top), changed)
    for i, community in enumerate(communities):
        west, north = left + (i % COLUMNS) * BLOCK_W, top - (i // COLUMNS) * BLOCK_H
        _place(community, rectangle(west, north - BLOCK_H, west + BLOCK_W, north), changed)
        cells = micro.get(community.pk, [])
        cell_rows = math.ceil(len(cells) / COLUMNS) or 1
        w, h = BLOCK_W / COLUMNS, BLOCK_H / cell_rows
        for k, node in enumerate(cells):
            x, y = west + (k % COLUMNS) * w, north - (k // COLUMNS) * h
            _place(node, rectangle(x, y - h, x + w, y), changed)


def _near(node: GridNode, rng: random.Random, spread: float = 0.3) -> tuple[Decimal, Decimal] | None:
    """A point inside the node's box, near its centre (within ``spread`` of its half-sides)."""
    polygons = geo.polygons_of(node.boundary)
    if not polygons or node.center_lat is None:
        return None
    ring = polygons[0][0]
    half_w = (max(p[0] for p in ring) - min(p[0] for p in ring)) / 2
    half_h = (max(p[1] for p in ring) - min(p[1] for p in ring)) / 2
    lat = float(node.center_lat) + rng.uniform(-spread, spread) * half_h
    lng = float(node.center_lng) + rng.uniform(-spread, spread) * half_w
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def seed(*, stdout) -> None:
    rng = random.Random(20181205)
    changed: list = []
    for street in GridNode.objects.streets().filter(code__in=ORIGINS):
        _lay_out_street(street, changed)
    GridNode.objects.bulk_update(changed, ["boundary", "center_lat", "center_lng"], batch_size=200)
    nodes = {n.pk: n for n in GridNode.objects.filter(boundary__isnull=False)}
    stations = []
    for station in ServiceStation.objects.filter(lat__isnull=True):
        point = _near(nodes[station.grid_node_id], rng, 0.2) if station.grid_node_id in nodes else None
        if point:
            station.lat, station.lng = point
            stations.append(station)
    ServiceStation.objects.bulk_update(stations, ["lat", "lng"], batch_size=200)
    issues = []
    for issue in Issue.objects.filter(lat__isnull=True).order_by("pk"):
        point = _near(nodes[issue.grid_node_id], rng, 0.8) if issue.grid_node_id in nodes else None
        if point:
            issue.lat, issue.lng = point
            issues.append(issue)
    Issue.objects.bulk_update(issues, ["lat", "lng"], batch_size=200)
    stdout.write(
        f"  alliance.demo.maps: {len(changed)} 个网格边界、{len(stations)} 个服务站点位、{len(issues)} 件说事点位"
    )
