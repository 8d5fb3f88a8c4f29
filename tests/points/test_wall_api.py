"""/api/v1/wall/: the kept walls, public, read-only, names and figures only, fixed queries."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.points.tasks import snapshot_wall_task
from services.models import ServiceStation
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ServiceStationFactory

pytestmark = pytest.mark.django_db


def _kept_points(micro_grid, n):
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    for i in range(n):
        point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT)
        member = PartyMemberFactory(community=micro_grid, name=f"党员{i:02d}", phone=f"1390000{i:04d}")
        PointsEntryFactory(member=member, points=i + 1, occurred_on=last)
    assert snapshot_wall_task(timezone.localdate().isoformat()) == n
    return point, last


@pytest.mark.parametrize("n", [1, 8])
def test_anyone_reads_the_kept_walls_with_fixed_queries_and_no_phone(micro_grid, n, django_assert_num_queries):
    point, last = _kept_points(micro_grid, n)
    client = APIClient()
    with django_assert_num_queries(3):  # count, snapshots with their station, rows
        response = client.get("/api/v1/wall/", {"year": last.year, "month": last.month})
    assert response.status_code == 200 and response.data["count"] == n
    first = response.data["results"][0]
    assert first["board"] == "pioneer" and first["board_label"] == "先锋指数与月度积分"
    assert set(first["rows"][0]) == {"rank", "name", "index", "points", "completed_claims"}
    assert "1390000" not in response.content.decode()
    one = client.get(f"/api/v1/wall/{point.wall_snapshots.get().pk}/")
    assert one.status_code == 200 and one.data["station_name"] == point.name


def test_the_wall_cannot_be_written_and_refuses_bad_filters(micro_grid, resident):
    _kept_points(micro_grid, 1)
    client = APIClient()
    client.force_authenticate(resident)
    assert client.post("/api/v1/wall/", {}, format="json").status_code == 405
    assert client.get("/api/v1/wall/", {"month": "13"}).status_code == 400
    assert client.get("/api/v1/wall/", {"station": "9" * 30}).status_code == 400
