"""The categories as a process keeps them (projects.categories): an order names its category ("上级 · 类别")
without a join under the menu item's lock, and a category saved is named afresh at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import categories
from projects.models import Category
from services import actions
from tests.services.factories import MenuItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child():
    parent = Category.objects.create(name="为老服务", code="kept-elderly")
    return Category.objects.create(name="助餐", code="kept-meals", parent=parent)


def test_a_category_comes_with_its_parent_and_is_read_once_a_minute(child, monkeypatch):
    assert str(categories.category(child.pk)) == "为老服务 · 助餐"
    with CaptureQueriesContext(connection) as queries:
        assert str(categories.category(child.pk)) == "为老服务 · 助餐"  # the parent comes along
        assert categories.category(child.parent_id).parent_id is None
    assert queries.captured_queries == []
    later = categories.time.monotonic() + categories.KEPT_SECONDS + 1
    monkeypatch.setattr(categories.time, "monotonic", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        categories.category(child.pk)
    assert len(queries.captured_queries) == 1  # read again after a minute


def test_a_category_saved_or_deleted_is_read_afresh_at_once(child):
    categories.category(child.pk)
    child.name = "老年助餐"
    child.save()
    assert str(categories.category(child.pk)) == "为老服务 · 老年助餐"
    other = Category.objects.create(name="理发", code="kept-haircut", parent=child.parent)
    assert categories.category(other.pk).name == "理发"  # one it has not seen yet
    other.delete()
    assert categories.category(other.pk) is None


def test_an_order_locks_its_menu_items_row_alone_and_names_its_category(resident, community, child):
    item = MenuItemFactory(grid_scope=community, category=child)
    categories.category(child.pk)
    with CaptureQueriesContext(connection) as queries:
        order = actions.submit_order(by=resident, menu_item=item)
    (lock,) = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert "services_menuitem" in lock and "JOIN" not in lock.upper()
    assert not any("projects_category" in q["sql"] for q in queries.captured_queries)
    assert order.category_id == child.pk and str(order.category) == "为老服务 · 助餐"
