"""What a page or an API list reads from the query string is validated and bounded by one layer
(alliance.core.querying): control characters, years out of range, impossible, naive or overflowing dates and
datetimes, ids past a bigint and grid nodes that do not exist answer 400 with a Chinese message — a
page with its defaults and the message, a download with the Chinese error page, the API with field
errors — never a 500 and never "every row"."""

import datetime

import pytest
from django.test import Client, RequestFactory

from alliance.core import error_views
from alliance.core.querying import AwareDateTimeField, DateField, IdField, SearchField, YearField, YearMonthField
from tests.security.world import build_world

MISSING = 2**62  # an id no record has, inside a bigint
BAD_IDS = [str(MISSING), "0", "-1", "abc", "²", "1\x00", str(2**64), "99999999999999999999999"]
BAD_YEARS = ["0", "-1", "10000", "99999", "1e3", "²⁰²⁴", "2024\x00", "NaN"]
BAD_DATES = ["2024-13-01", "2024-02-30", "0000-01-01", "10000-01-01", "9999-12-31", "2024-05-01\x00", "1.5"]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the kernel's fields --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, raw",
    [
        *[(YearField(), v) for v in BAD_YEARS],
        *[(IdField(), v) for v in BAD_IDS[1:]],
        *[(DateField(), v) for v in BAD_DATES],
        *[(YearMonthField(), v) for v in ["2024-13", "0000-01", "10000-01", "2024-00", "2024-1-1", "2024\x00-01"]],
        *[(SearchField(), v) for v in ["\x00", "a\x00b", "tab\x08", "x" * 101]],
    ],
)
def test_the_query_fields_refuse_what_the_database_or_the_standard_library_cannot_take(field, raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        field.clean(raw)
    assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in refused.value.messages)  # Chinese


@pytest.mark.parametrize(
    "raw",
    [
        "2024-05-01T08:00:00",  # naive
        "2024-05-01 08:00",  # naive
        "2024-13-01T08:00:00+08:00",  # impossible month
        "2024-02-30T08:00:00+08:00",  # impossible day
        "2024-05-01T25:00:00+08:00",  # impossible hour
        "9999-12-31T23:59:59+08:00",  # past the sane range (and overflows once moved east)
        "9999-12-31T23:59:59-14:00",  # overflows when moved into the local time zone
        "0001-01-01T00:00:00+14:00",  # overflows when moved west
        "0000-01-01T00:00:00Z",
        "2024-05-01T08:00:00+08:00\x00",
        "x" * 100,
    ],
)
def test_an_aware_datetime_is_refused_when_naive_impossible_or_overflowing(raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        AwareDateTimeField().clean(raw)


def test_an_aware_datetime_with_its_offset_is_taken():
    value = AwareDateTimeField().clean("2024-05-01T08:00:00+08:00")
    assert value == datetime.datetime(2024, 5, 1, 0, 0, tzinfo=datetime.UTC)
    assert AwareDateTimeField().clean("2024-05-01T00:00:00Z") == value


# --- pages: the defaults, the message, 400 ------------------------------------------------------------


PAGE_CASES = [
    ("/alliance/meetings/", "year", BAD_YEARS),
    ("/alliance/meetings/", "month", ["0", "13", "-1", "abc", "\x00"]),
    ("/alliance/meetings/", "committee", BAD_IDS),
    ("/alliance/matters/", "year", BAD_YEARS),
    ("/alliance/statistics/", "year", BAD_YEARS),
    ("/alliance/statistics/", "period", ["decade", "\x00", "y" * 500]),
    ("/alliance/figures/", "year", BAD_YEARS),
    ("/alliance/figures/", "street", BAD_IDS),
    ("/alliance/top10/", "month", ["2024-13", "0000-01", "10000-01", "-1-1", "\x00", "²⁰²⁴-01"]),
    ("/alliance/stars/", "month", ["2024-13", "0000-01", "10000-01", "\x00"]),
    ("/alliance/stars/", "kind", ["\x00", "people"]),
    ("/alliance/news/", "kind", ["\x00", "gossip"]),
    ("/services/menu/", "q", ["\x00", "a\x00b", "x" * 1000]),
    ("/services/menu/", "category", BAD_IDS[1:]),
    ("/services/menu/", "community", BAD_IDS),
    ("/services/stations/", "kind", ["\x00", "castle"]),
    ("/services/activities/", "kind", ["\x00", "party"]),
    ("/lists/resources/", "q", ["\x00", "x" * 1000]),
    ("/lists/needs/", "grid_node", BAD_IDS),
    ("/lists/projects/", "grid_node", BAD_IDS),
    ("/lists/resources/", "grid_node", BAD_IDS),
    ("/lists/wishes/", "grid_node", BAD_IDS),
    ("/lists/projects/", "category", BAD_IDS),
]


@pytest.mark.parametrize("url, name, values", PAGE_CASES, ids=[f"{u}?{n}" for u, n, _ in PAGE_CASES])
def test_a_page_refuses_a_bad_parameter_with_400_its_defaults_and_a_chinese_message(world, url, name, values):
    client = _client(world.users["resident"])
    for value in values:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name, value)
        shown = _messages(response)
        assert shown and all("筛选条件无效" in m for m in shown), (url, name, value, shown)
        assert '<html lang="zh-hans">' in response.content.decode()  # the page itself, with its defaults


def test_a_good_parameter_still_filters(world):
    client = _client(world.users["resident"])
    assert client.get("/alliance/meetings/", {"year": "2024", "month": "5"}).status_code == 200
    assert client.get("/alliance/top10/", {"month": "2024-05"}).status_code == 200
    assert client.get("/lists/projects/", {"grid_node": world.community.pk}).status_code == 200
    assert client.get("/services/menu/", {"community": world.community.pk, "q": "理发"}).status_code == 200


@pytest.mark.parametrize("date", BAD_DATES)
def test_a_rooms_day_out_of_range_is_refused_not_overflowed(world, date):
    response = _client(world.users["resident"]).get(f"/services/rooms/{world.room.pk}/", {"date": date})
    assert response.status_code == 400
    api = _client(world.users["resident"]).get(f"/api/v1/rooms/{world.room.pk}/slots/", {"date": date})
    assert api.status_code == 400 and "date" in api.json()


def test_workspace_lists_refuse_an_unknown_status(world):
    assert _client(world.users["grid_worker"]).get("/workspace/services/issues/", {"status": "\x00"}).status_code == 400
    assert _client(world.users["grid_worker"]).get("/workspace/services/orders/", {"status": "x"}).status_code == 400


# --- downloads and the admin dashboard ------------------------------------------------------------


@pytest.mark.parametrize("query", [{"year": "0"}, {"year": "10000"}, {"period": "\x00"}, {"committee": "²"}])
def test_a_download_with_a_bad_parameter_answers_the_chinese_400_page(world, query):
    response = _client().get("/alliance/statistics.xlsx", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="zh-hans"' in page and "请求有误" in page and 'href="/"' in page


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2024-13-01"},
        {"end": "0000-01-01"},
        {"start": "10000-01-01"},
        {"end": "9999-12-31"},
        {"preset": "\x01"},
        {"node": str(MISSING)},
        {"node": "²"},
    ],
)
def test_the_admin_dashboard_and_its_export_refuse_bad_periods_and_unknown_nodes(world, query):
    client = _client(world.users["street_admin"])
    page = client.get("/admin/dashboard/", query)
    assert page.status_code == 400
    assert any("筛选条件无效" in m for m in _messages(page))
    assert client.get("/admin/dashboard/", {**query, "export": "xlsx"}).status_code == 400


def test_a_nul_under_the_admin_is_refused_before_the_dashboard_reads_it(world):
    # alliance.core.security.QueryStringGuardMiddleware: the admin's net answers first, with the 400 page.
    client = _client(world.users["street_admin"])
    for query in ({"preset": "\x00"}, {"preset": "\x00", "export": "xlsx"}):
        page = client.get("/admin/dashboard/", query)
        assert page.status_code == 400 and "请求中含有无效的字符" in page.content.decode()


def test_the_dashboard_refuses_a_node_outside_the_viewers_subtree(world):
    client = _client(world.users["community_admin"])
    assert client.get("/admin/dashboard/", {"node": world.other_community.pk}).status_code == 400
    assert client.get("/admin/dashboard/", {"node": world.community.pk}).status_code == 200


def test_the_admin_committee_statistics_refuse_a_bad_year(world):
    client = _client(world.users["street_admin"])
    assert client.get("/admin/alliance/committee/statistics/", {"year": "0"}).status_code == 400
    assert client.get("/admin/alliance/committee/statistics/", {"year": "0", "export": "xlsx"}).status_code == 400
    assert client.get("/admin/alliance/committee/statistics/", {"year": "2024"}).status_code == 200


# --- the public statistics API ----------------------------------------------------------------------


@pytest.mark.parametrize("year", BAD_YEARS)
def test_the_statistics_api_refuses_a_year_out_of_range_with_a_chinese_field_error(world, year):
    response = _client().get("/api/v1/stats/", {"year": year})
    assert response.status_code == 400
    (message,) = response.json()["year"]
    assert any("\u4e00" <= c <= "\u9fff" for c in message)


def test_the_statistics_api_refuses_a_street_that_does_not_exist(world):
    assert _client().get("/api/v1/stats/", {"street": MISSING}).json() == {"street": ["街道不存在。"]}
    assert _client().get("/api/v1/stats/", {"street": world.street.pk, "year": 2024}).status_code == 200


# --- a grid node that does not exist: 400 on every API filter ----------------------------------------


API_NODE_FILTERS = [
    ("anonymous", "/api/v1/grids/", "under"),
    ("anonymous", "/api/v1/grids/", "parent"),
    ("anonymous", "/api/v1/grids/", "street"),
    ("anonymous", "/api/v1/units/", "under"),
    ("anonymous", "/api/v1/units/", "street"),
    ("anonymous", "/api/v1/units/", "grid_node"),
    ("street_admin", "/api/v1/members/", "under"),
    ("street_admin", "/api/v1/members/", "community"),
    ("anonymous", "/api/v1/committees/", "street"),
    ("anonymous", "/api/v1/committees/", "grid_node"),
    ("anonymous", "/api/v1/resources/", "grid_node"),
    ("anonymous", "/api/v1/needs/", "grid_node"),
    ("anonymous", "/api/v1/projects/", "grid_node"),
    ("anonymous", "/api/v1/wishes/", "grid_node"),
    ("anonymous", "/api/v1/stations/", "area"),
    ("anonymous", "/api/v1/stations/", "grid_node"),
    ("anonymous", "/api/v1/rooms/", "area"),
    ("anonymous", "/api/v1/menu/", "serves"),
    ("anonymous", "/api/v1/activities/", "area"),
    ("street_admin", "/api/v1/issues/", "grid_node"),
]


@pytest.mark.parametrize("role, url, name", API_NODE_FILTERS, ids=[f"{u}?{n}" for _, u, n in API_NODE_FILTERS])
def test_an_api_filter_naming_a_grid_node_that_does_not_exist_answers_400(world, role, url, name):
    client = _client(world.users[role])
    for value in (str(MISSING), "abc", "²", "-1", str(2**64)):
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name, value, response.status_code)
        assert response.json()[name] == ["网格不存在。"], response.json()
    assert client.get(url, {name: world.community.pk}).status_code == 200


@pytest.mark.parametrize(
    "url, name",
    [("/lists/projects/", "grid_node"), ("/services/menu/", "community"), ("/alliance/figures/", "street")],
)
def test_a_page_filter_naming_a_grid_node_that_does_not_exist_answers_400(world, url, name):
    response = _client().get(url, {name: MISSING})
    assert response.status_code == 400
    assert any("不存在" in m for m in _messages(response))


def test_a_subtree_filter_keeps_its_rows_and_drops_the_others(world):
    rows = _client().get("/api/v1/projects/", {"grid_node": world.other_community.pk}).json()["results"]
    assert [r["id"] for r in rows] == [world.other_project.pk]


def test_an_api_search_with_a_nul_character_answers_400(world):
    for url in ("/api/v1/units/", "/api/v1/projects/", "/api/v1/grids/", "/api/v1/menu/"):
        response = _client().get(url, {"q": "a\x00b"})
        assert response.status_code == 400, url
    assert _client().get("/api/v1/meetings/", {"year": "0"}).status_code == 400
    assert _client().get("/api/v1/meetings/", {"starts_after": "10000-01-01"}).status_code == 400


# --- error pages ----------------------------------------------------------------------------------------


def _chinese_page_with_a_way_back(response, status, title):
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert title in page
    assert 'href="/"' in page or "返回首页" in page
    assert "返回首页" in page
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed"):
        assert english not in page


def test_404_is_chinese_in_the_layout_with_a_way_back(world):
    _chinese_page_with_a_way_back(_client().get("/no-such-page/"), 404, "页面不存在")
    _chinese_page_with_a_way_back(_client().get("/lists/projects/999999999/"), 404, "页面不存在")


def test_404_keeps_the_url_patterns_to_itself(db):
    page = _client().get("/不存在/").content.decode()
    assert "tried" not in page and "lists/" not in page.split("<main")[1].split("</main>")[0]


def test_403_is_chinese_with_the_views_reason(world):
    response = _client(world.users["resident"]).get("/workspace/services/issues/")
    _chinese_page_with_a_way_back(response, 403, "没有权限")
    assert "只有网格工作人员可以办理居民说事" in response.content.decode()


def test_400_is_chinese(world):
    _chinese_page_with_a_way_back(_client().get("/alliance/statistics.xlsx", {"year": "0"}), 400, "请求有误")


def test_the_csrf_failure_page_is_chinese_with_a_way_back(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"}, HTTP_REFERER="http://testserver/x/")
    _chinese_page_with_a_way_back(response, 403, "无法提交表单")
    assert 'href="http://testserver/x/"' in response.content.decode()  # back where the form was


def test_the_way_back_never_leads_off_site(db):
    response = _client().get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


def test_the_500_page_is_static_chinese_and_needs_no_database():
    # No database fixture: a query would fail the test ("Database access not allowed").
    response = error_views.server_error(RequestFactory().get("/lists/"))
    _chinese_page_with_a_way_back(response, 500, "服务器出错了")


def test_a_view_that_fails_answers_the_chinese_500_page(db, settings):
    settings.ROOT_URLCONF = "tests.security.failing_urls"
    client = Client(raise_request_exception=False)
    _chinese_page_with_a_way_back(client.get("/boom/"), 500, "服务器出错了")
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json()["detail"]


def test_api_errors_stay_json(db):
    response = _client().get("/api/v1/no-such-collection/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize("value", ["²", "１２", "1\x00", str(2**64), "abc"])
def test_an_admin_list_filter_on_a_grid_node_takes_only_ascii_ids(world, value):
    # "²".isdigit() is true, yet no database takes it as a number: a 500 before.
    response = _client(world.users["street_admin"]).get("/admin/members/user/", {"grid_node_in": value})
    assert response.status_code < 500
