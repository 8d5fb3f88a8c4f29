"""The district tier of the joint committee (区街联动): the trail of a matter raised from a street joint committee to
the district conference and handed back down, as the public matter page and the admin show it."""

from django.utils.translation import gettext_lazy as _

from alliance.committee.models import Matter

RAISED = _("提交区联席会议")
DECIDED = _("区联席会议议决")
HANDED_BACK = _("交回街道落实")


def street_and_district(matter: Matter) -> tuple[Matter | None, Matter | None]:
    """(the street matter, the district matter) of a matter on either side of the trail; (None, None) if the matter
    was never raised to the district."""
    if matter.escalated_to_id is not None:
        return matter, matter.escalated_to
    street = getattr(matter, "escalated_from", None) if matter.committee.grid_node_id is None else None
    if street is not None:
        return street, matter
    return None, None


def trail(matter: Matter) -> list[dict]:
    """The steps 提交区联席会议 → 区联席会议议决 → 交回街道落实, each with its time (None: not yet) and the
    matter it happened on (the street's or the district's, each with its committee)."""
    try:
        street, district = street_and_district(matter)
    except Matter.DoesNotExist:
        return []
    if street is None:
        return []
    return [
        {"label": RAISED, "at": street.escalated_at, "matter": street, "note": street.escalation_note},
        {
            "label": DECIDED,
            "at": district.resolved_at if district is not None else None,
            "matter": district,
            "note": district.resolution if district is not None else "",
        },
        {"label": HANDED_BACK, "at": street.handed_back_at, "matter": street, "note": ""},
    ]
