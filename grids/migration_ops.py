"""Migration operations for models that keep their grid node's street (grids.models.KeepsStreet)."""

from django.db import migrations, models


def fill_streets(*labels: str) -> migrations.RunPython:
    """The operation that sets each row's street from its grid node, for the models ``labels`` ("services.Order"):
    one UPDATE per table, on PostgreSQL joined to the grid nodes rather than a subquery per row."""

    def forwards(apps, schema_editor):
        grid_nodes = apps.get_model("grids", "GridNode")
        for label in labels:
            model = apps.get_model(label)
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(
                    f"UPDATE {model._meta.db_table} t SET street_id = g.street_id "  # noqa: S608 - model's table
                    f"FROM {grid_nodes._meta.db_table} g WHERE g.id = t.grid_node_id"
                )
                continue
            street = grid_nodes.objects.filter(pk=models.OuterRef("grid_node_id")).values("street_id")[:1]
            model.objects.update(street_id=models.Subquery(street))

    return migrations.RunPython(forwards, migrations.RunPython.noop)
