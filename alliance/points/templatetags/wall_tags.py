"""The wall (公示) on a station's page: ``{% load wall_tags %}{% station_wall station year month %}``.

services sits below points, so its station view cannot import the indexes; its template loads this library
instead (a template is not an import). The view reads and bounds the month (services.forms.WallMonthForm).
"""

from django import template

from alliance.points import wall

register = template.Library()


@register.inclusion_tag("points/_wall.html")
def station_wall(station, year: int, month: int):
    """The station's board of the month (live or kept) and its latest monthly stars (fixed queries)."""
    return {"station": station, "wall": wall.wall(station, year=year, month=month), "stars": wall.latest_stars(station)}


@register.filter
def star_marks(value) -> str:
    """4 → ★★★★☆ (0–5 stars)."""
    n = max(0, min(int(value or 0), 5))
    return "★" * n + "☆" * (5 - n)
