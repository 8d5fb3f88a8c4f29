"""The public issue board (说事墙): publishing, taking down, “同样遇到”, the board, its privacy and its queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.core import feeds
from alliance.core.errors import Conflict
from alliance.core.models import Notification
from services import actions, maps, selectors_board
from services.models import Issue, IssueEvent, IssueMeToo
from tests.grids.factories import MicroGridFactory
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory

SECRET_NAME = "司马隐名"
SECRET_PHONE = "13987654321"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS = {}


@pytest.fixture
def reporter(community):
    return ResidentFactory(
        grid_node=community, display_name=SECRET_NAME, phone=SECRET_PHONE, username="reporter_secret"
    )


@pytest.fixture
def neighbour(community):
    return ResidentFactory(grid_node=community, display_name="邻居甲")


def public_issue(reporter, *, title="3号楼路灯不亮", status=Issue.Status.DISCOVERED, **extra) -> Issue:
    issue = IssueFactory(reporter=reporter, title=title, contact_phone=SECRET_PHONE, status=status, **extra)
    return actions.publish_issue(by=reporter, issue=issue)


def _as(user=None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


# --- publishing and taking down -------------------------------------------------------------------------------


def test_a_reporter_makes_an_issue_public_when_reporting_and_it_is_on_the_board(client, reporter):
    client.force_login(reporter)

    response = client.post(
        reverse("services:issue_new"),
        {"title": "小区门口井盖松动", "text": "走上去会晃。", "is_public": "on", "step": "check"},
    )

    issue = Issue.objects.get(title="小区门口井盖松动")
    assert response.status_code == 302
    assert issue.is_public and issue.published_by == reporter and issue.published_at is not None
    assert list(issue.events.values_list("kind", flat=True)) == ["reported", "published"]
    assert "小区门口井盖松动" in client.get(reverse("services:board")).content.decode()


def test_a_private_issue_stays_off_the_board(client, reporter):
    IssueFactory(reporter=reporter, title="家里漏水想找人修")

    page = client.get(reverse("services:board")).content.decode()

    assert "家里漏水想找人修" not in page


def test_a_reporter_publishes_later_from_their_issue_page(client, reporter):
    issue = IssueFactory(reporter=reporter)
    client.force_login(reporter)

    client.post(reverse("services:issue_publish", args=[issue.pk]))

    issue.refresh_from_db()
    assert issue.is_public
    assert "已公开到说事墙" in client.get(reverse("services:issue", args=[issue.pk])).content.decode()


def test_only_the_reporter_may_publish(reporter, neighbour, grid_worker):
    issue = IssueFactory(reporter=reporter)

    for other in (neighbour, grid_worker):
        with pytest.raises(PermissionDenied):
            actions.publish_issue(by=other, issue=issue)
    assert _as(neighbour).post(f"/api/v1/issues/{issue.pk}/publish/").status_code == 404
    assert _as(reporter).post(f"/api/v1/issues/{issue.pk}/publish/").json()["is_public"] is True


def test_staff_in_scope_take_an_issue_down_with_a_reason_and_history(reporter, community_admin):
    issue = public_issue(reporter)

    actions.take_down_issue(by=community_admin, issue=issue, reason="内容含有居民姓名")

    issue.refresh_from_db()
    assert not issue.is_public
    assert (issue.taken_down_by, issue.takedown_reason) == (community_admin, "内容含有居民姓名")
    assert issue.events.filter(kind=IssueEvent.Kind.TAKEN_DOWN, by=community_admin).exists()
    assert issue.history.first().history_user == community_admin
    assert not selectors_board.public_issues().filter(pk=issue.pk).exists()


def test_the_reporter_hears_why_their_issue_was_taken_down(
    reporter, community_admin, django_capture_on_commit_callbacks
):
    issue = public_issue(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        actions.take_down_issue(by=community_admin, issue=issue, reason="内容含有电话号码。")

    note = Notification.objects.get(recipient=reporter)
    assert note.title == "您公开的“3号楼路灯不亮”已撤下说事墙"
    assert note.body == "原因：内容含有电话号码。事项照常办理。"


def test_a_taken_down_issue_cannot_be_published_again(reporter, community_admin):
    issue = public_issue(reporter)
    actions.take_down_issue(by=community_admin, issue=issue, reason="含有电话号码")

    with pytest.raises(ValidationError):
        actions.publish_issue(by=reporter, issue=issue)


def test_another_communitys_admin_cannot_take_an_issue_down(reporter, other_community_admin, neighbour):
    issue = public_issue(reporter)

    with pytest.raises(PermissionDenied):
        actions.take_down_issue(by=other_community_admin, issue=issue, reason="不属实")
    with pytest.raises(PermissionDenied):
        actions.take_down_issue(by=neighbour, issue=issue, reason="不想看到")
    # In the API the issue is outside their scope: not found.
    url = f"/api/v1/issues/{issue.pk}/take-down/"
    assert _as(other_community_admin).post(url, {"reason": "不属实"}, format="json").status_code == 404
    issue.refresh_from_db()
    assert issue.is_public


def test_take_down_through_the_api_needs_a_reason(reporter, community_admin):
    issue = public_issue(reporter)
    url = f"/api/v1/issues/{issue.pk}/take-down/"

    assert _as(community_admin).post(url, {}, format="json").status_code == 400
    response = _as(community_admin).post(url, {"reason": "含有个人信息"}, format="json")

    assert response.status_code == 200 and response.json()["is_public"] is False


def test_the_admin_takes_an_issue_down_through_its_button(client, reporter, street_admin):
    issue = public_issue(reporter)
    client.force_login(street_admin)
    url = reverse("admin:services_issue_transition", args=[issue.pk, "take_down"])

    client.post(url, {"reason": "含有门牌号和姓名", "confirm": "yes"})

    issue.refresh_from_db()
    assert not issue.is_public and issue.takedown_reason == "含有门牌号和姓名"


def test_a_grid_worker_takes_an_issue_down_from_the_workspace(client, reporter, grid_worker):
    issue = public_issue(reporter)
    client.force_login(grid_worker)
    url = reverse("services_ws:issue_take_down", args=[issue.pk])

    client.post(url, {"reason": ""})
    issue.refresh_from_db()
    assert issue.is_public  # no reason, no take-down
    client.post(url, {"reason": "写了邻居的门牌号"})

    issue.refresh_from_db()
    assert not issue.is_public and issue.taken_down_by == grid_worker
    page = client.get(reverse("services_ws:issue", args=[issue.pk])).content.decode()
    assert "已撤下说事墙：写了邻居的门牌号" in page


# --- 同样遇到 -----------------------------------------------------------------------------------------------


def test_a_neighbour_says_me_too_and_the_count_shows_on_the_board(client, reporter, neighbour):
    issue = public_issue(reporter)
    client.force_login(neighbour)

    client.post(reverse("services:board_me_too", args=[issue.pk]))

    assert IssueMeToo.objects.filter(issue=issue, person=neighbour).count() == 1
    board = client.get(reverse("services:board")).content.decode()
    assert "1人同样遇到" in board
    assert "您已点过“同样遇到”" in client.get(reverse("services:board_issue", args=[issue.pk])).content.decode()


def test_me_too_is_once_per_person(reporter, neighbour):
    issue = public_issue(reporter)
    actions.me_too(by=neighbour, issue=issue)

    with pytest.raises(Conflict):
        actions.me_too(by=neighbour, issue=issue)
    assert _as(neighbour).post(f"/api/v1/public-issues/{issue.pk}/me-too/").status_code == 409


def test_me_too_is_refused_on_ones_own_a_private_or_a_finished_issue(reporter, neighbour):
    own = public_issue(reporter)
    private = IssueFactory(reporter=reporter)
    finished = public_issue(reporter, status=Issue.Status.FEEDBACK)

    with pytest.raises(ValidationError):
        actions.me_too(by=reporter, issue=own)
    with pytest.raises(ValidationError):
        actions.me_too(by=neighbour, issue=private)
    with pytest.raises(ValidationError):
        actions.me_too(by=neighbour, issue=finished)
    assert _as(reporter).post(f"/api/v1/public-issues/{own.pk}/me-too/").status_code == 400
    assert _as(neighbour).post(f"/api/v1/public-issues/{private.pk}/me-too/").status_code == 404
    assert not IssueMeToo.objects.exists()


def test_signed_out_me_too_is_refused(client, reporter):
    issue = public_issue(reporter)

    page = client.post(reverse("services:board_me_too", args=[issue.pk]))
    api = _as().post(f"/api/v1/public-issues/{issue.pk}/me-too/")

    assert page.status_code == 302 and reverse("login") in page["Location"]
    assert api.status_code == 401
    assert not IssueMeToo.objects.exists()


def test_me_too_in_the_api_answers_the_new_count(reporter, neighbour, community):
    issue = public_issue(reporter)
    actions.me_too(by=ResidentFactory(grid_node=community), issue=issue)

    response = _as(neighbour).post(f"/api/v1/public-issues/{issue.pk}/me-too/")

    assert response.status_code == 201 and response.json() == {"id": issue.pk, "me_too_count": 2}


def test_me_too_is_rate_limited_in_scope_support(settings, reporter, community):
    settings.RATE_LIMITS = {"support": "2/h"}
    person = ResidentFactory(grid_node=community)
    issues = [public_issue(reporter, title=f"路灯不亮{i}") for i in range(3)]
    client = _as(person)

    codes = [client.post(f"/api/v1/public-issues/{i.pk}/me-too/").status_code for i in issues]

    assert codes == [201, 201, 429]


def test_me_too_people_hear_when_the_result_is_given(
    reporter, neighbour, grid_worker, django_capture_on_commit_callbacks
):
    issue = public_issue(reporter)
    actions.me_too(by=neighbour, issue=issue)

    with django_capture_on_commit_callbacks(execute=True):
        for text in ("", "", "路灯已更换。"):
            issue = actions.move_issue(by=grid_worker, issue=issue, text=text)

    note = Notification.objects.get(recipient=neighbour)
    assert note.title == "您也遇到的“3号楼路灯不亮”已有处理结果"
    assert note.url == reverse("services:board_issue", args=[issue.pk])
    assert "路灯已更换" not in note.body  # the reply is the reporter's


# --- what the public sees -----------------------------------------------------------------------------------


def _no_personal_data(text: str, reporter) -> None:
    assert SECRET_NAME not in text
    assert SECRET_NAME[0] + "*" not in text  # not even masked
    assert SECRET_PHONE not in text and SECRET_PHONE[-4:] not in text
    assert "reporter_secret" not in text
    assert f'"reporter": {reporter.pk}' not in text and f'"reporter":{reporter.pk}' not in text


def test_the_board_its_pages_api_map_and_feed_carry_no_personal_data(client, reporter, neighbour, grid_worker):
    issue = public_issue(reporter, lat=Decimal("36.650000"), lng=Decimal("117.020000"))
    actions.me_too(by=neighbour, issue=issue)
    issue = actions.move_issue(by=grid_worker, issue=issue, text=f"已联系{SECRET_NAME}，电话{SECRET_PHONE}。")
    client.force_login(neighbour)

    texts = [
        client.get(reverse("services:board")).content.decode(),
        client.get(reverse("services:board_issue", args=[issue.pk])).content.decode(),
        client.get(reverse("services:board_map")).content.decode(),
        _as().get("/api/v1/public-issues/").content.decode(),
        _as().get(f"/api/v1/public-issues/{issue.pk}/").content.decode(),
        _as().get("/api/v1/map/?layers=public_issues").content.decode(),
        _as().get(f"/api/v1/public-issues/similar/?title=路灯不亮&grid_node={issue.grid_node_id}").content.decode(),
    ]
    now = timezone.now()
    items = feeds.collect([issue.grid_node.street], [feeds.Topic.ISSUES], now - datetime.timedelta(days=1), now)
    texts.append(repr(items))

    assert "3号楼路灯不亮" in texts[0] and "3号楼路灯不亮" in texts[3] and "3号楼路灯不亮" in texts[5]
    assert "3号楼路灯不亮" in texts[6] and "3号楼路灯不亮" in texts[7]
    for text in texts:
        _no_personal_data(text, reporter)
    assert grid_worker.name not in texts[1] and "已联系" not in texts[1]


def test_the_public_issue_page_shows_its_steps_with_dates(client, reporter, grid_worker):
    issue = public_issue(reporter)
    actions.move_issue(by=grid_worker, issue=issue)

    page = client.get(reverse("services:board_issue", args=[issue.pk])).content.decode()

    assert "公开到说事墙" in page and "已受理，正在商量解决办法" in page and "处理中" in page
    assert "已等待" in page


def test_a_private_or_taken_down_issue_has_no_public_page(client, reporter, community_admin):
    private = IssueFactory(reporter=reporter)
    down = public_issue(reporter)
    actions.take_down_issue(by=community_admin, issue=down, reason="含有个人信息")

    assert client.get(reverse("services:board_issue", args=[private.pk])).status_code == 404
    assert client.get(reverse("services:board_issue", args=[down.pk])).status_code == 404
    assert _as().get(f"/api/v1/public-issues/{private.pk}/").status_code == 404


def test_the_board_says_how_long_a_finished_issue_took(reporter, grid_worker):
    issue = public_issue(reporter)
    start = issue.reported_at
    for days, text in ((1, ""), (2, ""), (3, "已修好。")):
        issue = actions.move_issue(by=grid_worker, issue=issue, text=text, now=start + datetime.timedelta(days=days))

    row = selectors_board.board().get(pk=issue.pk)

    assert selectors_board.took(row) == "用时3天"


def test_the_board_filters_by_community_micro_grid_and_stage(client, reporter, community, other_community, grid_worker):
    micro = MicroGridFactory(parent=community, name="舜园5号楼微网格")
    here = public_issue(reporter, title="5号楼门禁坏了", grid_node=micro)
    other = public_issue(ResidentFactory(grid_node=other_community), title="舜华菜场噪音")
    actions.move_issue(by=grid_worker, issue=here)

    def titles(query):
        return [row["title"] for row in _as().get("/api/v1/public-issues/", query).json()["results"]]

    assert titles({"community": community.pk}) == ["5号楼门禁坏了"]
    assert titles({"micro_grid": micro.pk}) == ["5号楼门禁坏了"]
    assert titles({"stage": "waiting"}) == ["舜华菜场噪音"]
    assert titles({"stage": "serving"}) == ["5号楼门禁坏了"]
    assert _as().get("/api/v1/public-issues/", {"stage": "nonsense"}).status_code == 400
    page = client.get(reverse("services:board"), {"community": other_community.pk}).content.decode()
    assert "舜华菜场噪音" in page and "5号楼门禁坏了" not in page
    assert client.get(reverse("services:board"), {"community": "abc"}).status_code == 400
    assert other.pk


# --- fixed queries ------------------------------------------------------------------------------------------


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_board_page_and_api_run_the_same_queries_for_one_row_and_many(client, reporter, community):
    public_issue(reporter)
    board = lambda: client.get(reverse("services:board"))  # noqa: E731
    api = lambda: _as().get("/api/v1/public-issues/")  # noqa: E731
    map_data = lambda: _as().get("/api/v1/map/?layers=public_issues")  # noqa: E731
    one = (_count(board), _count(api), _count(map_data))

    for i in range(12):
        issue = public_issue(ResidentFactory(grid_node=community), title=f"楼道灯坏了{i}")
        actions.me_too(by=reporter, issue=issue)

    assert (_count(board), _count(api), _count(map_data)) == one
    # The page: the communities of the filter (1), count and page of the board (2) (+ the session's: none here).
    assert one[0] <= 4


# --- similar issues -----------------------------------------------------------------------------------------


def test_similar_open_issues_nearby_are_found_by_title(reporter, community, other_community):
    near = public_issue(reporter, title="3号楼门口路灯不亮", lat=Decimal("36.650000"), lng=Decimal("117.020000"))
    public_issue(reporter, title="垃圾桶满了没人清")  # same community, another problem
    public_issue(ResidentFactory(grid_node=other_community), title="路灯不亮")  # another community, no point
    IssueFactory(reporter=reporter, title="路灯不亮了")  # private

    found = selectors_board.similar_issues(title="路灯不亮", grid_node=community)
    by_point = selectors_board.similar_issues(title="路灯坏了不亮", lat=Decimal("36.6505"), lng=Decimal("117.0203"))

    assert [s.issue.pk for s in found] == [near.pk]
    assert [s.issue.pk for s in by_point] == [near.pk] and by_point[0].reason.startswith("相距约")


def test_the_report_form_suggests_a_similar_issue_and_still_sends_on_request(client, reporter, neighbour):
    issue = public_issue(reporter, title="3号楼门口路灯不亮")
    client.force_login(neighbour)
    data = {"title": "路灯不亮", "text": "晚上很黑。", "step": "check"}

    first = client.post(reverse("services:issue_new"), data)

    page = first.content.decode()
    assert first.status_code == 200 and "附近已有邻居反映了相似的问题" in page
    assert reverse("services:board_me_too", args=[issue.pk]) in page and "仍要提交" in page
    assert not Issue.objects.filter(title="路灯不亮").exists()

    second = client.post(reverse("services:issue_new"), {**data, "step": "send"})

    assert second.status_code == 302 and Issue.objects.filter(title="路灯不亮", reporter=neighbour).exists()


def test_the_similar_api_is_bounded(reporter, community):
    public_issue(reporter, title="3号楼门口路灯不亮")

    ok = _as().get("/api/v1/public-issues/similar/", {"title": "路灯不亮", "grid_node": community.pk})

    assert [r["issue"]["title"] for r in ok.json()["results"]] == ["3号楼门口路灯不亮"]
    for bad in ({}, {"title": "x" * 101}, {"title": "路灯", "lat": "91", "lng": "1"}, {"title": "路灯", "lat": "1"}):
        assert _as().get("/api/v1/public-issues/similar/", bad).status_code == 400, bad
    assert _as().get("/api/v1/public-issues/similar/", {"title": "路灯", "grid_node": "999999"}).status_code == 400


def test_the_map_layer_of_the_board_is_public(reporter):
    issue = public_issue(reporter, lat=Decimal("36.650000"), lng=Decimal("117.020000"))
    IssueFactory(reporter=reporter, title="不公开的事")

    data = maps.map_collection(None, node=None, layers=["public_issues"])

    assert [f["properties"]["id"] for f in data["features"]] == [issue.pk]
    assert data["features"][0]["properties"]["stage"] == "已受理"
