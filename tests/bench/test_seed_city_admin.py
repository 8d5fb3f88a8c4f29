"""seed_city's stages for the admin bench at a thousandth of the city: a street admin of the first city street and
points entries of delivered orders, each created once."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alliance.points.models import PointsEntry, PointsKind
from grids.models import GridNode
from members.models import User
from services.models import Order
from tests.services.factories import category

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_city is PostgreSQL only")
def test_seed_city_adds_a_street_admin_and_points_entries_once(client):
    category("elderly-1")

    call_command("seed_city", scale=0.001, stdout=io.StringIO())

    street = GridNode.objects.get(code__startswith="CITY-S", level=1)
    admin = User.objects.get(username="city-street-admin")
    assert (admin.role, admin.grid_node, admin.is_staff, admin.has_usable_password()) == (
        User.Role.STREET_ADMIN,
        street,
        True,
        False,
    )
    entries = PointsEntry.objects.filter(kind=PointsKind.ORDER_DELIVERED, reason__startswith="点单服务送达：CITY服务")
    delivered = Order.objects.filter(address__startswith="CITY小区", delivered_at__isnull=False, unit__isnull=False)
    assert entries.count() == sum(1 for pk in delivered.values_list("pk", flat=True) if pk % 3 == 0) > 0
    entry = entries.select_related("unit", "grid_node").first()
    order = Order.objects.get(pk=entry.source_id)
    assert (entry.unit_id, entry.grid_node_id, entry.street_id) == (order.unit_id, entry.unit.grid_node_id, street.pk)
    assert entry.occurred_on == timezone.localtime(order.delivered_at).date()

    counts = (User.objects.count(), PointsEntry.objects.count())
    call_command("seed_city", scale=0.001, stdout=io.StringIO())
    assert (User.objects.count(), PointsEntry.objects.count()) == counts

    # The street admin sees their street's entries in the admin, and the reason in words.
    client.force_login(admin)
    page = client.get("/admin/points/pointsentry/").content.decode()
    assert "点单服务送达：CITY服务" in page
