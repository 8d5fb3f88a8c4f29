"""Units post their own needs (双向清单): reviewed by the admins of their grid before anyone else sees them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.core.models import Notification
from projects import actions, selectors
from projects.models import Need
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import CommunityAdminFactory, MemberUnitFactory, UnitOperatorFactory
from tests.projects.factories import NeedFactory, category


def _post(operator, **extra):
    fields = {"title": "单位职工子女暑期托管场地", "category": category(), "people_affected": 30, **extra}
    return actions.submit_unit_need(by=operator, **fields)


def test_a_units_need_waits_for_review_and_is_shown_to_no_one_else(client, unit_operator, resident, community):
    need = _post(unit_operator, description="需要一间能容纳30个孩子的活动室")
    assert need.status == Need.Status.PENDING
    assert need.posted_by_unit == unit_operator.unit
    assert need.grid_node == community  # the unit's own grid by default
    assert need.submitted_at is not None
    assert not selectors.listed_needs().filter(pk=need.pk).exists()
    assert not selectors.visible_needs(resident).filter(pk=need.pk).exists()
    assert "单位职工子女暑期托管场地" not in client.get(reverse("projects:needs")).content.decode()
    assert client.get(reverse("projects:need", args=[need.pk])).status_code == 404
    client.force_login(unit_operator)
    page = client.get(reverse("projects:need", args=[need.pk])).content.decode()
    assert "尚未公开" in page


def test_the_community_admin_is_told_and_approves_it_then_it_is_public(client, unit_operator, community_admin):
    need = _post(unit_operator)
    told = Notification.objects.get(recipient=community_admin)
    assert "单位职工子女暑期托管场地" in told.title
    actions.approve_need(by=community_admin, need=need)
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
    assert need.reviewed_by == community_admin and need.reviewed_at is not None
    assert "单位职工子女暑期托管场地" in client.get(reverse("projects:needs")).content.decode()
    assert Notification.objects.filter(recipient=unit_operator, title="您的需求已通过审核").exists()
    assert need.history.count() == 2  # submitted, approved


def test_a_returned_need_shows_the_reason_and_is_edited_and_submitted_again(client, unit_operator, community_admin):
    need = _post(unit_operator)
    with pytest.raises(ValidationError):
        actions.return_need(by=community_admin, need=need, reason="  ")
    actions.return_need(by=community_admin, need=need, reason="请写明需要的时间段")
    client.force_login(unit_operator)
    page = client.get(reverse("projects_ws:needs")).content.decode()
    assert "已退回" in page and "请写明需要的时间段" in page
    edit = reverse("projects_ws:need_edit", args=[need.pk])
    assert "请写明需要的时间段" in client.get(edit).content.decode()
    body = {
        "title": "暑期托管场地（7月—8月工作日）",
        "category": need.category_id,
        "grid_node": need.grid_node_id,
        "people_affected": 30,
        "urgency": "normal",
        "description": "",
        "wanted_by": "",
    }
    answer = client.post(edit, body)
    assert answer.status_code == 302, answer.context["form"].errors
    need.refresh_from_db()
    assert need.status == Need.Status.PENDING
    assert need.title == "暑期托管场地（7月—8月工作日）" and need.review_note == ""
    # a pending one is not edited again until it comes back
    assert client.get(edit).status_code == 302


def test_declining_is_final_and_says_why(unit_operator, community_admin):
    need = _post(unit_operator)
    actions.decline_need(by=community_admin, need=need, reason="不属于社区服务范围")
    need.refresh_from_db()
    assert need.status == Need.Status.DECLINED and need.review_note == "不属于社区服务范围"
    with pytest.raises(ValidationError):
        actions.resubmit_unit_need(by=unit_operator, need=need, title="再试一次")
    with pytest.raises(ValidationError):
        actions.approve_need(by=community_admin, need=need)


def test_who_may_post_and_review(unit_operator, resident, grid_worker, community_admin, other_community_admin):
    for who in (resident, grid_worker, community_admin):
        with pytest.raises(PermissionDenied):
            _post(who)
    need = _post(unit_operator)
    for who in (unit_operator, resident, grid_worker, other_community_admin):
        with pytest.raises(PermissionDenied):
            actions.approve_need(by=who, need=need)
    other_unit = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=need.grid_node))
    actions.return_need(by=community_admin, need=need, reason="请补充说明")
    with pytest.raises(PermissionDenied):
        actions.resubmit_unit_need(by=other_unit, need=need, title="别人的需求")


def test_a_unit_chooses_a_grid_within_its_street_only(unit_operator, community, street):
    elsewhere = CommunityFactory(parent=StreetFactory(name="别的街道"))
    with pytest.raises(ValidationError) as refused:
        _post(unit_operator, grid_node=elsewhere)
    assert "本单位所在街道" in str(refused.value)
    sibling = CommunityFactory(parent=street, name="舜华社区")
    assert _post(unit_operator, grid_node=sibling).grid_node == sibling
    with pytest.raises(ValidationError):
        _post(unit_operator, wanted_by=datetime.date.today() - datetime.timedelta(days=1))


def test_counts_and_matching_leave_unreviewed_needs_out(unit_operator, community):
    NeedFactory(grid_node=community)
    _post(unit_operator)
    assert selectors.list_figures()["needs"] == 1
    assert selectors.need_count_for_statistics() == 1
    from alliance.site.stats import lists_figures  # the figures page reads the same rows

    assert lists_figures(community)["needs"] == 1
    from projects.matching import _open_needs  # what every matching run starts from

    assert not _open_needs().filter(status=Need.Status.PENDING).exists()


def test_the_to_do_line_lists_needs_waiting_for_review(client, unit_operator, community_admin):
    need = _post(unit_operator)
    client.force_login(community_admin)
    page = client.get(reverse("admin:projects_need_changelist") + "?todo=needs_to_review").content.decode()
    assert need.title in page
    page = client.get(reverse("admin:index")).content.decode()
    assert "待审核的单位需求" in page


def test_the_admin_buttons_approve_and_return(client, unit_operator, community_admin):
    need = _post(unit_operator)
    client.force_login(community_admin)
    change = reverse("admin:projects_need_change", args=[need.pk])
    assert "审核通过并公开" in client.get(change).content.decode()
    url = reverse("admin:projects_need_transition", args=[need.pk, "send_back"])
    client.post(url, {"reason": "请补充受益人数", "confirm": "yes"})
    need.refresh_from_db()
    assert need.status == Need.Status.RETURNED and need.review_note == "请补充受益人数"


def test_the_workspace_form_posts_a_need(client, unit_operator, micro_grid):
    client.force_login(unit_operator)
    assert client.get(reverse("projects_ws:need_new")).status_code == 200
    body = {
        "title": "楼道堆物清理需要志愿者",
        "category": category().pk,
        "grid_node": micro_grid.pk,
        "people_affected": 120,
        "urgency": "high",
        "description": "3号楼楼道杂物多，存在消防隐患",
        "wanted_by": "",
    }
    assert client.post(reverse("projects_ws:need_new"), body).status_code == 302
    need = Need.objects.get(title="楼道堆物清理需要志愿者")
    assert need.status == Need.Status.PENDING and need.grid_node == micro_grid
    refused = client.post(reverse("projects_ws:need_new"), {**body, "people_affected": 10**9})
    assert refused.status_code == 200 and "people_affected" in refused.context["form"].errors


def test_only_unit_operators_open_the_workspace_pages(client, resident, community_admin):
    for who in (resident, community_admin):
        client.force_login(who)
        for name in ("projects_ws:needs", "projects_ws:need_new", "projects_ws:pledges"):
            assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("projects_ws:needs")).status_code == 302


def test_another_units_need_is_not_found(client, unit_operator, community_admin):
    need = _post(unit_operator)
    actions.return_need(by=community_admin, need=need, reason="请补充")
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=need.grid_node))
    client.force_login(other)
    assert client.get(reverse("projects_ws:need_edit", args=[need.pk])).status_code == 404
    assert need.title not in client.get(reverse("projects_ws:needs")).content.decode()


def test_the_workspace_list_runs_a_fixed_number_of_queries(client, unit_operator, django_assert_num_queries):
    client.force_login(unit_operator)
    _post(unit_operator)
    # session, user, the count, the page (category and grid node joined)
    with django_assert_num_queries(4):
        assert client.get(reverse("projects_ws:needs")).status_code == 200
    for n in range(8):
        _post(unit_operator, title=f"需求{n}")
    with django_assert_num_queries(4):
        assert client.get(reverse("projects_ws:needs")).status_code == 200


def test_the_api_takes_a_units_need_as_pending_and_staff_review_it(unit_operator, community_admin, community):
    api = APIClient()
    api.force_authenticate(unit_operator)
    body = {"title": "职工篮球场夜间开放管理", "category": category().pk, "grid_node": community.pk, "kind": "problem"}
    made = api.post("/api/v1/needs/", body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "pending" and made.json()["kind"] == "need"
    pk = made.json()["id"]
    assert pk not in {row["id"] for row in APIClient().get("/api/v1/needs/").json()["results"]}
    assert APIClient().get(f"/api/v1/needs/{pk}/").status_code == 404
    assert api.get(f"/api/v1/needs/{pk}/").status_code == 200
    assert api.post(f"/api/v1/needs/{pk}/review/", {"decision": "approve"}, format="json").status_code == 403
    staff = APIClient()
    staff.force_authenticate(community_admin)
    assert staff.post(f"/api/v1/needs/{pk}/review/", {"decision": "decline"}, format="json").status_code == 400
    answer = staff.post(f"/api/v1/needs/{pk}/review/", {"decision": "approve"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "open"
    assert pk in {row["id"] for row in APIClient().get("/api/v1/needs/").json()["results"]}


def test_an_admin_of_another_street_gets_404(unit_operator):
    need = _post(unit_operator)
    far = CommunityAdminFactory(grid_node=CommunityFactory(parent=StreetFactory(name="别的街道")))
    api = APIClient()
    api.force_authenticate(far)
    assert api.post(f"/api/v1/needs/{need.pk}/review/", {"decision": "approve"}, format="json").status_code == 404


def test_the_street_admin_reviews_any_needs_of_the_street(unit_operator, street_admin):
    need = _post(unit_operator)
    actions.approve_need(by=street_admin, need=need)
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN and need.reviewed_by == street_admin


def test_a_need_not_yet_approved_is_no_projects_source(unit_operator, community_admin, community):
    pending = _post(unit_operator)
    with pytest.raises(ValidationError) as refused:
        actions.create_project(
            by=community_admin, title="暑期托管", category=category(), grid_node=community, needs=[pending]
        )
    assert "还没有审核通过" in str(refused.value)
    actions.approve_need(by=community_admin, need=pending)
    pending.refresh_from_db()
    project = actions.create_project(
        by=community_admin, title="暑期托管", category=category(), grid_node=community, needs=[pending]
    )
    assert list(project.needs.all()) == [pending]


def test_the_project_form_of_the_admin_offers_only_reviewed_needs(client, unit_operator, community_admin, community):
    pending = _post(unit_operator, title="尚待审核的单位需求")
    NeedFactory(grid_node=community, title="已公开的社区需求")
    client.force_login(community_admin)
    page = client.get(reverse("admin:projects_project_add")).content.decode()
    assert "已公开的社区需求" in page
    assert pending.title not in page
