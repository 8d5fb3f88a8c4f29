"""The OpenAPI schema: generated with no warning, valid, and covering every collection of the router."""

import datetime
import json
import re

from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from alliance.core.api_schema import TIME_PATTERN
from alliance.urls import router


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert out.stat().st_size > 10_000


def test_the_schema_documents_every_collection_token_auth_and_is_served_as_json(db):
    response = APIClient().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = set(schema["paths"])
    for prefix, _viewset, _basename in router.registry:
        assert f"/api/v1/{prefix}/" in paths, prefix
    assert "/api/v1/auth/token/" in paths
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def _schema() -> dict:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _ref(content: dict, media_type: str = "application/json") -> str:
    return content[media_type]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_transitions_document_their_real_request_and_answer(db):
    paths = _schema()["paths"]

    claim = paths["/api/v1/projects/{id}/claim/"]["post"]
    assert _ref(claim["requestBody"]["content"]) == "Note"
    assert _ref(claim["responses"]["201"]["content"]) == "Claim"
    assert "200" not in claim["responses"]

    report = paths["/api/v1/claims/{id}/report/"]["post"]
    assert set(report["requestBody"]["content"]) == {"multipart/form-data"}
    assert _ref(report["requestBody"]["content"], "multipart/form-data") == "Report"
    assert _ref(report["responses"]["201"]["content"]) == "ReportCreated"

    expected = {
        ("/api/v1/projects/{id}/pledge/", "201"): "Pledge",
        ("/api/v1/needs/{id}/raise-matter/", "201"): "RaisedMatter",
        ("/api/v1/matters/{id}/hand-on/", "201"): "HandedOnProject",
        ("/api/v1/matters/{id}/defer/", "200"): "Matter",
        ("/api/v1/meetings/{id}/answer/", "200"): "InvitationAnswerResult",
        ("/api/v1/claims/{id}/evaluate/", "200"): "Claim",
        ("/api/v1/wishes/{id}/review/", "200"): "Wish",
        ("/api/v1/wishes/{id}/thank/", "200"): "Wish",
        ("/api/v1/claims/{id}/approve/", "200"): "Claim",
        ("/api/v1/claims/{id}/reject/", "200"): "Claim",
        ("/api/v1/proposals/{id}/publish/", "200"): "ProposalDetail",
        ("/api/v1/proposals/{id}/decline/", "200"): "ProposalDetail",
        ("/api/v1/proposals/{id}/merge/", "200"): "ProposalDetail",
        ("/api/v1/proposals/{id}/support/", "200"): "ProposalDetail",
    }
    for (path, code), component in expected.items():
        assert _ref(paths[path]["post"]["responses"][code]["content"]) == component, path
    rotate = paths["/api/v1/committees/{id}/rotate/"]["post"]["responses"]["201"]["content"]["application/json"]
    assert rotate["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Rotation"}}
    # A transition that takes no body documents none (not the collection's serializer).
    for path in ("/api/v1/projects/{id}/publish/", "/api/v1/matters/{id}/hand-on/", "/api/v1/matches/{id}/accept/"):
        assert "requestBody" not in paths[path]["post"], path


def test_every_operation_documents_its_error_answers_with_their_body(db):
    schema = _schema()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) > 100
    for path, method, op in operations:
        responses = op["responses"]
        for code in ("400", "401", "403", "404", "409", "429"):
            assert code in responses, f"{method} {path} {code}"
        assert _ref(responses["400"]["content"]) == "ValidationError"
        assert _ref(responses["403"]["content"]) == "ErrorDetail"
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]


def test_times_of_day_are_declared_as_what_is_sent(db):
    schema = json.dumps(_schema())
    assert '"format": "time"' not in schema
    rendered = serializers.TimeField().to_representation(datetime.time(8, 30))
    assert re.match(TIME_PATTERN, rendered)


def test_page_size_is_declared_and_refused_outside_its_bounds(db):
    parameters = {p["name"]: p for p in _schema()["paths"]["/api/v1/grids/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    api = APIClient()

    for bad in ("0", "101", "-5", "abc", "1e3", "10\x00"):
        response = api.get("/api/v1/grids/", {"page_size": bad})
        assert response.status_code == 400, bad
        assert "page_size" in response.json()
    assert api.get("/api/v1/grids/", {"page_size": "100"}).status_code == 200


def test_an_api_url_naming_no_operation_answers_json_404(db):
    for url in ("/api/v1/grids/1.5/", "/api/v1/grids/7/nothing/", "/api/v1/nothing/"):
        response = APIClient().post(url) if "nothing" in url else APIClient().get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"] in ("接口地址不存在。", "未找到。")


def test_room_slots_refuse_a_date_that_is_none_or_far_away(db):
    from tests.services.factories import RoomFactory

    room = RoomFactory()
    api = APIClient()
    for bad in ("1628-10-31", "9999-12-31", "2026-13-01", "今天"):
        response = api.get(f"/api/v1/rooms/{room.pk}/slots/", {"date": bad})
        assert response.status_code == 400, bad
        assert "date" in response.json()
    assert api.get(f"/api/v1/rooms/{room.pk}/slots/").status_code == 200


def test_a_progress_report_body_that_is_not_an_object_is_a_400(db):
    from tests.security.world import build_world

    world = build_world()
    api = APIClient()
    api.force_authenticate(world.users["unit_operator"])
    for body in ([1, 2], "text", 5):
        response = api.post(f"/api/v1/claims/{world.claim.pk}/report/", body, format="json")
        assert response.status_code == 400, body


def test_lists_are_ordered_only_by_columns_and_the_schema_names_them(db):
    api = APIClient(raise_request_exception=False)
    # Serializer fields that are no column (a display method, a __str__) were a 500 as an ordering.
    for url in (
        "/api/v1/activities/?ordering=get_kind_display",
        "/api/v1/bookings/?ordering=-room____str__",
        "/api/v1/menu/?ordering=category____str__,id",
        "/api/v1/stations/?ordering=get_kind_display",
    ):
        if "bookings" in url:
            from tests.members.factories import ResidentFactory

            api.force_authenticate(ResidentFactory())
        assert api.get(url).status_code == 200, url

    parameters = {p["name"]: p for p in _schema()["paths"]["/api/v1/activities/"]["get"]["parameters"]}
    ordering = parameters["ordering"]
    assert "get_kind_display" not in ordering["description"]
    assert re.match(ordering["schema"]["pattern"], "-starts_at,id")
    assert not re.match(ordering["schema"]["pattern"], "get_kind_display")


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_date_times_are_rfc3339_even_before_1901(db):
    from tests.services.factories import ActivityFactory

    old = datetime.datetime(1628, 10, 31, 1, 0, tzinfo=datetime.UTC)  # Shanghai's local mean time then: +08:05:43
    activity = ActivityFactory(starts_at=old, ends_at=old + datetime.timedelta(hours=2))
    now = ActivityFactory()

    answer = APIClient().get(f"/api/v1/activities/{activity.pk}/").json()
    assert answer["starts_at"] == "1628-10-31T01:00:00Z"
    assert RFC3339.match(APIClient().get(f"/api/v1/activities/{now.pk}/").json()["starts_at"])
    assert APIClient().get(f"/api/v1/activities/{now.pk}/").json()["starts_at"].endswith("+08:00")


def test_a_date_time_that_overflows_the_local_zone_is_a_400(db):
    from tests.alliance.factories import CommitteeFactory
    from tests.grids.factories import StreetFactory
    from tests.members.factories import StreetAdminFactory

    street = StreetFactory()
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(StreetAdminFactory(grid_node=street))
    committee = CommitteeFactory(grid_node=street)

    response = api.post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "kind": "plenary", "title": "会", "starts_at": "0001-01-01T00:00:00"},
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
