"""The map: its data (/api/v1/map/, scoped, bounded, a fixed number of queries), the map page, the nearest
stations and a station's service circle."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.core.env import tile_origin
from grids.actions import set_boundary
from services.models import Issue, ServiceSettings
from tests.grids.factories import MicroGridFactory
from tests.grids.test_boundaries import polygon
from tests.services.factories import ActivityFactory, IssueFactory, RoomFactory, ServiceStationFactory

MAP = "/api/v1/map/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def layer(data, name):
    return [f for f in data["features"] if f["properties"]["layer"] == name]


@pytest.fixture
def placed(superuser, community, other_community):
    """Two micro-grids side by side with boundaries, a station with its point, a room, an activity, and an open
    issue in each community (the east one in the other community)."""
    west = MicroGridFactory(parent=community, name="西片微网格")
    east = MicroGridFactory(parent=other_community, name="东片微网格")
    set_boundary(by=superuser, node=west, geometry=polygon(117.0, 36.6))
    set_boundary(by=superuser, node=east, geometry=polygon(117.004, 36.6))
    station = ServiceStationFactory(grid_node=community, lat=Decimal("36.6021"), lng=Decimal("117.0021"))
    RoomFactory(station=station)
    ActivityFactory(grid_node=west)
    here = IssueFactory(grid_node=west, title="西片路灯不亮", lat=Decimal("36.6011"), lng=Decimal("117.0011"))
    there = IssueFactory(grid_node=east, title="东片井盖松动", status=Issue.Status.HANDLING)
    closed = IssueFactory(grid_node=west, title="已办结的事", status=Issue.Status.EVALUATED)
    return {"west": west, "east": east, "station": station, "here": here, "there": there, "closed": closed}


def test_anyone_sees_the_grid_stations_rooms_and_activities_but_no_issue(placed):
    data = api().get(MAP).json()

    grids = {f["properties"]["name"]: f for f in layer(data, "grids")}
    assert grids["西片微网格"]["geometry"] == polygon(117.0, 36.6)
    assert grids["西片微网格"]["properties"]["parent"] == placed["west"].parent_id
    assert [f["geometry"]["coordinates"] for f in layer(data, "stations")] == [[117.0021, 36.6021]]
    assert layer(data, "rooms")[0]["geometry"] == layer(data, "stations")[0]["geometry"]  # a room at its station
    assert layer(data, "activities")[0]["geometry"]["coordinates"] == [117.002, 36.602]  # its grid's centre
    assert layer(data, "issues") == []
    assert api().get(MAP, {"layers": "issues"}).json()["features"] == []


def test_a_resident_sees_no_issue_pins(placed, resident):
    assert layer(api(resident).get(MAP).json(), "issues") == []


def test_a_grid_worker_sees_the_open_issues_of_their_subtree_coloured_by_stage(placed, grid_worker):
    data = api(grid_worker).get(MAP).json()

    pins = layer(data, "issues")
    assert [p["properties"]["name"] for p in pins] == ["西片路灯不亮"]  # not the other community's, not the closed
    assert pins[0]["geometry"]["coordinates"] == [117.0011, 36.6011]  # its own point
    assert pins[0]["properties"]["stage"] == "发现"
    assert pins[0]["properties"]["colour"] == "#c62828"
    assert pins[0]["properties"]["url"] == f"/workspace/services/issues/{placed['here'].pk}/"


def test_a_street_admin_sees_every_community_and_a_pin_without_a_point_sits_at_its_grids_centre(placed, street_admin):
    pins = {p["properties"]["name"]: p for p in layer(api(street_admin).get(MAP).json(), "issues")}

    assert set(pins) == {"西片路灯不亮", "东片井盖松动"}
    assert pins["东片井盖松动"]["geometry"]["coordinates"] == [117.006, 36.602]
    assert pins["东片井盖松动"]["properties"]["stage"] == "处置"


def test_asking_for_another_subtree_never_widens_a_staff_members_scope(placed, grid_worker, other_community):
    data = api(grid_worker).get(MAP, {"node": other_community.pk, "layers": "grids,issues"}).json()

    assert layer(data, "issues") == []
    assert [f["properties"]["name"] for f in layer(data, "grids")] == ["东片微网格"]  # the grid itself is public


def test_layers_and_node_narrow_the_answer(placed, community):
    data = api().get(MAP, {"layers": ["stations", "grids"], "node": placed["west"].pk}).json()

    assert {f["properties"]["layer"] for f in data["features"]} == {"grids"}  # the station is in the community
    assert [f["properties"]["name"] for f in layer(data, "grids")] == ["西片微网格"]
    assert (
        api().get(MAP, {"layers": "stations", "node": community.pk}).json()["features"][0]["properties"]["layer"]
        == "stations"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"layers": "everything"},
        {"layers": "grids,<script>"},
        {"node": "abc"},
        {"node": "999999999"},
        {"node": "99999999999999999999999"},
        {"node": "1\x00"},
    ],
)
def test_bad_parameters_answer_400_with_the_field(placed, params):
    response = api().get(MAP, params)

    assert response.status_code == 400
    assert set(response.json()) & {"layers", "node"}


def test_a_layer_is_capped_and_says_so(placed, settings, community):
    settings.MAP_MAX_FEATURES = 1
    ServiceStationFactory(grid_node=community)

    data = api().get(MAP, {"layers": "stations,grids"}).json()

    assert len(layer(data, "stations")) == 1
    assert set(data["truncated"]) == {"stations", "grids"}


@pytest.mark.parametrize("rows", [1, 6])
def test_the_map_runs_a_fixed_number_of_queries(django_assert_num_queries, superuser, community, grid_worker, rows):
    for i in range(rows):
        grid = MicroGridFactory(parent=community)
        set_boundary(by=superuser, node=grid, geometry=polygon(117.0 + i * 0.005, 36.6))
        station = ServiceStationFactory(grid_node=grid, lat=Decimal("36.6"), lng=Decimal(str(117 + i * 0.005)))
        RoomFactory(station=station)
        ActivityFactory(grid_node=grid)
        IssueFactory(grid_node=grid)
    client = api(grid_worker)
    # grids, stations, rooms, activities, issues: one query each
    with django_assert_num_queries(5):
        data = client.get(MAP).json()
    assert len(layer(data, "issues")) == rows
    assert len(layer(data, "stations")) == rows
    with django_assert_num_queries(5):  # signed out: the first street (where the map opens), no issues
        assert len(layer(api().get(MAP).json(), "grids")) == rows  # the community has no centre nor boundary


def test_the_nearest_stations_are_ordered_by_distance(community):
    far = ServiceStationFactory(grid_node=community, name="远站", lat=Decimal("36.62"), lng=Decimal("117.0"))
    near = ServiceStationFactory(grid_node=community, name="近站", lat=Decimal("36.601"), lng=Decimal("117.0"))
    ServiceStationFactory(grid_node=community, name="无位置的站")

    rows = api().get(f"{MAP}nearest/", {"lat": "36.6", "lng": "117.0"}).json()["results"]

    assert [(r["id"], r["distance_m"]) for r in rows] == [(near.pk, 111), (far.pk, 2224)]


@pytest.mark.parametrize(
    "params",
    [{}, {"lat": "36.6"}, {"lat": "91", "lng": "117"}, {"lat": "36", "lng": "-181"}, {"lat": "nan", "lng": "1"}],
)
def test_the_nearest_stations_refuse_a_point_outside_wgs84(params):
    assert api().get(f"{MAP}nearest/", params).status_code == 400


# --- pages -----------------------------------------------------------------------------------------


def no_inline_script(html: str) -> bool:
    return all('src="' in tag for tag in re.findall(r"<script(?![^>]*application/json)[^>]*>", html))


def test_the_map_page_passes_its_settings_as_json_and_has_no_inline_script(client, placed):
    response = client.get("/services/map/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="map-config" type="application/json"' in html
    assert '"tiles": null' in html  # no tile server in tests: the plain boundary map
    assert "vendor/leaflet/leaflet.js" in html and "cdn" not in html.lower()
    assert no_inline_script(html)
    assert "居民说事·发现" not in html  # the legend of stages is for staff


def test_staff_see_the_legend_of_stages(client, placed, grid_worker):
    client.force_login(grid_worker)

    html = client.get("/services/map/").content.decode()

    for stage in ("发现", "会商", "处置", "反馈"):
        assert f"居民说事·{stage}" in html
    assert f'"node": {grid_worker.grid_node_id}' in html


def test_a_tile_server_in_settings_reaches_the_page_with_its_key(client, settings, db):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
    settings.MAP_TILE_KEY = "abc123"
    settings.MAP_TILE_ATTRIBUTION = "天地图"

    tiles = client.get("/services/map/").context["config"]["tiles"]

    assert tiles["url"].endswith("&tk=abc123") and "{z}" in tiles["url"]
    assert (tiles["attribution"], tiles["subdomains"]) == ("天地图", "01234567")


def test_the_tile_origin_is_what_img_src_allows():
    assert tile_origin("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk={key}") == "https://*.tianditu.gov.cn"
    assert tile_origin("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png") == "http://10.0.0.5:8080"
    assert tile_origin("") == "" and tile_origin("not a url") == ""


def test_the_stations_page_lists_the_nearest_to_the_browsers_location(client, community):
    ServiceStationFactory(grid_node=community, name="远站", lat=Decimal("36.62"), lng=Decimal("117.0"))
    ServiceStationFactory(grid_node=community, name="近站", lat=Decimal("36.601"), lng=Decimal("117.0"))

    html = client.get("/services/stations/", {"lat": "36.6", "lng": "117.0"}).content.decode()
    nearest = html[html.index("离我最近的服务站") : html.index("</section>")]

    assert nearest.index("近站") < nearest.index("远站")
    assert "约111米" in nearest and "约2.2公里" in nearest


def test_the_stations_page_uses_the_residents_grid_when_no_location_is_given(client, resident, community):
    community.center_lat, community.center_lng = Decimal("36.6"), Decimal("117.0")
    community.save()
    resident.grid_node = community
    resident.save()
    ServiceStationFactory(grid_node=community, name="近站", lat=Decimal("36.601"), lng=Decimal("117.0"))
    client.force_login(resident)

    html = client.get("/services/stations/").content.decode()

    assert f"按您登记的网格（{community.name}）" in html and "约111米" in html


def test_the_stations_page_refuses_a_bad_location_and_still_shows(client, community):
    ServiceStationFactory(grid_node=community, name="近站")

    response = client.get("/services/stations/", {"lat": "900", "lng": "x"})

    assert response.status_code == 400
    assert "近站" in response.content.decode()


def test_a_station_page_draws_its_service_circle_with_the_set_radius(client, community):
    settings_row = ServiceSettings.load()
    settings_row.service_circle_m = 500
    settings_row.save()
    station = ServiceStationFactory(grid_node=community, lat=Decimal("36.6021"), lng=Decimal("117.0021"))

    html = client.get(f"/services/stations/{station.pk}/").content.decode()

    assert "五分钟服务圈" in html
    assert '"radius": 500' in html and '"lat": 36.6021' in html
    assert no_inline_script(html)


def test_a_station_with_no_place_has_no_circle(client, community):
    station = ServiceStationFactory(grid_node=community)

    assert "五分钟服务圈" not in client.get(f"/services/stations/{station.pk}/").content.decode()


def test_an_activity_that_has_ended_is_not_on_the_map(superuser, community):
    grid = MicroGridFactory(parent=community)
    set_boundary(by=superuser, node=grid, geometry=polygon())
    past = timezone.now() - datetime.timedelta(days=3)
    ActivityFactory(grid_node=grid, starts_at=past, ends_at=past + datetime.timedelta(hours=1))

    assert layer(api().get(MAP, {"layers": "activities"}).json(), "activities") == []


def test_the_map_opens_on_one_street_and_offers_the_others(client, placed, street):
    from tests.grids.factories import StreetFactory

    other = StreetFactory(name="西站街道", sort_order=9)
    MicroGridFactory(parent__parent=other, center_lat=Decimal("36.06"), center_lng=Decimal("103.77"))

    first = client.get("/services/map/")
    second = client.get("/services/map/", {"street": other.pk})
    refused = client.get("/services/map/", {"street": "abc"})

    assert first.context["config"]["node"] == street.pk
    assert "西站街道" in first.content.decode()
    assert second.context["config"]["node"] == other.pk
    assert refused.status_code == 400 and refused.context["config"]["node"] == street.pk
    assert [f["properties"]["level"] for f in layer(api().get(MAP).json(), "grids")] == [3, 3]  # the first street's


def test_the_workspace_shows_the_place_a_resident_picked(client, placed, grid_worker):
    client.force_login(grid_worker)
    unplaced = IssueFactory(grid_node=placed["west"], title="没有标点的事")

    picked = client.get(f"/workspace/services/issues/{placed['here'].pk}/")
    plain = client.get(f"/workspace/services/issues/{unplaced.pk}/")

    assert "问题位置" in picked.content.decode()
    assert picked.context["map_config"]["station"] == {"lat": 36.6011, "lng": 117.0011, "name": "西片路灯不亮"}
    assert picked.context["map_config"]["node"] == placed["west"].parent_id
    assert "问题位置" not in plain.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_the_pages_with_maps_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, resident, community, size
):
    from tests.grids.factories import StreetFactory

    for _ in range(size):
        MicroGridFactory(parent=community)
        MicroGridFactory(parent__parent=StreetFactory())
        ServiceStationFactory(grid_node=community, lat=Decimal("36.6"), lng=Decimal("117.0"))
    client.force_login(resident)
    # session, user, the resident's grid, its street (where the map opens), the street tabs
    with django_assert_num_queries(5):
        assert client.get("/services/map/").status_code == 200
    # session, user, the user's grid, the communities, the micro-grids (drawn grouped)
    with django_assert_num_queries(5):
        assert client.get("/services/issues/new/").status_code == 200
    # session, user, count + page of the list, the stations near the given place
    with django_assert_num_queries(5):
        assert client.get("/services/stations/", {"lat": "36.6", "lng": "117"}).status_code == 200
