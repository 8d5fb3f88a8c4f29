"""The resident's phone: services first, 我的 with badges, lists in residents' words, stars, a confirmed
cancel, and a unit's decline that must give the reason the resident then reads."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.core import cache
from services import actions
from services.models import Issue, Order, OrderEvent
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

ENTRIES = ("点单", "说事", "预约", "活动", "心愿")
STAGE_NAMES = ("发现", "会商", "处置", "反馈")


@pytest.fixture
def item(unit, community):
    return MenuItemFactory(provider_unit=unit, grid_scope=community, title="老年助餐送餐")


def _order_in(state, *, resident, item, unit_operator, grid_worker):
    order = actions.submit_order(by=resident, menu_item=item)
    if state in ("accepted", "served", "delivered"):
        actions.accept_order(by=unit_operator, order=order)
    if state in ("served", "delivered"):
        actions.serve_order(by=unit_operator, order=order)
    if state == "delivered":
        actions.confirm_delivery(by=grid_worker, order=order)
    return order


# --- home and 我的 ---------------------------------------------------------------------------------


def test_a_signed_in_resident_lands_on_their_services_then_my_badges(
    client, resident, item, unit_operator, grid_worker
):
    for state in ("submitted", "submitted", "accepted", "served", "delivered"):
        _order_in(state, resident=resident, item=item, unit_operator=unit_operator, grid_worker=grid_worker)
    IssueFactory(reporter=resident, status=Issue.Status.CONSULTING, title="路灯不亮")
    client.force_login(resident)

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert "figures" not in response.context  # the alliance's statistics are not what a resident lands on
    grid = page.split('class="service-grid"')[1].split("</nav>")[0]
    assert [entry for entry in ENTRIES if f"<strong>{entry}</strong>" in grid] == list(ENTRIES)
    assert reverse("services:menu") in grid and reverse("services:issue_new") in grid
    mine = page.split('id="mine-title"')[1]
    # 待接单 2, 服务中 2 (accepted and served), 待评价 1; the issue is 处理中, not "会商"
    assert '<span class="count">2</span><span class="what">待接单</span>' in mine
    assert '<span class="count">2</span><span class="what">服务中</span>' in mine
    assert '<span class="count due">1</span><span class="what">待评价</span>' in mine
    assert '<span class="count">1</span><span class="what">处理中</span>' in mine
    assert "路灯不亮" in mine and "老年助餐送餐" in mine
    assert not any(name in mine for name in STAGE_NAMES)


def test_each_entry_of_the_home_opens_for_the_resident(client, resident):
    client.force_login(resident)
    grid = client.get(reverse("home")).content.decode().split('class="service-grid"')[1].split("</nav>")[0]
    links = [part.split('"')[0] for part in grid.split('href="')[1:]]
    assert len(links) == 6
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_anonymous_home_keeps_the_alliances_figures(client, db):
    response = client.get(reverse("home"))
    assert "联盟概况" in response.content.decode() and "figures" in response.context


@pytest.mark.parametrize("who", ["unit_operator", "grid_worker", "street_admin"])
def test_people_who_serve_residents_keep_the_figures_home(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert "联盟概况" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_home_and_mine_run_a_fixed_number_of_queries(client, django_assert_num_queries, resident, item, rows):
    for _ in range(rows):
        OrderFactory(resident=resident, menu_item=item)
        IssueFactory(reporter=resident)
    client.force_login(resident)
    for url in (reverse("home"), reverse("portal:mine")):
        cache.forget_all()
        # session, user, orders and issues by status (one UNION ALL), latest orders, latest issues
        with django_assert_num_queries(5):
            response = client.get(url)
        assert response.status_code == 200
        # kept for this resident: session, user
        with django_assert_num_queries(2):
            again = client.get(url)

        def mine(page):
            return page.content.decode().split('id="mine-title"')[1].split("</section>")[0]

        assert mine(again) == mine(response) and f"{rows}</span>" in mine(again)


def test_my_badges_follow_a_new_order_at_once_and_are_mine_only(client, resident, item, unit_operator, community):
    client.force_login(resident)
    client.get(reverse("home"))  # 我的 is kept for this resident
    order = actions.submit_order(by=resident, menu_item=item)

    page = client.get(reverse("home")).content.decode()
    assert '<span class="count">1</span><span class="what">待接单</span>' in page
    actions.accept_order(by=unit_operator, order=order)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="count">1</span><span class="what">服务中</span>' in page

    client.force_login(ResidentFactory(grid_node=community))
    other = client.get(reverse("home")).content.decode()
    assert item.title not in other and '<span class="count">0</span><span class="what">服务中</span>' in other


def test_the_tab_bar_marks_the_current_tab(client, resident):
    client.force_login(resident)
    for url, tab in (
        (reverse("home"), "首页"),
        (reverse("services:menu"), "服务"),
        (reverse("services:map"), "地图"),
        (reverse("services:inbox"), "消息"),
        (reverse("services:my_orders"), "我的"),
        (reverse("portal:mine"), "我的"),
    ):
        bar = client.get(url).content.decode().split('class="tabbar"')[1].split("</nav>")[0]
        current = [a for a in bar.split("<a ")[1:] if 'aria-current="page"' in a]
        assert len(current) == 1 and f"<span>{tab}</span>" in current[0], url
        assert all(f"<span>{name}</span>" in bar for name in ("首页", "服务", "地图", "消息", "我的"))


def test_mine_needs_a_sign_in(client, db):
    assert client.get(reverse("portal:mine")).url.startswith(reverse("login"))


# --- lists and pages in residents' words -------------------------------------------------------------


def test_my_issues_have_tabs_in_residents_words_and_no_stage_names(client, resident):
    IssueFactory(reporter=resident, title="井盖缺失", status=Issue.Status.DISCOVERED)
    IssueFactory(reporter=resident, title="路灯不亮", status=Issue.Status.CONSULTING)
    IssueFactory(reporter=resident, title="楼道堆物", status=Issue.Status.FEEDBACK)
    client.force_login(resident)

    everything = client.get(reverse("services:my_issues")).content.decode()
    serving = client.get(reverse("services:my_issues"), {"tab": "serving"}).content.decode()

    assert all(word in everything for word in ("已受理", "处理中", "待评价", "已办结"))
    main = everything.split('id="main"')[1]
    assert not any(name in main for name in STAGE_NAMES)
    assert "路灯不亮" in serving and "井盖缺失" not in serving and "楼道堆物" not in serving


def test_my_orders_tab_by_phase_and_an_unknown_tab_shows_all_with_a_message(client, resident, item):
    OrderFactory(resident=resident, menu_item=item, status=Order.Status.RATED, rating=5)
    OrderFactory(resident=resident, menu_item=MenuItemFactory(title="上门理发"))
    client.force_login(resident)

    done = client.get(reverse("services:my_orders"), {"tab": "done"}).content.decode()
    refused = client.get(reverse("services:my_orders"), {"tab": "x" * 500})

    assert "老年助餐送餐" in done and "上门理发" not in done and '<span class="tag ok">已办结</span>' in done
    assert refused.status_code == 400 and "上门理发" in refused.content.decode()
    assert "筛选条件无效" in refused.content.decode()


def test_the_order_timeline_says_who_did_what_and_never_credits_the_unit_with_the_delivery(
    client, resident, item, unit, unit_operator, grid_worker
):
    order = _order_in("delivered", resident=resident, item=item, unit_operator=unit_operator, grid_worker=grid_worker)
    client.force_login(resident)

    page = client.get(reverse("services:order", args=[order.pk])).content.decode()

    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "您提交了点单" in timeline
    assert f"{unit.name}接单了" in timeline and f"{unit.name}已完成服务" in timeline
    assert "社区确认服务已送达" in timeline and f"网格员{grid_worker.name}确认" in timeline
    assert "社区送达" not in page
    assert '<span class="tag warn">待评价</span>' in page


# --- the star rating ---------------------------------------------------------------------------------


def test_the_rating_is_five_named_radio_stars_that_post_without_script(
    client, resident, item, unit_operator, grid_worker
):
    order = _order_in("delivered", resident=resident, item=item, unit_operator=unit_operator, grid_worker=grid_worker)
    client.force_login(resident)
    page = client.get(reverse("services:order", args=[order.pk])).content.decode()
    form = page.split('class="form card rate"')[1].split("</form>")[0]

    assert form.count('type="radio" name="rating"') == 5
    for n, word in ((1, "很不满意"), (3, "一般"), (5, "非常满意")):
        assert (
            f'value="{n}" required><span class="glyph" aria-hidden="true">★</span><span class="sr-only">{n}星：{word}'
            in form
        )
    assert "<script" not in form

    response = client.post(reverse("services:order_rate", args=[order.pk]), {"rating": "4", "comment": "准时"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.rating) == (Order.Status.RATED, 4)


# --- cancelling asks first ---------------------------------------------------------------------------


def test_cancelling_asks_for_a_confirmation_first(client, resident, item):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(resident)

    detail = client.get(reverse("services:order", args=[order.pk])).content.decode()
    confirm = client.get(reverse("services:order_cancel", args=[order.pk]))

    # The order page links to the confirm page; it holds no form that cancels in one tap.
    assert f'href="{reverse("services:order_cancel", args=[order.pk])}"' in detail
    assert f'action="{reverse("services:order_cancel", args=[order.pk])}"' not in detail
    assert (
        confirm.status_code == 200
        and "确认取消" in confirm.content.decode()
        and "不取消，返回" in confirm.content.decode()
    )
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED

    client.post(reverse("services:order_cancel", args=[order.pk]))

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_the_confirm_page_of_an_accepted_order_sends_back_with_the_reason(client, resident, item, unit_operator):
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    client.force_login(resident)

    response = client.get(reverse("services:order_cancel", args=[order.pk]), follow=True)

    assert "不能取消" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("services:order", args=[order.pk])


def test_the_confirm_page_of_someone_elses_order_is_not_found(client, resident, item, community):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(ResidentFactory(grid_node=community))
    assert client.get(reverse("services:order_cancel", args=[order.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_the_confirm_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, resident, item, rows):
    for _ in range(rows):
        OrderFactory(resident=resident, menu_item=item)
    order = Order.objects.filter(resident=resident).first()
    client.force_login(resident)
    # session, user, the order with its item, category, grid node, unit
    with django_assert_num_queries(3):
        assert client.get(reverse("services:order_cancel", args=[order.pk])).status_code == 200


# --- a unit's decline needs a reason, which the resident reads -----------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_the_action_refuses_a_decline_without_a_reason(resident, item, unit_operator, reason):
    order = actions.submit_order(by=resident, menu_item=item)
    with pytest.raises(ValidationError) as refused:
        actions.decline_order(by=unit_operator, order=order, reason=reason)
    assert "请填写婉拒理由" in refused.value.message_dict["reason"][0]
    assert not order.events.filter(kind=OrderEvent.Kind.DECLINED).exists()


def test_the_workspace_asks_for_the_reason_and_refuses_an_empty_one(client, resident, item, unit_operator):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(unit_operator)

    page = client.get(reverse("services_ws:orders")).content.decode()
    refused = client.post(reverse("services_ws:order_decline", args=[order.pk]), {"reason": ""}, follow=True)

    assert f'id="reason-{order.pk}" name="reason" required' in page
    assert "请填写婉拒理由" in refused.content.decode()
    assert not order.events.filter(kind=OrderEvent.Kind.DECLINED).exists()


def test_the_api_refuses_a_decline_without_a_reason(resident, item, unit_operator):
    order = actions.submit_order(by=resident, menu_item=item)
    api = APIClient()
    api.force_authenticate(unit_operator)

    for body in ({}, {"reason": ""}):
        response = api.post(f"/api/v1/orders/{order.pk}/decline/", body, format="json")
        assert response.status_code == 400 and "reason" in response.json()
    assert api.post(f"/api/v1/orders/{order.pk}/decline/", {"reason": "本周人手不足"}, format="json").status_code == 200


def test_the_resident_reads_the_units_reason_on_the_order(client, resident, item, unit, unit_operator):
    order = actions.submit_order(by=resident, menu_item=item)
    actions.decline_order(by=unit_operator, order=order, reason="本周人手不足")
    client.force_login(resident)

    page = client.get(reverse("services:order", args=[order.pk])).content.decode()

    notice = page.split('class="notice"')[1].split("</div>")[0]
    assert f"{unit.name}婉拒了这个点单，理由：本周人手不足" in notice
    assert "已转给其他" in notice


# --- the home page's street descriptions ---------------------------------------------------------------


def test_the_demo_streets_read_in_simplified_characters_and_an_older_seed_is_corrected(db):
    from alliance.demo import grids as demo_grids
    from grids.models import GridNode

    assert all("\u9663" not in description for _code, _name, description, _c in demo_grids.STREETS)
    code, name, description, _communities = demo_grids.STREETS[1]
    old = next(text for text in demo_grids._OLD_DESCRIPTIONS if "\u9663" in text)
    GridNode.objects.create(code=code, name=name, level=1, kind=GridNode.Kind.STREET, description=old)

    node = demo_grids._node(code, name=name, level=1, kind=GridNode.Kind.STREET, description=description)

    node.refresh_from_db()
    assert node.description == description and "矩阵" in node.description
