"""On a phone (390×844): the grid worker's issue map shows the open issues as pins by stage, and a resident
reports an issue by picking its place on the map. No tile server is set in tests: the plain boundary map."""

from decimal import Decimal

import pytest

from grids.actions import set_boundary
from services.models import Issue, ServiceStation
from tests.browser_support import shot, sign_in
from tests.grids.factories import MicroGridFactory
from tests.grids.test_boundaries import polygon
from tests.services.factories import IssueFactory, ServiceStationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district(superuser, community, other_community):
    west = MicroGridFactory(parent=community, name="西片微网格")
    east = MicroGridFactory(parent=community, name="东片微网格")
    far = MicroGridFactory(parent=other_community, name="舜华1号微网格")
    set_boundary(by=superuser, node=west, geometry=polygon(117.0, 36.6))
    set_boundary(by=superuser, node=east, geometry=polygon(117.004, 36.6))
    set_boundary(by=superuser, node=far, geometry=polygon(117.0, 36.604))
    ServiceStationFactory(
        grid_node=community, name="舜园社区党群服务站", lat=Decimal("36.6035"), lng=Decimal("117.0040")
    )
    return {"west": west, "east": east, "far": far}


def csp_errors(page) -> list:
    errors: list = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_the_grid_workers_issue_map_shows_pins_coloured_by_stage(new_page, district, grid_worker):
    stages = [Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING, Issue.Status.FEEDBACK]
    for i, status in enumerate(stages):
        IssueFactory(
            grid_node=district["west"] if i % 2 else district["east"],
            title=f"事项{i}",
            status=status,
            lat=Decimal("36.601") + Decimal(i) / 2000,
            lng=Decimal("117.001") + Decimal(i) / 500,
        )
    IssueFactory(grid_node=district["far"], title="别的社区的事项")  # outside the worker's community
    IssueFactory(grid_node=district["west"], title="已评价的事项", status=Issue.Status.EVALUATED)
    page = new_page(phone=True)
    errors = csp_errors(page)
    sign_in(page, grid_worker)

    page.goto("/workspace/services/issues/")
    page.get_by_role("link", name="在地图上看").click()
    page.locator("[data-map][data-loaded]").wait_for()

    pins = page.locator("path.pin-issue")
    assert pins.count() == 4
    for status in stages:
        assert page.locator(f"path.pin-{status}").count() == 1
    assert page.locator("path.grid").count() == 2  # their community's boundaries, on a blank background
    assert page.locator(".leaflet-tile").count() == 0
    assert page.get_by_text("未办结的居民说事：4件。").is_visible()
    legend = page.locator(".legend").inner_text()
    for label in ("居民说事·发现", "居民说事·会商", "居民说事·处置", "居民说事·反馈", "党群服务阵地"):
        assert label in legend
    pins.first.click()
    page.locator(".leaflet-popup-content a").wait_for()
    assert (
        "西片微网格" in page.locator(".leaflet-popup-content").inner_text()
        or "东片微网格" in page.locator(".leaflet-popup-content").inner_text()
    )
    shot(page, "map_1_staff_issue_pins_phone")
    assert errors == []


def test_a_resident_reports_an_issue_by_picking_the_place_on_the_map(new_page, district, resident, community):
    page = new_page(phone=True)
    errors = csp_errors(page)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 36.602, "longitude": 117.006})  # inside the east grid
    sign_in(page, resident)

    page.goto("/services/issues/new/")
    page.locator("[data-map=picker][data-loaded]").wait_for()
    page.fill("#id_title", "路灯不亮")
    page.fill("#id_text", "西片3号楼门前的路灯坏了一周，晚上看不清路。")

    page.get_by_role("button", name="使用我的位置").click()
    page.get_by_text("已选位置：东片微网格。").wait_for()
    assert page.input_value("#id_micro_grid") == str(district["east"].pk)

    # The place is a little west of here: tap it on the map (the middle of the west grid), once the map has
    # finished moving to the resident's position (its animation is slower on a busy machine).
    box = _at_rest(page.locator(f"path.grid-{district['west'].pk}"))
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("已选位置：西片微网格。").wait_for()
    assert page.input_value("#id_community") == str(community.pk)
    assert page.input_value("#id_micro_grid") == str(district["west"].pk)
    assert page.locator(".pick-pin").is_visible()
    shot(page, "map_2_resident_picks_place_phone")

    page.get_by_role("button", name="提交").click()
    page.get_by_text("已收到您反映的问题").wait_for()
    issue = Issue.objects.get(reporter=resident)
    assert issue.grid_node == district["west"]
    assert Decimal("36.600") < issue.lat < Decimal("36.604") and Decimal("117.000") < issue.lng < Decimal("117.004")
    shot(page, "map_3_resident_issue_reported_phone")
    assert errors == []


def test_a_station_page_shows_its_service_circle(new_page, district):
    station = ServiceStation.objects.get(name="舜园社区党群服务站")
    page = new_page(phone=True)
    errors = csp_errors(page)

    page.goto(f"/services/stations/{station.pk}/")
    page.locator("[data-map=station][data-loaded]").wait_for()

    assert page.locator("path.grid").count() == 2  # the community's micro-grids around it
    assert page.locator(".leaflet-overlay-pane path").count() == 4  # and the circle and the station
    assert page.get_by_role("heading", name="五分钟服务圈").is_visible()
    shot(page, "map_4_station_circle_phone")
    assert errors == []


def test_an_unreachable_tile_server_leaves_the_plain_boundary_map(new_page, district, settings):
    settings.MAP_TILE_URL = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png?tk={key}"  # nothing listens on port 9
    settings.MAP_TILE_KEY = "k"
    page = new_page(phone=True)

    page.goto(f"/services/map/?street={district['west'].street_id}")
    page.locator("[data-map][data-loaded]").wait_for()
    note = page.get_by_text("底图暂时无法加载，现显示网格边界图。")
    note.wait_for()

    assert page.locator("path.grid").count() == 3
    assert page.locator(".leaflet-tile-container img").count() == 0  # the failing layer is gone
    shot(page, "map_5_no_tiles_fallback_phone")


def _at_rest(locator, tries: int = 50) -> dict:
    """The element's box once it stays where it is between two looks 100 ms apart (a map that pans or zooms moves
    its paths; tapping a moving path hits whatever comes under the finger)."""
    box = locator.bounding_box()
    for _ in range(tries):
        locator.page.wait_for_timeout(100)
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    return box
