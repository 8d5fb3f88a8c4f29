"""The change lists of orders, issues and points entries at city scale (issue 19): a fixed number of queries
whatever their length, for a street admin and the superuser, plain, filtered, searched and sorted; a street admin
never sees another street's rows; filters still filter; a list narrowed to a timed state shows the longest waiting
first; each row's link keeps the list's filters. What keeps a page cheap: an order's category named from the kept
categories (no join), a party member's skills as one list a page, an area's grid nodes as one array parameter."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.core.admin_lists import AnyOf
from alliance.points.models import PointsKind
from members.models import PartyMember, Skill
from services.models import Issue, Order, ServiceSettings
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, ResidentFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _order(node, unit, days=0, **fields):
    item = MenuItemFactory(provider_unit=unit, grid_scope=node.parent, title="党课宣讲进社区")
    return OrderFactory(
        resident=ResidentFactory(grid_node=node),
        menu_item=item,
        submitted_at=NOW - datetime.timedelta(days=days),
        **fields,
    )


def _issue(node, days=0, **fields):
    at = NOW - datetime.timedelta(days=days)
    return IssueFactory(
        reporter=ResidentFactory(grid_node=node), title="小区东门路灯不亮", reported_at=at, step_started_at=at, **fields
    )


def _entry(node, days=0, **fields):
    member = PartyMemberFactory(community=node, name="易琳")
    return PointsEntryFactory(member=member, occurred_on=timezone.localdate() - datetime.timedelta(days=days), **fields)


# (changelist, variants: plain, a filter, a Chinese search, a sort) as the admin bench (tests/bench/admin.py) asks.
LISTS = {
    "order": (
        "admin:services_order_changelist",
        [{}, {"todo": "orders_to_accept"}, {"status__exact": "submitted"}, {"q": "党课"}, {"o": "9"}],
    ),
    "issue": (
        "admin:services_issue_changelist",
        [{}, {"status__exact": "handling"}, {"q": "路灯"}, {"o": "11"}],
    ),
    "entry": (
        "admin:points_pointsentry_changelist",
        [{}, {"occurred_on__gte": str(timezone.localdate() - datetime.timedelta(days=30))}, {"q": "易琳"}, {"o": "1"}],
    ),
}


def _add_rows(kind, node, unit, n, start=0):
    for i in range(start, start + n):
        if kind == "order":
            _order(node, unit, days=i)
        elif kind == "issue":
            _issue(node, days=i, status=Issue.Status.HANDLING if i % 2 else Issue.Status.DISCOVERED)
        else:
            _entry(node, days=i)


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return len(queries)


@pytest.mark.parametrize("kind", LISTS)
def test_the_big_lists_run_a_fixed_number_of_queries_for_a_street_admin_and_the_superuser(
    client, kind, community, street_admin, superuser, unit
):
    ServiceSettings.load()
    url_name, variants = LISTS[kind]
    url = reverse(url_name)
    _add_rows(kind, community, unit, 2)
    counts = {}
    for user in (street_admin, superuser):
        client.force_login(user)
        client.get(url)  # the session's first page
        counts[user.pk] = [_queries(client, url, params) for params in variants]
    _add_rows(kind, community, unit, 12, start=2)
    for user in (street_admin, superuser):
        client.force_login(user)
        client.get(url)
        assert [_queries(client, url, params) for params in variants] == counts[user.pk], user
    # The street admin's queries more: their grid node, and for points entries the ids of its subtree (read once for
    # the page); orders and issues keep their street (grids.models.KeepsStreet) and need no ids.
    more = 2 if kind == "entry" else 1
    assert all(s == u + more for s, u in zip(counts[street_admin.pk], counts[superuser.pk], strict=True)), counts


def test_a_street_admin_sees_only_their_streets_rows_in_the_three_lists(client, street_admin, community, unit):
    elsewhere = CommunityFactory(parent=StreetFactory(name="西站街道"), name="西站社区")
    far_unit = MemberUnitFactory(grid_node=elsewhere)
    mine = (_order(community, unit), _issue(community), _entry(community))
    theirs = (_order(elsewhere, far_unit), _issue(elsewhere), _entry(elsewhere))
    client.force_login(street_admin)
    for (url_name, variants), own, other in zip(LISTS.values(), mine, theirs, strict=True):
        for params in variants:
            page = client.get(reverse(url_name), params).content.decode()
            assert f"/{other.pk}/change/" not in page, (url_name, params)
        assert f"/{own.pk}/change/" in client.get(reverse(url_name)).content.decode()
        # Nor by its address.
        change = url_name.replace("changelist", "change")
        assert client.get(reverse(change, args=[other.pk])).status_code == 404


def test_filters_still_filter_and_a_narrowed_list_shows_the_longest_waiting_first(
    client, street_admin, community, unit
):
    ServiceSettings.load()
    waiting = _order(community, unit, days=1)
    longest = _order(community, unit, days=9)
    done = _order(community, unit, days=0, status=Order.Status.DELIVERED)
    client.force_login(street_admin)
    url = reverse("admin:services_order_changelist")
    page = client.get(url, {"status__exact": "submitted"}).content.decode()
    rows = page[page.index('id="result_list"') :]
    assert f"/{done.pk}/change/" not in rows
    assert rows.index(f"/{longest.pk}/change/") < rows.index(f"/{waiting.pk}/change/")
    assert rows.index("已超时") < rows.index(f"/{waiting.pk}/change/")
    page = client.get(url, {"todo": "orders_to_accept"}).content.decode()
    assert f"/{done.pk}/change/" not in page and f"/{waiting.pk}/change/" in page

    handling = _issue(community, days=2, status=Issue.Status.HANDLING)
    older = _issue(community, days=20, status=Issue.Status.HANDLING)
    found = _issue(community, days=1)
    page = client.get(reverse("admin:services_issue_changelist"), {"status__exact": "handling"}).content.decode()
    rows = page[page.index('id="result_list"') :]
    assert f"/{found.pk}/change/" not in rows
    assert rows.index(f"/{older.pk}/change/") < rows.index(f"/{handling.pk}/change/")

    recent, old = _entry(community, days=3), _entry(community, days=90, kind=PointsKind.VOLUNTEER_HOURS)
    since = str(timezone.localdate() - datetime.timedelta(days=30))
    page = client.get(reverse("admin:points_pointsentry_changelist"), {"occurred_on__gte": since}).content.decode()
    assert f"/{recent.pk}/change/" in page and f"/{old.pk}/change/" not in page


def test_rows_link_to_their_page_with_the_lists_filters_and_carry_a_checkbox(client, superuser, community, unit):
    order = _order(community, unit)
    client.force_login(superuser)
    page = client.get(reverse("admin:services_order_changelist"), {"status__exact": "submitted", "o": "9"})
    html = page.content.decode()
    # The filters come back when the change page returns to the list (Django's _changelist_filters).
    assert (
        f'href="/admin/services/order/{order.pk}/change/?_changelist_filters=status__exact%3Dsubmitted%26o%3D9"' in html
    )
    assert f'<input type="checkbox" name="_selected_action" value="{order.pk}" class="action-select"' in html
    html = client.get(reverse("admin:services_order_changelist")).content.decode()
    assert f'href="/admin/services/order/{order.pk}/change/"' in html


def _page_queries(client, url, params=None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def test_an_orders_category_is_named_from_the_kept_categories_without_joining_them(client, superuser, community, unit):
    order = _order(community, unit)
    category = order.category
    client.force_login(superuser)
    url = reverse("admin:services_order_changelist")
    page, sqls = _page_queries(client, url)
    assert f"{category.parent.name} · {category.name}" in page
    rows = [sql for sql in sqls if sql.startswith('SELECT "services_order"."id"')]
    assert rows and not any("projects_category" in sql for sql in rows), rows

    category.name = "上门助浴"
    category.save()
    page, _ = _page_queries(client, url)
    assert f"{category.parent.name} · 上门助浴" in page
    # Sorted by the column (the sort still reads the category table), the page names the category the same way.
    page, _ = _page_queries(client, url, {"o": "3"})
    assert "上门助浴" in page


def test_a_party_members_skills_are_listed_in_their_order_with_one_query_for_the_page(client, street_admin, community):
    skills = [Skill.objects.get_or_create(name=name)[0] for name in ("理发", "法律咨询", "电脑维修")]
    PartyMemberFactory(community=community, name="易琳").skills.add(*skills)
    PartyMemberFactory(community=community, name="王芳")
    client.force_login(street_admin)
    url = reverse("admin:members_partymember_changelist")
    client.get(url)
    page, sqls = _page_queries(client, url)
    shown = "、".join(s.name for s in sorted(skills, key=lambda s: s.name))
    assert f'<td class="field-skill_list">{shown}</td>' in page
    assert sum('"members_partymember_skills"' in sql for sql in sqls) == 1
    for i in range(6):
        PartyMemberFactory(community=community, name=f"党员{i}").skills.add(skills[i % 3])
    _, more = _page_queries(client, url)
    assert len(more) == len(sqls)


def test_a_street_admins_list_finds_its_rows_by_the_ids_of_its_grid_nodes_as_one_array(
    client, street_admin, community, other_community
):
    other_street = CommunityFactory(parent=StreetFactory(name="另一街道"))
    mine = [_entry(community), _entry(other_community)]
    theirs = _entry(other_street)
    client.force_login(street_admin)
    page, sqls = _page_queries(client, reverse("admin:points_pointsentry_changelist"))
    assert any('"grid_node_id" = ANY(' in sql for sql in sqls), sqls
    assert all(f"/{e.pk}/change/" in page for e in mine) and f"/{theirs.pk}/change/" not in page
    members = PartyMember.objects.filter(AnyOf(F("community"), [community.pk]))
    assert set(members) == {mine[0].member}
    assert not PartyMember.objects.filter(AnyOf(F("community"), [])).exists()
