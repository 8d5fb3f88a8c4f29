"""Gram indexes of the admin's Chinese name search (alliance.core.search) on units, party members and accounts; the
columns in the order the admins' searches name them (members/admin.py)."""

from django.db import migrations

from alliance.core.search import gram_index


class Migration(migrations.Migration):
    dependencies = [("members", "0010_district"), ("core", "0010_search_grams")]

    operations = [
        gram_index(
            "members_memberunit",
            "memberunit_search_grams",
            ("name", "credit_code", "contact_name", "contact_phone", "address"),
        ),
        gram_index("members_partymember", "partymember_search_grams", ("name", "phone")),
        gram_index("members_user", "user_search_grams", ("username", "display_name", "phone", "email")),
    ]
