"""Orders and issues, written by residents all day, merge their grams into their gram index in batches
(alliance.core.search.short_pending_list)."""

from django.db import migrations

from alliance.core.search import short_pending_list


class Migration(migrations.Migration):
    dependencies = [("services", "0021_history_indexes_booking_room")]

    operations = [short_pending_list("order_search_grams"), short_pending_list("issue_search_grams")]
