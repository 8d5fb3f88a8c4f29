"""``seed_city`` at a thousandth of the city: a consistent grid, rows where they belong, idempotent."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from grids.models import GridNode
from members.models import MemberUnit, User
from projects.models import Project
from services.models import Issue, Order
from tests.services.factories import category

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_city is PostgreSQL only")
def test_seed_city_builds_a_consistent_city_and_a_second_run_changes_nothing(client):
    category("elderly-1")
    category("elderly-2")

    call_command("seed_city", scale=0.001, stdout=io.StringIO())

    city = GridNode.objects.filter(code__startswith="CITY-")
    assert [city.filter(level=lv).count() for lv in (1, 2, 3)] == [1, 30, 300]
    for node in city.select_related("parent").exclude(level=1):
        assert node.path == f"{node.parent.path}{node.pk}/"
        assert node.street_id == node.parent.street_id
    street = city.get(level=1)
    assert (street.path, street.street_id) == (f"{street.pk}/", street.pk)
    assert MemberUnit.objects.filter(grid_node__code__startswith="CITY-C").count() == 100
    assert User.objects.filter(username__startswith="city-r", grid_node__level=3).count() == 100
    assert Project.objects.filter(grid_node__code__startswith="CITY-C").count() == 30
    orders = Order.objects.filter(address__startswith="CITY小区")
    assert orders.count() == 1000
    assert not orders.exclude(grid_node=F("resident__grid_node")).exists()
    assert not orders.filter(status=Order.Status.RATED, rating__isnull=True).exists()
    assert Issue.objects.filter(title__startswith="CITY事项", grid_node=F("reporter__grid_node")).count() == 200
    # Inserted by SQL, they keep their street as saved rows do (grids.models.KeepsStreet): a street admin lists them.
    assert not orders.exclude(street=F("grid_node__street")).exists()
    assert not Issue.objects.filter(title__startswith="CITY事项").exclude(street=F("grid_node__street")).exists()
    units = MemberUnit.objects.filter(grid_node__code__startswith="CITY-C")
    assert not units.exclude(street=F("grid_node__street")).exists()

    counts = (GridNode.objects.count(), MemberUnit.objects.count(), Order.objects.count(), Issue.objects.count())
    call_command("seed_city", scale=0.001, stdout=io.StringIO())
    assert (
        GridNode.objects.count(),
        MemberUnit.objects.count(),
        Order.objects.count(),
        Issue.objects.count(),
    ) == counts

    assert client.get("/").context["figures"]["micro_grids"] == 300

    # the district above the streets, and a year of committee work in each street and community
    from alliance.committee.models import Committee, Matter, Meeting
    from grids.models import District

    assert District.load().name == "压测城区"
    assert Committee.objects.filter(name__startswith="CITY").count() == 31
    assert Meeting.objects.filter(committee__name__startswith="CITY", status="held").count() == 12 + 30 * 4
    assert Matter.objects.filter(committee__name__startswith="CITY", status="resolved").count() == 6 + 30 * 2
    page = client.get("/alliance/figures/")
    assert page.status_code == 200 and "压测城区" in page.content.decode()
    body = client.get("/api/v1/district-stats/", {"start": "2018-01-01"}).json()
    assert body["totals"]["meetings_joint"] == 12
