"""The gram index of the admin's Chinese name search (alliance.core.search) on grid nodes: name and code."""

from django.db import migrations

from alliance.core.search import gram_index


class Migration(migrations.Migration):
    dependencies = [("grids", "0006_district_name_blank"), ("core", "0010_search_grams")]

    operations = [gram_index("grids_gridnode", "gridnode_search_grams", ("name", "code"))]
