"""The gram index of the menu items' titles (alliance.core.search): the admin's order search finds the orders of the
items whose title holds the term through it (a city has ten thousand items; each search read them all, twice)."""

from django.db import migrations

from alliance.core.search import gram_index


class Migration(migrations.Migration):
    dependencies = [("services", "0017_street_column"), ("core", "0010_search_grams")]

    operations = [gram_index("services_menuitem", "menuitem_search_grams", ("title",))]
