"""On a phone (390×844), a resident (signed out) reads the walls (公示): the community station's page shows the
堡垒指数 of the community's units and the station's stars, last month as it was kept; the micro-grid's service
point shows its party members' month points and 先锋指数."""

import datetime

import pytest
from django.utils import timezone

from alliance.points import rankings
from alliance.points.models import StarRating
from alliance.points.tasks import snapshot_wall_task
from services.models import ServiceStation
from tests.browser_support import shot
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, PartyOrganizationFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ServiceStationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_reads_the_indexes_and_stars_on_a_station_and_a_point(phone_page, community, micro_grid):
    today = timezone.localdate()
    year, month = rankings.previous_month(today)
    last = today.replace(day=1) - datetime.timedelta(days=1)
    station = ServiceStationFactory(grid_node=community, name="舜园社区党群服务站", star_rating=4)
    point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT, name="舜园3号楼党群服务点")
    StarRating.objects.create(station=station, grid_node=community, year=year, month=month, score=88, stars=4)
    for name, pts in (("舜园物业", 30), ("舜耕家政", 12)):
        unit = MemberUnitFactory(grid_node=community, name=f"{name}公司")
        PartyOrganizationFactory(unit=unit, name=f"{name}党支部")
        member = PartyMemberFactory(unit=unit, community=micro_grid, name=f"{name}党员")
        PointsEntryFactory(member=member, points=pts, occurred_on=today)
        PointsEntryFactory(member=member, points=pts // 2, occurred_on=last)
    snapshot_wall_task(today.isoformat())

    page = phone_page
    page.goto(f"/services/stations/{station.pk}/")
    wall = page.locator("[data-wall=fortress]")
    assert "堡垒指数公示" in wall.inner_text() and "本月实时" in wall.inner_text()
    assert wall.locator("tr[data-row]").first.inner_text().startswith("1")
    assert "舜园物业党支部" in wall.locator("tr[data-row]").first.inner_text()
    stars = page.locator("section[aria-labelledby=stars-title]")
    assert "4星" in stars.inner_text() and f"{year}年{month}月" in stars.inner_text()
    assert _fits_the_screen(page)
    shot(page, "wall-station-phone")

    page.select_option("select[name=month]", f"{year}-{month:02d}")
    with page.expect_navigation():
        page.get_by_role("button", name="查看公示").click()
    assert "留存" in page.locator("[data-wall=fortress]").inner_text()
    shot(page, "wall-station-last-month-phone")

    page.goto(f"/services/stations/{point.pk}/")
    board = page.locator("[data-wall=pioneer]")
    rows = board.locator("tr[data-row]")
    assert rows.count() == 2
    first = rows.first.inner_text()
    assert "舜园物业党员" in first and "30" in first
    assert "先锋指数" in board.inner_text() and "当月积分" in board.inner_text()
    assert _fits_the_screen(page)
    shot(page, "wall-point-phone")
