"""Non-trivial reads of the alliance app."""

from django.db.models import Count

from grids.models import GridNode
from members.models import MemberUnit, PartyMember


def home_figures() -> dict:
    """The live figures of the alliance for the home page, in a fixed number of queries."""
    # 1: grid nodes counted by street and level
    rows = GridNode.objects.values("street_id", "level").annotate(n=Count("id")).order_by()
    by_street: dict[int, dict[int, int]] = {}
    for row in rows:
        by_street.setdefault(row["street_id"], {})[row["level"]] = row["n"]
    # 2: the streets themselves
    streets = list(GridNode.objects.streets().only("id", "name", "code", "description").order_by("sort_order", "id"))
    # 3: active units by kind
    kinds = dict(
        MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    # 4: active units by street
    units_by_street = dict(
        MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE)
        .values_list("grid_node__street_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    # 5: party members by street
    members_by_street = dict(
        PartyMember.objects.filter(is_active=True)
        .values_list("community__street_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    street_cards = [
        {
            "node": street,
            "communities": by_street.get(street.id, {}).get(2, 0),
            "micro_grids": by_street.get(street.id, {}).get(3, 0),
            "units": units_by_street.get(street.id, 0),
            "party_members": members_by_street.get(street.id, 0),
        }
        for street in streets
    ]
    units_by_kind = [{"kind": kind, "label": kind.label, "count": kinds.get(kind.value, 0)} for kind in MemberUnit.Kind]
    return {
        "streets": len(streets),
        "communities": sum(card["communities"] for card in street_cards),
        "micro_grids": sum(card["micro_grids"] for card in street_cards),
        "units": sum(kinds.values()),
        "units_by_kind": units_by_kind,
        "party_members": sum(members_by_street.values()),
        "street_cards": street_cards,
    }
