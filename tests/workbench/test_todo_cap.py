"""今日待办 counts up to a cap: past it a line says "N+ 件", so a city's first page never counts every waiting order."""

import pytest

from alliance.core.cache import forget_all
from alliance.site import workbench
from services.models import Order
from tests.services.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_a_line_past_the_cap_says_so_and_below_it_counts_exactly(client, community, community_admin, monkeypatch):
    client.force_login(community_admin)
    for _ in range(4):
        OrderFactory(grid_node=community, status=Order.Status.SUBMITTED)

    lines = {line.key: line for line in client.get("/admin/").context["todo"]}
    assert (lines["orders_to_accept"].count, lines["orders_to_accept"].more) == (4, False)

    monkeypatch.setattr(workbench, "COUNT_CAP", 3)
    forget_all()  # the lines kept from the first visit (workbench.kept_todo) were counted under the old cap
    response = client.get("/admin/")
    line = {line.key: line for line in response.context["todo"]}["orders_to_accept"]
    assert (line.count, line.more) == (3, True)
    assert "3+ 件" in response.content.decode()
