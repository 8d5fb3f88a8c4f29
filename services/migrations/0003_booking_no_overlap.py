"""Confirmed bookings of one room never overlap: an exclusion constraint, on PostgreSQL only.

It is not in ``Booking.Meta`` because SQLite (the embedded default) has no GiST; there the
booking action checks overlaps inside its transaction instead.
"""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE services_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
    "(room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'confirmed')",
)
DROP = ("ALTER TABLE services_booking DROP CONSTRAINT IF EXISTS booking_no_overlap",)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("services", "0002_stations_menu_orders_issues_activities")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
