"""Default rows the product cannot work without: the points rules."""

import importlib

from django.apps import apps as global_apps


def restore_empty_points_rules(*, apps=global_apps, **kwargs) -> None:
    """After migrate or a flush: no rules at all gets the defaults back (edited rules are kept)."""
    try:
        PointsRule = apps.get_model("points", "PointsRule")
    except LookupError:  # migrated back to before points had its tables
        return
    if PointsRule.objects.exists():
        return
    # The rules were first seeded by a data migration of members (before points became its own app).
    rules = importlib.import_module("members.migrations.0004_default_points_rules").RULES
    PointsRule.objects.bulk_create(
        PointsRule(kind=kind, points=points, description=description) for kind, points, description in rules
    )
