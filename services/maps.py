"""What the map shows, as GeoJSON: grid boundaries and centres, stations, rooms, activities and, for staff,
the open issues of their subtree. One query per layer whatever the number of features (capped).

A feature's point is its own (a station's or an issue's coordinates) or, failing that, the centre of its
grid node: a room sits at its station, an activity at its grid's centre.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.scoping import scope_queryset
from grids import geo
from grids.models import GridNode
from services import selectors_board
from services.models import Activity, Issue, Room, ServiceSettings, ServiceStation

LAYERS = {
    "grids": gettext_lazy("网格边界"),
    "stations": gettext_lazy("党群服务阵地"),
    "rooms": gettext_lazy("共享空间"),
    "activities": gettext_lazy("近期活动"),
    "issues": gettext_lazy("居民说事"),
    "public_issues": gettext_lazy("说事墙"),
}
PUBLIC_LAYERS = ("grids", "stations", "rooms", "activities")
OPEN_ISSUES = (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING, Issue.Status.FEEDBACK)
# The pins' colours by stage (the legend's too); kept here so the page and the script agree.
STAGE_COLOURS = {
    Issue.Status.DISCOVERED: "#c62828",
    Issue.Status.CONSULTING: "#ef6c00",
    Issue.Status.HANDLING: "#1565c0",
    Issue.Status.FEEDBACK: "#2e7d32",
}


def max_features() -> int:
    return getattr(settings, "MAP_MAX_FEATURES", 2000)


def sees_issues(user) -> bool:
    """Street and community admins and grid workers (their subtree), and superusers, see the issue pins."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff_role", False))


def first_street() -> GridNode | None:
    return GridNode.objects.streets().order_by("sort_order", "pk").first()


def default_node(user) -> GridNode | None:
    """The subtree a map opens on: a staff member's own node, anyone else's street, else the first street
    (a map of every street at once would span the country)."""
    node = getattr(user, "grid_node", None) if getattr(user, "is_authenticated", False) else None
    if node is None or user.is_superuser:
        return first_street()
    if user.is_staff_role:
        return node
    return GridNode.objects.filter(pk=node.street_id).first()


def _point(lat, lng):
    if lat is None or lng is None:
        return None
    return {"type": "Point", "coordinates": [float(lng), float(lat)]}


def _feature(layer: str, geometry, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"layer": layer, **properties}}


def _within(queryset, node: GridNode | None, path: str):
    return queryset if node is None else queryset.filter(**{f"{path}path__startswith": node.path})


def _capped(queryset) -> tuple[list, bool]:
    rows = list(queryset[: max_features() + 1])
    return rows[: max_features()], len(rows) > max_features()


def grid_features(node):
    nodes = _within(GridNode.objects.all(), node, "").filter(
        Q(boundary__isnull=False) | Q(center_lat__isnull=False, center_lng__isnull=False)
    )
    rows, cut = _capped(
        nodes.order_by("path").only("name", "level", "parent_id", "boundary", "center_lat", "center_lng")
    )
    features = []
    for n in rows:
        shape = n.boundary if geo.polygons_of(n.boundary) else _point(n.center_lat, n.center_lng)
        features.append(
            _feature(
                "grids",
                shape,
                id=n.pk,
                name=n.name,
                level=n.level,
                parent=n.parent_id,
                centre=[float(n.center_lat), float(n.center_lng)] if n.center_lat is not None else None,
            )
        )
    return features, cut


def station_features(node):
    stations = _within(ServiceStation.objects.filter(is_active=True), node, "grid_node__").select_related("grid_node")
    rows, cut = _capped(stations.order_by("kind", "name", "pk"))
    features = []
    for s in rows:
        shape = _point(s.lat, s.lng) or _point(s.grid_node.center_lat, s.grid_node.center_lng)
        if shape:
            url = reverse("services:station", args=[s.pk])
            features.append(_feature("stations", shape, id=s.pk, name=s.name, kind=s.get_kind_display(), url=url))
    return features, cut


def room_features(node):
    rooms = _within(Room.objects.filter(is_active=True), node, "grid_node__").select_related("station", "grid_node")
    rows, cut = _capped(rooms.order_by("name", "pk"))
    features = []
    for r in rows:
        station = r.station
        shape = (_point(station.lat, station.lng) if station else None) or _point(
            r.grid_node.center_lat, r.grid_node.center_lng
        )
        if shape:
            url = reverse("services:room", args=[r.pk])
            features.append(_feature("rooms", shape, id=r.pk, name=r.name, capacity=r.capacity, url=url))
    return features, cut


def activity_features(node):
    activities = _within(
        Activity.objects.filter(status=Activity.Status.PUBLISHED, ends_at__gte=timezone.now()), node, "grid_node__"
    ).select_related("grid_node")
    rows, cut = _capped(activities.order_by("starts_at", "pk"))
    features = []
    for a in rows:
        shape = _point(a.grid_node.center_lat, a.grid_node.center_lng)
        if shape:
            starts = timezone.localtime(a.starts_at).strftime(_("%m月%d日 %H:%M"))
            url = reverse("services:activity", args=[a.pk])
            features.append(_feature("activities", shape, id=a.pk, name=a.title, starts=starts, url=url))
    return features, cut


def issue_features(node, user):
    issues = scope_queryset(Issue.objects.filter(status__in=OPEN_ISSUES), user)
    issues = _within(issues, node, "grid_node__").select_related("grid_node")
    rows, cut = _capped(issues.order_by("-reported_at", "-pk"))
    features = []
    for i in rows:
        shape = _point(i.lat, i.lng) or _point(i.grid_node.center_lat, i.grid_node.center_lng)
        if shape:
            url = reverse("services_ws:issue", args=[i.pk])
            features.append(
                _feature(
                    "issues",
                    shape,
                    id=i.pk,
                    name=i.title,
                    status=i.status,
                    stage=i.get_status_display(),
                    colour=STAGE_COLOURS.get(i.status, "#555"),
                    grid=i.grid_node.name,
                    url=url,
                )
            )
    return features, cut


def public_issue_features(node):
    """The public board's issues (说事墙), for everyone: title, stage in residents' words, grid, “同样遇到”."""
    rows = selectors_board.map_rows(node, max_features())
    rows, cut = rows[: max_features()], len(rows) > max_features()
    features = []
    for i in rows:
        shape = _point(i.lat, i.lng) or _point(i.grid_node.center_lat, i.grid_node.center_lng)
        if shape:
            label, _tag = i.resident_tag
            features.append(
                _feature(
                    "public_issues",
                    shape,
                    id=i.pk,
                    name=i.title,
                    status=i.status,
                    stage=label,
                    colour=STAGE_COLOURS.get(i.status, "#6d4c41"),
                    grid=i.grid_node.name,
                    me_too=i.me_too_count,
                    url=reverse("services:board_issue", args=[i.pk]),
                )
            )
    return features, cut


def map_collection(user, *, node: GridNode | None, layers) -> dict:
    """The FeatureCollection of the asked layers within ``node``'s subtree (staff: within their scope too)."""
    builders = {
        "grids": grid_features,
        "stations": station_features,
        "rooms": room_features,
        "activities": activity_features,
        "public_issues": public_issue_features,
    }
    features: list[dict] = []
    truncated = []
    for layer in layers:
        if layer == "issues":
            if not sees_issues(user):
                continue
            found, cut = issue_features(node, user)
        else:
            found, cut = builders[layer](node)
        features += found
        if cut:
            truncated.append(layer)
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def service_circle_m() -> int:
    return ServiceSettings.load().service_circle_m


def nearest_stations(lat, lng, *, limit: int = 3) -> list[tuple[ServiceStation, int]]:
    """The open stations nearest a point, with their distance in metres (one query; stations are few)."""
    stations = ServiceStation.objects.filter(is_active=True).select_related("grid_node")
    placed = []
    for s in stations[: max_features()]:
        here = (s.lat, s.lng) if s.lat is not None else (s.grid_node.center_lat, s.grid_node.center_lng)
        if here[0] is not None and here[1] is not None:
            placed.append((s, round(geo.distance_m(lat, lng, *here))))
    placed.sort(key=lambda pair: pair[1])
    return placed[:limit]
