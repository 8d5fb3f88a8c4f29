"""Grid boundaries: GeoJSON read and checked, point in polygon, the upload in the admin through the action."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grids import geo
from grids.actions import set_boundary
from grids.selectors import micro_grid_at
from tests.grids.factories import MicroGridFactory


def square(lng, lat, size=0.004):
    """A closed square ring [lng, lat] with its south-west corner at (lng, lat)."""
    return [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]


def polygon(lng=117.0, lat=36.6, size=0.004):
    return {"type": "Polygon", "coordinates": [square(lng, lat, size)]}


# --- geometry --------------------------------------------------------------------------------------


def test_a_point_inside_a_square_is_contained_and_one_outside_is_not():
    shape = polygon()

    assert geo.contains(shape, 36.602, 117.002)
    assert not geo.contains(shape, 36.602, 117.006)
    assert not geo.contains(shape, 36.599, 117.002)


def test_a_hole_is_outside_and_a_multipolygon_holds_both_parts():
    with_hole = {"type": "Polygon", "coordinates": [square(117.0, 36.6, 0.01), square(117.004, 36.604, 0.002)]}
    two = {"type": "MultiPolygon", "coordinates": [[square(117.0, 36.6)], [square(117.1, 36.7)]]}

    assert geo.contains(with_hole, 36.602, 117.002)
    assert not geo.contains(with_hole, 36.605, 117.005)  # in the hole
    assert geo.contains(two, 36.702, 117.102) and geo.contains(two, 36.602, 117.002)
    assert not geo.contains(two, 36.65, 117.05)


def test_a_concave_boundary_is_tested_by_the_even_odd_rule():
    # An L: the notch at the north-east is outside.
    ell = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]],
    }

    assert geo.contains(ell, 0.5, 1.5)  # lat 0.5, lng 1.5: the foot of the L
    assert not geo.contains(ell, 1.5, 1.5)  # the notch
    assert geo.contains(ell, 1.5, 0.5)


def test_a_feature_or_a_collection_of_one_is_read_as_its_geometry_and_rounded():
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": polygon()}
    collection = {"type": "FeatureCollection", "features": [feature]}
    raw = json.dumps({"type": "Polygon", "coordinates": [[[117.00000049, 36.6, 12], *square(117.0, 36.6)[1:]]]})

    assert geo.clean_geometry(feature) == polygon()
    assert geo.clean_geometry(collection) == polygon()
    assert geo.read_geojson(raw.encode())["coordinates"][0][0] == [117.0, 36.6]  # altitude dropped, 6 decimals


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe not utf-8", "UTF-8"),
        (b"{not json", "JSON格式错误"),
        (b"[" * 100_000, "JSON格式错误"),
        (json.dumps({"type": "Point", "coordinates": [117, 36]}).encode(), "面或多面"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "只含一个要素"),
        (json.dumps({"type": "Polygon", "coordinates": []}).encode(), "没有坐标"),
        (json.dumps({"type": "Polygon", "coordinates": [[[117, 36], [118, 36], [117, 36]]]}).encode(), "至少要有4个点"),
        (json.dumps({"type": "Polygon", "coordinates": [square(117, 36)[:-1] + [[117.1, 36]]]}).encode(), "没有闭合"),
        (json.dumps({"type": "Polygon", "coordinates": [square(179.999, 36)]}).encode(), "超出经纬度范围"),
        (json.dumps({"type": "Polygon", "coordinates": [square(117, 36)]}).replace("36", "360", 1).encode(), "超出"),
        (b'{"type": "Polygon", "coordinates": [[[NaN, 1], [1, 1], [1, 2], [NaN, 1]]]}', "无效的数字"),
        (json.dumps({"type": "Polygon", "coordinates": [[[True, 1], [1, 1], [1, 2], [True, 1]]]}).encode(), "须是数字"),
        (json.dumps({"type": "Polygon", "coordinates": [[["117", "36"]] * 4]}).encode(), "须是数字"),
    ],
)
def test_a_bad_file_is_a_chinese_validation_error(raw, message):
    with pytest.raises(ValidationError) as error:
        geo.read_geojson(raw)

    assert message in error.value.messages[0]


def test_too_many_vertices_are_refused(settings):
    settings.MAP_BOUNDARY_MAX_VERTICES = 10

    with pytest.raises(ValidationError, match="点过多"):
        geo.clean_geometry({"type": "MultiPolygon", "coordinates": [[square(1, 1)], [square(2, 2)], [square(3, 3)]]})


def test_distance_between_two_points_a_kilometre_apart():
    # 0.009° of latitude is about 1001 m.
    assert geo.distance_m(36.6, 117.0, 36.609, 117.0) == pytest.approx(1000.8, abs=1)


# --- the action and the lookup ---------------------------------------------------------------------


def test_set_boundary_stores_it_and_gives_a_centreless_node_its_middle(community_admin, micro_grid):
    set_boundary(by=community_admin, node=micro_grid, geometry=polygon())

    micro_grid.refresh_from_db()
    assert micro_grid.boundary == polygon()
    assert (micro_grid.center_lat, micro_grid.center_lng) == (Decimal("36.602000"), Decimal("117.002000"))


def test_set_boundary_keeps_a_centre_already_set(street_admin, micro_grid):
    micro_grid.center_lat, micro_grid.center_lng = Decimal("36.6015"), Decimal("117.0015")
    micro_grid.save()

    set_boundary(by=street_admin, node=micro_grid, geometry=polygon())

    micro_grid.refresh_from_db()
    assert micro_grid.center_lat == Decimal("36.601500")


def test_set_boundary_is_refused_to_a_grid_worker_and_outside_the_subtree(
    grid_worker, other_community_admin, micro_grid
):
    for user in (grid_worker, other_community_admin):
        with pytest.raises(PermissionDenied):
            set_boundary(by=user, node=micro_grid, geometry=polygon())

    micro_grid.refresh_from_db()
    assert micro_grid.boundary is None


def test_set_boundary_checks_the_geometry_again(community_admin, micro_grid):
    with pytest.raises(ValidationError):
        set_boundary(by=community_admin, node=micro_grid, geometry={"type": "Point", "coordinates": [1, 2]})


def test_the_micro_grid_at_a_point_is_the_one_whose_boundary_holds_it(superuser, community, other_community):
    west = MicroGridFactory(parent=community, name="西片")
    east = MicroGridFactory(parent=other_community, name="东片")
    set_boundary(by=superuser, node=west, geometry=polygon(117.0, 36.6))
    set_boundary(by=superuser, node=east, geometry=polygon(117.004, 36.6))

    assert micro_grid_at(36.602, 117.001) == west
    assert micro_grid_at(36.602, 117.006) == east
    assert micro_grid_at(36.602, 117.006, within=community) is None
    assert micro_grid_at(36.7, 117.3) is None


# --- the admin's upload ----------------------------------------------------------------------------


def change(client, node, upload):
    return client.post(reverse("admin:grids_gridnode_change", args=[node.pk]), change_data(node, upload))


def change_data(node, upload):
    return {
        "name": node.name,
        "code": node.code,
        "level": node.level,
        "kind": node.kind,
        "parent": node.parent_id,
        "description": "",
        "households": 0,
        "population": 0,
        "center_lat": "",
        "center_lng": "",
        "sort_order": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
        "teams-TOTAL_FORMS": 0,
        "teams-INITIAL_FORMS": 0,
        "boundary_file": upload,
    }


def geojson_file(content, name="边界.geojson"):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


def test_a_community_admin_uploads_a_micro_grids_boundary(client, community_admin, micro_grid):
    client.force_login(community_admin)

    page = client.get(reverse("admin:grids_gridnode_change", args=[micro_grid.pk]))
    response = change(client, micro_grid, geojson_file({"type": "Feature", "geometry": polygon()}))

    assert "上传边界" in page.content.decode()
    assert response.status_code == 302
    micro_grid.refresh_from_db()
    assert micro_grid.boundary == polygon()
    assert micro_grid.center_lat is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not json</html>", "JSON格式错误"),
        ({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "面或多面"),
        ({"type": "Polygon", "coordinates": [square(117, 91)]}, "超出经纬度范围"),
    ],
)
def test_a_bad_file_comes_back_on_the_form_and_nothing_changes(client, community_admin, micro_grid, content, message):
    client.force_login(community_admin)

    response = change(client, micro_grid, geojson_file(content))

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["boundary_file"])
    micro_grid.refresh_from_db()
    assert micro_grid.boundary is None


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, settings, community_admin, micro_grid):
    settings.MAP_BOUNDARY_MAX_BYTES = 1024
    client.force_login(community_admin)

    response = change(client, micro_grid, geojson_file(b" " * 2048 + json.dumps(polygon()).encode()))

    assert response.status_code == 200
    assert "文件过大" in str(response.context["adminform"].form.errors["boundary_file"])


def test_the_boundary_is_not_typed_in_the_admin(client, community_admin, micro_grid):
    client.force_login(community_admin)
    data_url = reverse("admin:grids_gridnode_change", args=[micro_grid.pk])

    typed = json.dumps(polygon())
    response = client.post(data_url, {**change_data(micro_grid, ""), "boundary": typed})

    assert response.status_code == 302
    micro_grid.refresh_from_db()
    assert micro_grid.boundary is None
    assert 'name="boundary"' not in client.get(data_url).content.decode()
