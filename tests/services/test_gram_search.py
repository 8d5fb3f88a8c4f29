"""The orders' and issues' admin search in Chinese goes through their gram indexes (services/0016_search_grams, 0022,
alliance.core.search): a Bitmap Index Scan, not a scan of a million orders, and exactly the rows Django's own
search (``icontains`` over ``search_fields``) finds."""

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory

from alliance.core.search import PENDING_LIST_KB
from services.models import Issue, Order
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the gram index is PostgreSQL's"),
]

TEXTS = ["路灯不亮", "楼道路灯坏了", "小区路面坑洼", "Street LIGHT out", "党课送上门", "送餐", "路"]
TERMS = ["路", "路灯", "楼道路灯", "党课", "LIGHT", "light out", "送餐 上门", '"路灯 不亮"', "%", "_", "无此事"]


@pytest.fixture
def rows(community):
    menu = MenuItemFactory(title="党课进社区")
    for n, text in enumerate(TEXTS):
        OrderFactory(text=text, menu_item=menu if n == 0 else MenuItemFactory(title=f"助餐{n}"))
        IssueFactory(title=text, text=f"居民反映{n}", location=f"{text[:2]}小区{n}号楼")


def admin_of(model):
    return admin.site._registry[model]


def searched(model, term):
    request = RequestFactory().get("/admin/")
    found, _dupes = admin_of(model).get_search_results(request, model.objects.all(), term)
    return found


def plain(model, term):
    """Django's own admin search: every word in one of ``search_fields`` (icontains)."""
    from django.contrib.admin.options import ModelAdmin

    model_admin = admin_of(model)
    found, _dupes = ModelAdmin.get_search_results(model_admin, RequestFactory().get("/"), model.objects.all(), term)
    return found


def plan(queryset) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A few test rows: the planner would rather read them; at city size it picks the gram index by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("model", "index"), [(Order, "order_search_grams"), (Issue, "issue_search_grams")])
@pytest.mark.parametrize("term", ["路", "路灯", "楼道路灯"])
def test_orders_and_issues_are_searched_through_their_gram_index(rows, model, index, term):
    explained = plan(searched(model, term))
    assert f"Bitmap Index Scan on {index}" in explained
    assert f"Seq Scan on {model._meta.db_table}" not in explained


@pytest.mark.parametrize("model", [Order, Issue])
@pytest.mark.parametrize("term", TERMS)
def test_the_rows_are_exactly_those_djangos_search_finds(rows, model, term):
    assert set(searched(model, term).values_list("pk", flat=True)) == set(
        plain(model, term).values_list("pk", flat=True)
    )


def test_an_order_is_found_by_its_menu_items_title(rows):
    found = searched(Order, "党课进社区")
    assert list(found.values_list("text", flat=True)) == ["路灯不亮"]
    assert Order.objects.filter(Q(text__icontains="党课进社区")).count() == 0


@pytest.mark.parametrize("path", ["/admin/services/order/", "/admin/services/issue/"])
def test_the_lists_answer_a_chinese_search(client, superuser, rows, path):
    client.force_login(superuser)
    response = client.get(path, {"q": "路灯"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_an_orders_menu_item_title_is_searched_through_its_gram_index(rows):
    """A city has ten thousand menu items: their titles go through services/0018's index, not a scan."""
    explained = plan(searched(Order, "党课"))
    assert "Bitmap Index Scan on menuitem_search_grams" in explained
    assert "Seq Scan on services_menuitem" not in explained


@pytest.mark.parametrize(("model", "index"), [(Order, "order_search_grams"), (Issue, "issue_search_grams")])
def test_rows_just_written_are_found_through_the_index_while_they_wait_in_its_pending_list(rows, model, index):
    """Orders and issues merge their grams into the index in batches (services/0022): a row just written waits in
    the index's short pending list, and the search through the index finds it there all the same."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [index])
        assert cursor.fetchone()[0] == ["fastupdate=on", f"gin_pending_list_limit={PENDING_LIST_KB}"]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert f"Bitmap Index Scan on {index}" in plan(searched(model, "路灯"))
    found = set(searched(model, "路灯").values_list("pk", flat=True))
    assert len(found) == 2 and found == set(plain(model, "路灯").values_list("pk", flat=True))


# The grams as core's migration 0010 computed them in SQL; 0013 rewrote the function in PL/pgSQL, and the indexes
# built on it are valid only while it gives the same grams for the same text.
GRAMS_0010 = """
SELECT coalesce(array_agg(DISTINCT substr(t, i, n)), '{}'::text[])
FROM (SELECT upper(array_to_string(%s::text[], ' ')) AS t) s,
     generate_series(1, char_length(t)) AS i, (VALUES (1), (2)) AS k(n)
WHERE i + n - 1 <= char_length(t)
"""


@pytest.mark.parametrize(
    "parts",
    [
        ["路灯不亮", "楼道路灯坏了，晚上看不见", "3号楼"],
        ["Street LIGHT out", "", "x"],
        ["", "", ""],
        ["路"],
        ["党课送上门", None, "（第45条）。"],
    ],
)
def test_the_grams_are_the_first_functions_so_the_indexes_built_on_them_stay_valid(parts):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_grams(VARIADIC %s::text[])", [parts])
        (grams,) = cursor.fetchone()
        cursor.execute(GRAMS_0010, [parts])
        (before,) = cursor.fetchone()
    assert grams == before


def test_the_grams_are_each_character_and_pair_upper_cased():
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_grams('路灯', 'ok')")
        (grams,) = cursor.fetchone()
    assert set(grams) == {"路", "灯", "路灯", "灯 ", " ", " O", "O", "K", "OK"}
