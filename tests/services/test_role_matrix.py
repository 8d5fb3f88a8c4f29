"""Every transition of orders and issues, tried by every role: who may, who is refused (and how)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from services import actions
from tests.services.factories import MenuItemFactory

ROLES = ["resident", "other_resident", "unit_operator", "grid_worker", "community_admin", "other_community_admin"]


@pytest.fixture
def other_resident(community):
    from tests.members.factories import ResidentFactory

    return ResidentFactory(grid_node=community)


@pytest.fixture
def order_in(resident, unit, community, unit_operator, grid_worker):
    """An order brought to a given state by the right people."""
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)

    def make(state):
        order = actions.submit_order(by=resident, menu_item=item)
        if state in ("accepted", "served", "delivered"):
            actions.accept_order(by=unit_operator, order=order)
        if state in ("served", "delivered"):
            actions.serve_order(by=unit_operator, order=order)
        if state == "delivered":
            actions.confirm_delivery(by=grid_worker, order=order)
        order.refresh_from_db()
        return order

    return make


# (transition, state it starts from, roles allowed); everyone else is refused with PermissionDenied.
ORDER_CASES = [
    ("accept", "submitted", {"unit_operator"}),
    ("decline", "submitted", {"unit_operator"}),
    ("cancel", "submitted", {"resident"}),
    ("serve", "accepted", {"unit_operator"}),
    # The community confirms delivery (社区送达), never the serving unit; from served or straight from accepted.
    ("confirm_delivery", "served", {"grid_worker", "community_admin"}),
    ("confirm_delivery", "accepted", {"grid_worker", "community_admin"}),
    ("rate", "delivered", {"resident"}),
]


def _order_call(name, by, order):
    return {
        "accept": lambda: actions.accept_order(by=by, order=order),
        "decline": lambda: actions.decline_order(by=by, order=order, reason="本周人手不足"),
        "cancel": lambda: actions.cancel_order(by=by, order=order),
        "serve": lambda: actions.serve_order(by=by, order=order),
        "confirm_delivery": lambda: actions.confirm_delivery(by=by, order=order),
        "rate": lambda: actions.rate_order(by=by, order=order, rating=4),
    }[name]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,state,allowed", ORDER_CASES)
def test_order_transition_by_role(request, order_in, role, name, state, allowed):
    user = request.getfixturevalue(role)
    order = order_in(state)
    if role in allowed:
        _order_call(name, user, order)
    else:
        with pytest.raises(PermissionDenied):
            _order_call(name, user, order)


# Transitions from the wrong state are refused with a ValidationError (or Conflict), even for the right role.
WRONG_STATE = [
    ("cancel", "accepted", "resident"),
    ("rate", "submitted", "resident"),
    ("rate", "accepted", "resident"),
    ("serve", "served", "unit_operator"),
    ("serve", "delivered", "unit_operator"),
    ("confirm_delivery", "submitted", "grid_worker"),
    ("confirm_delivery", "delivered", "community_admin"),
    ("rate", "served", "resident"),
    ("decline", "accepted", "unit_operator"),
]


@pytest.mark.parametrize("name,state,role", WRONG_STATE)
def test_order_transition_from_the_wrong_state_is_refused(request, order_in, name, state, role):
    from alliance.core.errors import Conflict

    order = order_in(state)
    with pytest.raises((ValidationError, Conflict)):
        _order_call(name, request.getfixturevalue(role), order)


@pytest.fixture
def issue_in(resident, micro_grid, grid_worker):
    def make(state):
        issue = actions.report_issue(by=resident, title="路灯不亮", text="东门路灯坏了", grid_node=micro_grid)
        steps = {"discovered": 0, "consulting": 1, "handling": 2, "feedback": 3}[state]
        for _ in range(steps):
            issue = actions.move_issue(by=grid_worker, issue=issue, text="已处理")
        return issue

    return make


ISSUE_CASES = [
    ("move", "discovered", {"grid_worker", "community_admin"}),
    ("escalate", "handling", {"grid_worker", "community_admin"}),
    ("rate", "feedback", {"resident"}),
]


def _issue_call(name, by, issue):
    return {
        "move": lambda: actions.move_issue(by=by, issue=issue, text="推进"),
        "escalate": lambda: actions.escalate_issue(by=by, issue=issue),
        "rate": lambda: actions.rate_issue(by=by, issue=issue, rating=5),
    }[name]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,state,allowed", ISSUE_CASES)
def test_issue_transition_by_role(request, issue_in, role, name, state, allowed):
    user = request.getfixturevalue(role)
    issue = issue_in(state)
    if role in allowed:
        _issue_call(name, user, issue)
    else:
        with pytest.raises(PermissionDenied):
            _issue_call(name, user, issue)
