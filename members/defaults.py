"""Default rows the product cannot work without: the points rules."""

import importlib

from members.models import PointsRule


def restore_empty_points_rules(**kwargs) -> None:
    """After migrate or a flush: no rules at all gets the defaults back (edited rules are kept)."""
    if PointsRule.objects.exists():
        return
    rules = importlib.import_module("members.migrations.0004_default_points_rules").RULES
    PointsRule.objects.bulk_create(
        PointsRule(kind=kind, points=points, description=description) for kind, points, description in rules
    )
