"""The services demo: built on the grid and members demo, idempotent, with every state present, pages render."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from members.models import User
from services.models import Issue, MenuItem, Order, ServiceStation


@pytest.fixture
def demo(db):
    # The shared categories come from a data migration; a transactional test's flush may have emptied them.
    import importlib

    from django.apps import apps

    from alliance.demo import grids as grids_demo
    from alliance.demo import members as members_demo
    from alliance.demo import services as services_demo

    importlib.import_module("projects.migrations.0002_seed_categories").seed(apps, None)
    out = io.StringIO()
    grids_demo.seed(stdout=out)
    members_demo.seed(stdout=out)
    services_demo.seed(stdout=out)
    return services_demo


def test_demo_has_the_seed_figures_every_state_and_pages_that_render(demo):
    assert MenuItem.objects.count() == 182
    assert MenuItem.objects.values("category__parent").distinct().count() == 5
    assert ServiceStation.objects.count() == 15
    assert {"submitted", "accepted", "served", "delivered", "rated", "cancelled"} <= set(
        Order.objects.values_list("status", flat=True)
    )
    assert {"discovered", "consulting", "handling", "feedback", "evaluated"} <= set(
        Issue.objects.values_list("status", flat=True)
    )
    assert Issue.objects.filter(reopened=True).exists() and Issue.objects.filter(level__gt=1).exists()
    # Running it again changes nothing.
    counts = (MenuItem.objects.count(), Order.objects.count(), Issue.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (MenuItem.objects.count(), Order.objects.count(), Issue.objects.count()) == counts
    # The demo accounts see their pages.
    _demo_accounts_see_their_pages()


PAGES = [
    (
        "resident",
        [
            "services:index",
            "services:menu",
            "services:my_orders",
            "services:my_issues",
            "services:my_bookings",
            "services:activities",
            "services:stations",
            "services:inbox",
        ],
    ),
    ("unit_operator", ["services_ws:orders", "workspace"]),
    ("grid_worker", ["services_ws:issues", "services_ws:orders", "services_ws:issue_record"]),
]


def _demo_accounts_see_their_pages():
    client = Client()
    for username, names in PAGES:
        client.force_login(User.objects.get(username=username))
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (username, name)
    worker = User.objects.get(username="grid_worker")
    client.force_login(worker)
    issue = Issue.objects.filter(grid_node__path__startswith=worker.grid_node.path).first()
    assert client.get(reverse("services_ws:issue", args=[issue.pk])).status_code == 200
    client.force_login(User.objects.get(username="resident"))
    order = Order.objects.filter(resident__username="resident").first()
    assert client.get(reverse("services:order", args=[order.pk])).status_code == 200
