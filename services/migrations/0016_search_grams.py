"""Gram indexes of the admin's Chinese search (alliance.core.search) on orders (their text) and issues (title,
text, location), the columns in the order services/admin.py's searches name them. Building them on a city's
1,000,000 orders and 200,000 issues takes minutes."""

from django.db import migrations

from alliance.core.search import gram_index


class Migration(migrations.Migration):
    dependencies = [("services", "0015_todo_scoped_indexes"), ("core", "0010_search_grams")]

    operations = [
        gram_index("services_order", "order_search_grams", ("text",)),
        gram_index("services_issue", "issue_search_grams", ("title", "text", "location")),
    ]
