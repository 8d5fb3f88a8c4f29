"""seed_city's points entries (积分记录): a unit's entry for each of a share of the city's delivered orders, about
300,000 at full scale, in one ``INSERT … SELECT`` like seed_city's other stages.

Each entry is what ``alliance.points.awards`` writes for a delivered order: kind ``order_delivered``, the unit that
served it, the order as its source (so the once-per-source constraint holds), the unit's grid node and street, the
reason in the stored pattern (``reasons.ORDER_DELIVERED``) and the delivery's date. Idempotent: skipped when the
city's entries are there.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from alliance.points import reasons
from alliance.points.models import PointsEntry, PointsKind
from services.models import Order

# One entry for every ORDERS_PER_ENTRY-th delivered city order: 850,000 delivered or rated orders → ~300,000.
ORDERS_PER_ENTRY = 3
POINTS = 5


def seeded(prefix: str) -> bool:
    return PointsEntry.objects.filter(kind=PointsKind.ORDER_DELIVERED, reason__contains=f"{prefix}服务").exists()


def seed(prefix: str, insert_select) -> int:
    """``insert_select`` is seed_city's (passed in: the command imports this module)."""
    order_type = ContentType.objects.get_for_model(Order)
    reason = reasons.ORDER_DELIVERED.replace("%(title)s", "' || mi.title || '")
    return insert_select(
        PointsEntry,
        {
            "unit_id": "o.unit_id",
            "grid_node_id": "u.grid_node_id",
            "street_id": "coalesce(g.street_id, g.id)",
            "kind": f"'{PointsKind.ORDER_DELIVERED.value}'",
            "points": str(POINTS),
            "reason": f"'{reason}'",
            "source_type_id": str(order_type.pk),
            "source_id": "o.id",
            "occurred_on": f"(o.delivered_at AT TIME ZONE '{settings.TIME_ZONE}')::date",
            "created_at": "o.delivered_at",
        },
        "FROM services_order o JOIN services_menuitem mi ON mi.id = o.menu_item_id "
        "JOIN members_memberunit u ON u.id = o.unit_id JOIN grids_gridnode g ON g.id = u.grid_node_id "
        f"WHERE o.address LIKE %s AND o.delivered_at IS NOT NULL AND o.id %% {ORDERS_PER_ENTRY} = 0",
        [f"{prefix}小区%"],
    )
