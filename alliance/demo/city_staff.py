"""seed_city's staff: a street admin of the city's first street (``city-street-admin``), the account the admin
bench (tests/bench/admin.py) signs in as to see one street of the city. No password: the bench makes its session
itself. Idempotent: the account is found by its username."""

from grids.models import GridNode
from members.models import User

USERNAME = "city-street-admin"


def seeded() -> bool:
    return User.objects.filter(username=USERNAME).exists()


def first_street(prefix: str) -> GridNode:
    return GridNode.objects.filter(level=1, code__startswith=f"{prefix}-S").order_by("pk").first()


def seed(prefix: str) -> int:
    """The street admin of the first city street (``User.save`` makes a street admin staff)."""
    street = first_street(prefix)
    user = User(username=USERNAME, role=User.Role.STREET_ADMIN, grid_node=street, display_name=f"{street.name} 党建办")
    user.set_unusable_password()
    user.save()
    return 1
