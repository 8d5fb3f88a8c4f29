"""Plane geometry of the grid's boundaries: GeoJSON read and checked, point in polygon, centre, distance.

Boundaries are GeoJSON Polygons or MultiPolygons in WGS84 longitude/latitude, stored as JSON on
``GridNode.boundary``. Kept hand-written instead of Shapely (which needs NumPy): the portal needs
only these few functions, and the browser runs the same even-odd test (static/services/map.js).
A micro-grid is a few hundred metres across, so treating degrees as a plane is exact enough.
"""

import json
import math
from decimal import Decimal
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
MIN_LAT, MAX_LAT = Decimal(-90), Decimal(90)
MIN_LNG, MAX_LNG = Decimal(-180), Decimal(180)
EARTH_RADIUS_M = 6_371_008.8
DIGITS = 6  # about 0.1 m: what the centre columns keep


def max_vertices() -> int:
    return getattr(settings, "MAP_BOUNDARY_MAX_VERTICES", 20_000)


def _fail(message: str) -> NoReturn:
    raise ValidationError(message, code="invalid_geojson")


def read_geojson(raw: bytes | str) -> dict:
    """Parse an uploaded file's text and return its geometry (``{"type", "coordinates"}``), or ValidationError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            _fail(_("文件不是UTF-8编码的GeoJSON文本。"))
    try:
        data = json.loads(raw, parse_constant=lambda name: _fail(_("GeoJSON中含有无效的数字。")))
    except (ValueError, RecursionError):
        _fail(_("文件不是有效的GeoJSON（JSON格式错误）。"))
    return clean_geometry(data)


def clean_geometry(data) -> dict:
    """A Feature, a FeatureCollection of one feature, or a geometry → a checked Polygon/MultiPolygon."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            _fail(_("FeatureCollection须只含一个要素（该网格的边界）。"))
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in GEOMETRY_TYPES:
        _fail(_("边界须是面或多面类型的GeoJSON（不能是点或线）。"))
    coordinates = data.get("coordinates")
    polygons = [coordinates] if data["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        _fail(_("边界没有坐标。"))
    count = 0
    cleaned = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            _fail(_("多边形没有坐标环。"))
        rings = []
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                _fail(_("每个坐标环至少要有4个点（首尾相同）。"))
            count += len(ring)
            if count > max_vertices():
                _fail(_("边界的点过多（最多%(n)s个）。") % {"n": max_vertices()})
            points = [_position(p) for p in ring]
            if points[0] != points[-1]:
                _fail(_("坐标环没有闭合：首尾两点须相同。"))
            rings.append(points)
        cleaned.append(rings)
    if data["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": cleaned[0]}
    return {"type": "MultiPolygon", "coordinates": cleaned}


def _position(value) -> list[float]:
    """``[lng, lat]`` (an altitude is dropped) within WGS84 bounds, rounded to 6 decimals."""
    if not isinstance(value, list) or len(value) not in (2, 3):
        _fail(_("坐标须是［经度，纬度］。"))
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        _fail(_("坐标须是数字。"))
    lng, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lng) and math.isfinite(lat)) or not (-180 <= lng <= 180 and -90 <= lat <= 90):
        _fail(_("坐标超出经纬度范围（经度−180至180，纬度−90至90，WGS84）。"))
    return [round(lng, DIGITS), round(lat, DIGITS)]


def polygons_of(geometry) -> list:
    """The polygons (each a list of rings) of a stored boundary; [] when empty or not a polygon."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Polygon":
        return [geometry.get("coordinates") or []]
    if geometry.get("type") == "MultiPolygon":
        return geometry.get("coordinates") or []
    return []


def _in_ring(lng: float, lat: float, ring) -> bool:
    """Even-odd rule: does a ray to the east cross the ring an odd number of times."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry, lat, lng) -> bool:
    """Whether the point lies inside the boundary (inside an outer ring and outside its holes)."""
    lat, lng = float(lat), float(lng)
    for polygon in polygons_of(geometry):
        if polygon and _in_ring(lng, lat, polygon[0]) and not any(_in_ring(lng, lat, hole) for hole in polygon[1:]):
            return True
    return False


def centre(geometry) -> tuple[Decimal, Decimal] | None:
    """The middle of the boundary's bounding box as ``(lat, lng)``: where a node's pin goes when it has none."""
    points = [p for polygon in polygons_of(geometry) for p in (polygon[0] if polygon else [])]
    if not points:
        return None
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    lat = (min(lats) + max(lats)) / 2
    lng = (min(lngs) + max(lngs)) / 2
    return Decimal(str(round(lat, DIGITS))), Decimal(str(round(lng, DIGITS)))


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def degrees_around(metres: float, lat) -> tuple[float, float]:
    """The half-sides in degrees (lat, lng) of a box reaching ``metres`` from a point at ``lat``: a prefilter."""
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(0.01, math.cos(math.radians(float(lat)))))
    return dlat, dlng
