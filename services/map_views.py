"""The map page (/services/map/) and the map settings every map of the portal reads (json_script → map.js)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import QueryForm, page_status, read_query
from grids.models import GridNode
from grids.querying import GridNodeChoiceField
from services import maps
from services.models import Issue


def tiles() -> dict | None:
    """The base layer from settings (MAP_TILE_*), or None: the plain map of boundaries and points."""
    template = getattr(settings, "MAP_TILE_URL", "")
    if not template:
        return None
    return {
        "url": template.replace("{key}", getattr(settings, "MAP_TILE_KEY", "")),
        "subdomains": getattr(settings, "MAP_TILE_SUBDOMAINS", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "maxZoom": getattr(settings, "MAP_TILE_MAX_ZOOM", 18),
    }


def map_texts() -> dict[str, str]:
    """The map script's own words, in the reader's language (no JavaScript catalogue)."""
    return {
        "tilesFailed": gettext("底图暂时无法加载，现显示网格边界图。"),
        "openIssues": gettext("未办结的居民说事：%(n)s件。"),
        "dataFailed": gettext("地图数据暂时无法加载，请稍后刷新。"),
        "picked": gettext("已选位置：%(name)s。"),
        "outsideGrids": gettext("已在地图上标出位置；该处不在已划定的微网格内，请在下方选择社区和微网格。"),
        "locating": gettext("正在获取您的位置……"),
        "noLocation": gettext("无法获取您的位置，请在地图上点选，或在下方选择社区和微网格。"),
        "pickerFailed": gettext("地图暂时无法加载，请在下方选择社区和微网格。"),
    }


def map_config(request, **extra) -> dict:
    """What static/services/map.js needs; passed with ``json_script``, never in an inline script."""
    lat, lng, zoom = settings.MAP_DEFAULT_CENTRE
    return {
        "data": reverse("map-list"),
        "tiles": tiles(),
        "centre": [lat, lng],
        "zoom": zoom,
        "colours": {str(k): v for k, v in maps.STAGE_COLOURS.items()},
        "texts": map_texts(),
        **extra,
    }


def stage_legend():
    return [(Issue.Status(status).label, colour) for status, colour in maps.STAGE_COLOURS.items()]


MAX_STREETS = 50  # the street tabs of the map page


class MapPageQuery(QueryForm):
    street = GridNodeChoiceField(label=_("街道"), required=False, queryset=GridNode.objects.streets())


def map_page(request):
    """The grid's map of one street (or the staff member's own subtree): boundaries, stations, rooms and
    activities; for staff also their open issues by stage. Queries: the street asked (if any) or the viewer's
    default, and the street tabs."""
    query = read_query(request, MapPageQuery)
    staff = maps.sees_issues(request.user)
    node = query.value("street") or maps.default_node(request.user)
    layers = [*maps.PUBLIC_LAYERS, "issues"] if staff else list(maps.PUBLIC_LAYERS)
    config = map_config(request, layers=layers, node=node.pk if node else None, mode="overview")
    streets = list(GridNode.objects.streets().order_by("sort_order", "pk").only("name")[:MAX_STREETS])
    context = {
        "config": config,
        "staff": staff,
        "stages": stage_legend() if staff else [],
        "streets": streets if len(streets) > 1 else [],
        "current": node,
    }
    return render(request, "services/map.html", context, status=page_status(request, query))
