"""The rows of the project's change lists (alliance.core.admin_rows) are the stock admin's rows, cell for cell:
orders, issues, member units, grid nodes, party members and points entries on pages with nulls, booleans,
choices, dates, foreign keys, admin methods drawing HTML, for the superuser and a street admin, plain, filtered
(the rows' links carry the filters) and sorted."""

import datetime
import re

import pytest
from django.contrib.admin import site
from django.contrib.admin.templatetags import admin_list
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from alliance.core import admin_rows
from alliance.core.admin_lists import CappedCountPaginator
from alliance.points.models import PointsKind
from members.models import MemberUnit, PartyMember
from services.models import Issue, Order
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import (
    GridWorkerFactory,
    MemberUnitFactory,
    PartyMemberFactory,
    ResidentFactory,
    StreetAdminFactory,
    UserFactory,
)
from tests.points.factories import PointsEntryFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TABLE = re.compile(r'<table id="result_list">.*?</table>', re.S)

LISTS = [
    ("admin:services_order_changelist", [{}, {"status__exact": "submitted"}, {"o": "-3.9"}]),
    ("admin:services_issue_changelist", [{}, {"status__exact": "handling"}, {"o": "11"}]),
    ("admin:members_memberunit_changelist", [{}, {"kind__exact": MemberUnit.Kind.PRIVATE_FIRM}, {"o": "1"}]),
    ("admin:grids_gridnode_changelist", [{}, {"level__exact": "3"}, {"o": "-1"}]),
    ("admin:members_partymember_changelist", [{}, {"is_active__exact": "0"}, {"o": "1"}]),
    ("admin:points_pointsentry_changelist", [{}, {"kind__exact": PointsKind.ACTIVITY_CHECKIN}, {"o": "1"}]),
]


@pytest.fixture
def city():
    """Two streets; in the first a community with a micro grid, residents, units, orders, issues, members and
    entries in every state this test can draw: empty optional fields, false flags, HTML-like text."""
    street = StreetFactory(name="舜玉路街道")
    StreetFactory(name="另一街道")
    community = CommunityFactory(parent=street, name="舜玉<小区>社区")
    MicroGridFactory(parent=community, name="一网格 & 二网格")
    handler = GridWorkerFactory(grid_node=community, display_name="王<b>网格员</b>")
    units = [
        MemberUnitFactory(grid_node=community, kind=kind, name=f"单位{i} <i>&</i>", contact_name=name)
        for i, (kind, name) in enumerate(
            [
                (MemberUnit.Kind.STATE_FIRM, "李联络"),
                (MemberUnit.Kind.PRIVATE_FIRM, ""),
                (MemberUnit.Kind.PRIVATE_FIRM, " "),
            ]
        )
    ]
    statuses = list(Order.Status)
    for i in range(12):
        resident = ResidentFactory(grid_node=community, display_name=f"居民{i}")
        item = MenuItemFactory(provider_unit=units[i % 3], grid_scope=street, title=f"服务<{i}>")
        OrderFactory(
            resident=resident,
            menu_item=item,
            status=statuses[i % len(statuses)],
            unit=units[i % 3] if i % 2 else None,
            submitted_at=NOW - datetime.timedelta(days=i, hours=i),
            contact_phone="" if i % 4 == 0 else "13912345678",
        )
        IssueFactory(
            reporter=resident,
            title=f"路灯<{i}>不亮 & 积水",
            status=list(Issue.Status)[i % len(Issue.Status)],
            channel=list(Issue.Channel)[i % len(Issue.Channel)],
            handler=handler if i % 3 else None,
            rating=(i % 5) + 1 if i % 2 else None,
            reopened=bool(i % 2),
            reported_at=NOW - datetime.timedelta(days=i),
            step_started_at=NOW - datetime.timedelta(days=i),
        )
        member = PartyMemberFactory(
            community=community,
            unit=units[i % 3] if i % 2 else None,
            name=f"易琳{i}",
            is_active=bool(i % 3),
            reported_on=None if i % 4 == 0 else datetime.date(2025, 1, 1 + i),
        )
        PointsEntryFactory(
            member=member,
            points=i - 5,
            kind=PointsKind.ACTIVITY_CHECKIN if i % 2 else list(PointsKind)[i % len(PointsKind)],
            occurred_on=timezone.localdate() - datetime.timedelta(days=i),
            reason=f"参加<{i}>次活动",
        )
    return street


def _table(client, url, params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    tables = TABLE.findall(response.content.decode())
    assert len(tables) == 1, (url, params)
    return tables[0]


@pytest.mark.parametrize("who", ["superuser", "street_admin"])
@pytest.mark.parametrize(("name", "variants"), LISTS, ids=[name.split(":")[1] for name, _ in LISTS])
def test_the_rows_are_the_stock_rows(client, city, monkeypatch, who, name, variants):
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if who == "superuser"
        else StreetAdminFactory(grid_node=city)
    )
    client.force_login(user)
    url = reverse(name)
    for params in variants:
        ours = _table(client, url, params)
        with monkeypatch.context() as patch:
            patch.setattr(admin_rows, "results", admin_list.results)
            stock = _table(client, url, params)
        assert ours == stock, (name, params)
        assert ours.count("<tr") > 1, (name, params)  # rows were drawn, not only the header


def test_the_rows_link_to_their_page_with_the_list_filters(client, city):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    table = _table(client, reverse("admin:services_issue_changelist"), {"status__exact": "handling"})
    issue = Issue.objects.filter(status="handling").first()
    change = reverse("admin:services_issue_change", args=(issue.pk,))
    assert f'href="{change}?_changelist_filters=status__exact%3Dhandling"' in table


SORTS = {
    "admin:services_order_changelist": [{}, {"o": "9"}, {"o": "-9.1"}, {"status__exact": "submitted"}],
    "admin:services_issue_changelist": [{}, {"o": "11"}, {"o": "-2"}],
    "admin:members_memberunit_changelist": [{}, {"o": "1"}, {"o": "-1"}],
    "admin:grids_gridnode_changelist": [{}, {"o": "-1"}],
    "admin:members_partymember_changelist": [{}, {"o": "1"}, {"o": "-1"}],
    "admin:points_pointsentry_changelist": [{}, {"o": "1"}, {"o": "-1"}],
}


@pytest.mark.parametrize(("name", "variants"), SORTS.items(), ids=[n.split(":")[1] for n in SORTS])
def test_an_areas_pages_in_two_steps_are_the_stock_pages(client, city, monkeypatch, name, variants):
    """A street admin's list pages by ids first (CappedCountPaginator.page, ``in_area``): every page, sorted up and
    down by dates and names with ties among them, holds the rows Django's own paging gives, in the same order."""
    same_moment = NOW - datetime.timedelta(days=3)
    Order.objects.filter(pk__in=Order.objects.order_by("pk").values("pk")[:6]).update(submitted_at=same_moment)
    Issue.objects.filter(pk__in=Issue.objects.order_by("pk").values("pk")[:6]).update(reported_at=same_moment)
    PartyMember.objects.filter(pk__in=PartyMember.objects.order_by("pk").values("pk")[:6]).update(name="易琳")
    client.force_login(StreetAdminFactory(grid_node=city))
    url = reverse(name)
    model_admin = next(a for m, a in site._registry.items() if f"{m._meta.app_label}_{m._meta.model_name}_" in name)
    monkeypatch.setattr(model_admin, "list_per_page", 5)
    pages_seen = 0
    for params in variants:
        for page in (1, 2, 3):
            query = {**params, "p": page}
            ours = client.get(url, query)
            with monkeypatch.context() as patch:
                patch.setattr(CappedCountPaginator, "page", Paginator.page)
                stock = client.get(url, query)
            assert ours.status_code == stock.status_code, (name, query)
            if ours.status_code != 200:
                continue
            assert TABLE.findall(ours.content.decode()) == TABLE.findall(stock.content.decode()), (name, query)
            pages_seen += 1
    assert pages_seen >= len(variants) * 2  # more than one page of each list was compared
