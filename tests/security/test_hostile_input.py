"""Hostile input: markup in text fields shows as text, SQL fragments in filters never reach SQL as code,
and uploads of the wrong type, with a forged extension or too big are refused."""

import io

import django_filters
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from alliance.urls import router
from tests.security.world import build_world

XSS = '<script>alert("x")</script>\'"'
RAW = '<script>alert("x")'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#x27;&quot;"


@pytest.fixture
def world(db):
    return build_world()


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _shows_as_text(html: str) -> None:
    assert RAW not in html
    assert ESCAPED in html


@pytest.mark.parametrize("page", ["/lists/resources/{pk}/", "/lists/resources/"])
def test_markup_in_a_unit_name_and_a_resource_shows_as_text(client, world, page):
    world.unit.name = XSS
    world.unit.save()
    world.resource.title = XSS
    world.resource.save()

    _shows_as_text(client.get(page.format(pk=world.resource.pk)).content.decode())


def test_markup_in_a_grid_post_holder_shows_as_text_on_the_grid_page(client, world):
    world.micro_grid.description = XSS
    world.micro_grid.save()

    _shows_as_text(client.get(f"/grid/{world.micro_grid.pk}/").content.decode())


def test_markup_in_a_matter_title_shows_as_text(client, world):
    world.matter.title = XSS
    world.matter.status = world.matter.Status.UNDER_STUDY  # public once under study
    world.matter.save()

    _shows_as_text(client.get(f"/alliance/matters/{world.matter.pk}/").content.decode())


@pytest.mark.parametrize("page", ["/lists/needs/{pk}/", "/lists/needs/"])
def test_markup_in_a_need_title_shows_as_text(client, world, page):
    world.need.title = XSS
    world.need.save()

    _shows_as_text(client.get(page.format(pk=world.need.pk)).content.decode())


def test_markup_in_a_wish_shows_as_text(client, world):
    world.wish.title = XSS
    world.wish.description = XSS
    world.wish.save()

    _shows_as_text(client.get(f"/lists/wishes/{world.wish.pk}/").content.decode())


def test_markup_in_an_orders_free_text_shows_as_text_to_the_resident_and_the_unit(client, world):
    world.order.text = XSS
    world.order.address = XSS
    world.order.save()

    _shows_as_text(_as(client, world.users["resident"]).get(f"/services/orders/{world.order.pk}/").content.decode())


def test_markup_in_an_issue_shows_as_text(client, world):
    world.issue.title = XSS
    world.issue.text = XSS
    world.issue.save()

    _shows_as_text(_as(client, world.users["resident"]).get(f"/services/issues/{world.issue.pk}/").content.decode())


def test_markup_comes_back_verbatim_in_json(world):
    world.need.title = XSS
    world.need.save()

    data = APIClient().get(f"/api/v1/needs/{world.need.pk}/").json()

    assert data["title"] == XSS  # JSON is data, not markup: escaping is the client's page's job


# --- SQL fragments in filters and searches -------------------------------------------------------------------

SQL = ["1' OR '1'='1", "1; DROP TABLE members_user; --", "' UNION SELECT password FROM members_user --", "%' --"]


def test_sql_fragments_in_api_filters_answer_400_or_an_empty_list(world):
    """Text filters find nothing, typed filters refuse the value (400); a yes/no filter ignores it."""
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.users["street_admin"])
    tried = 0
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        filters = dict(filterset.base_filters) if filterset else dict.fromkeys(getattr(viewset, "filterset_fields", []))
        plain = api.get(f"/api/v1/{prefix}/").json()
        for name, filter_ in filters.items():
            for fragment in SQL:
                response = api.get(f"/api/v1/{prefix}/", {name: fragment})
                tried += 1
                assert response.status_code in (200, 400), (prefix, name, fragment, response.status_code)
                if response.status_code == 200:
                    results = response.json()["results"]
                    if isinstance(filter_, django_filters.BooleanFilter):
                        assert response.json()["count"] == plain["count"], (prefix, name, fragment)
                    else:
                        assert results == [], (prefix, name, fragment)
    assert tried > 100


def test_sql_fragments_in_ordering_are_ignored(world):
    api = APIClient(raise_request_exception=False)
    for prefix in ("needs", "projects", "resources", "grids", "units"):
        plain = api.get(f"/api/v1/{prefix}/").json()["count"]
        for fragment in SQL:
            response = api.get(f"/api/v1/{prefix}/", {"ordering": fragment})
            assert response.status_code == 200 and response.json()["count"] == plain


@pytest.mark.parametrize(
    "path",
    [
        "/grid/",
        "/lists/needs/",
        "/lists/resources/",
        "/lists/projects/",
        "/lists/wishes/",
        "/services/menu/",
        "/services/activities/",
        "/alliance/matters/",
        "/alliance/meetings/",
    ],
)
def test_sql_fragments_in_page_searches_and_filters_never_fail(client, world, path):
    for fragment in SQL:
        response = client.get(
            path,
            {
                "q": fragment,
                "category": fragment,
                "status": fragment,
                "grid": fragment,
                "page": fragment,
                "kind": fragment,
            },
        )
        assert response.status_code in (200, 400, 404), (path, fragment, response.status_code)


# --- uploads --------------------------------------------------------------------------------------------------


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.txt", b"just text", "text/plain"),  # wrong type
        ("photo.jpg", b"MZ\x90\x00 this is an executable", "image/jpeg"),  # forged extension
        ("photo.jpg", b"<svg onload=alert(1)></svg>", "image/jpeg"),  # markup posing as a photo
        ("anim.gif", b"GIF89a" + b"\x00" * 64, "image/gif"),  # an image type we do not take
    ],
)
def test_issue_photos_of_the_wrong_type_are_refused(world, name, content, content_type):
    api = APIClient()
    api.force_authenticate(world.users["resident"])

    response = api.post(
        "/api/v1/issues/",
        {"title": "路灯不亮", "text": "3号楼前路灯坏了。", "photos": [SimpleUploadedFile(name, content, content_type)]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "照片" in str(response.json())


def test_an_oversized_photo_is_refused(world):
    from services.models import ServiceSettings

    ServiceSettings.objects.update_or_create(pk=ServiceSettings.load().pk, defaults={"photo_max_kb": 1})
    api = APIClient()
    api.force_authenticate(world.users["resident"])
    big = _png((200, 200)) + b"\x00" * 2048

    response = api.post(
        "/api/v1/issues/",
        {"title": "路灯不亮", "text": "3号楼前路灯坏了。", "photos": [SimpleUploadedFile("big.png", big, "image/png")]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "不能超过" in str(response.json())


def test_an_oversized_request_body_is_refused_not_a_server_error(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.users["resident"])

    response = api.post("/api/v1/issues/", {"title": "x", "text": "长" * 100_000}, format="json")

    assert response.status_code in (400, 413)


def test_a_progress_report_with_a_forged_photo_is_refused(world):
    api = APIClient()
    api.force_authenticate(world.users["unit_operator"])

    response = api.post(
        f"/api/v1/claims/{world.claim.pk}/report/",
        {"text": "已完成义诊", "photos": [SimpleUploadedFile("p.jpg", b"not an image", "image/jpeg")]},
        format="multipart",
    )

    assert response.status_code == 400
