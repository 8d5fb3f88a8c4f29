"""The resident's phone: their services first (home), 我的, and the map tab's page until the map is built."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alliance.core.cache import get_or_build
from members.models import User
from services import selectors

LATEST = 3  # the latest orders and issues shown under 我的
MINE_GROUPS = ("cases", "menu", "units", "grid")  # the rows show item titles, unit and grid names
MINE_TTL = 60

# Who lands on their services when signed in; the staff and the units' operators keep the alliance's figures.
RESIDENT_ROLES = (User.Role.RESIDENT, User.Role.PARTY_MEMBER)


def lands_on_services(user) -> bool:
    return user.is_authenticated and not user.is_superuser and user.role in RESIDENT_ROLES


def mine_context(user) -> dict:
    """我的: the badges of orders and issues per phase (1 query) and the latest of each (2 queries).

    Kept per person (alliance.core.cache) while no order or issue, menu item, unit or grid node changed:
    the resident's home is the page they open most, and these three reads cost more than the rest of it.
    """

    def build() -> dict:
        return {
            "counts": selectors.my_counts(user),
            "latest_orders": list(selectors.my_orders(user)[:LATEST]),
            "latest_issues": list(selectors.my_issues(user)[:LATEST]),
        }

    return get_or_build(f"mine:{user.pk}", MINE_GROUPS, build, ttl=MINE_TTL)


def resident_home(request):
    """A signed-in resident's home: the grid of services, then 我的 (3 queries after the session's, none when kept)."""
    return render(request, "portal/resident_home.html", mine_context(request.user))


@login_required
def mine(request):
    """我的: badges, latest orders and issues, and the links to everything of one's own (3 queries, none when kept)."""
    return render(request, "portal/mine.html", mine_context(request.user))
