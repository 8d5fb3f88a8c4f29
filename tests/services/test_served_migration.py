"""The migration that brought the served state keeps existing orders and stops crediting units with 社区送达."""

import importlib

from django.apps import apps
from django.utils import timezone

from services.models import Order, OrderEvent
from tests.services.factories import MenuItemFactory, OrderFactory

migration = importlib.import_module("services.migrations.0006_order_served_state")


def test_deliveries_a_unit_confirmed_itself_become_its_served_step(unit, unit_operator, grid_worker, community):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    at = timezone.now()
    by_unit = OrderFactory(menu_item=item, grid_node=community, status="delivered", unit=unit, delivered_at=at)
    OrderEvent.objects.create(order=by_unit, kind="delivered", by=unit_operator, unit=unit, at=at)
    by_staff = OrderFactory(menu_item=item, grid_node=community, status="rated", unit=unit, delivered_at=at)
    OrderEvent.objects.create(order=by_staff, kind="delivered", by=grid_worker, at=at)

    migration.unit_deliveries_become_served(apps, None)

    by_unit.refresh_from_db()
    assert (by_unit.status, by_unit.served_by, by_unit.served_at) == ("delivered", unit_operator, at)
    assert list(by_unit.events.values_list("kind", "note")) == [("served", migration.LEGACY_NOTE)]
    by_staff.refresh_from_db()
    assert (by_staff.status, by_staff.served_at) == (Order.Status.RATED, None)
    assert list(by_staff.events.values_list("kind", flat=True)) == ["delivered"]
