"""Default rows the product cannot work without: the categories of SPEC §2."""

import importlib

from projects.models import Category


def ensure_categories() -> None:
    """The categories of the data migration, created where missing."""
    categories = importlib.import_module("projects.migrations.0002_seed_categories").CATEGORIES
    for order, (code, name, children) in enumerate(categories, start=1):
        parent, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for child_order, child in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=f"{code}-{child_order}", defaults={"name": child, "parent": parent, "sort_order": child_order}
            )


def restore_empty_categories(**kwargs) -> None:
    """After migrate or a flush: an empty taxonomy gets its defaults back (a deleted category stays deleted)."""
    if not Category.objects.exists():
        ensure_categories()
