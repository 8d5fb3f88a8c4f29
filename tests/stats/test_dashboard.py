"""The admin dashboard: scoped, filterable by period, fixed queries, medians, Excel export."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliance.site import stats
from services.models import IssueEvent
from tests.services.factories import IssueFactory, OrderFactory
from tests.stats.world import EXPECTED, YEAR, at, build

pytestmark = pytest.mark.django_db
WHOLE_YEAR = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("admin:dashboard"), params)


def test_dashboard_figures_match_the_hand_counted_world(client, street, community, other_community, street_admin):
    build(street, community, other_community)
    html = _get(client, street_admin, **WHOLE_YEAR).content.decode()
    assert 'data-figure="order-submitted">2<' in html and 'data-figure="meetings_held">2<' in html
    assert 'data-figure="resources">3<' in html and 'data-figure="coverage">2(66.7%)<' in html
    assert "党员乙" in html and "/static/vendor/chart.umd.min.js" in html


def test_dashboard_period_filters_the_flows(client, street, community, other_community, street_admin):
    build(street, community, other_community)
    html = _get(client, street_admin, start=f"{YEAR}-05-01", end=f"{YEAR}-05-31").content.decode()
    assert 'data-figure="order-submitted">0<' in html and 'data-figure="issue-discovered">1<' in html
    assert 'data-figure="meetings_held">0<' in html


def test_a_community_admin_sees_only_the_community(client, street, community, other_community, other_community_admin):
    build(street, community, other_community)
    html = _get(client, other_community_admin, node=community.pk, **WHOLE_YEAR).content.decode()
    # the other community's admin cannot choose 舜园社区: the figures stay those of 舜华社区
    assert 'data-figure="order-submitted">0<' in html and 'data-figure="resources">0<' in html


def test_residents_and_grid_workers_cannot_open_the_dashboard(client, resident, grid_worker):
    for user in (resident, grid_worker):
        assert _get(client, user).status_code == 302  # to the admin login


@pytest.mark.parametrize("extra", [0, 5])
def test_dashboard_runs_fixed_queries_whatever_the_period(
    client, street, community, other_community, street_admin, extra, django_assert_num_queries
):
    build(street, community, other_community, extra=extra)
    client.force_login(street_admin)
    # session 1, user 2, the viewer's node 3, node choices 4; figures: orders 2, order steps 1, issues 2, issue steps 1,
    # satisfaction 2, claims per unit 1, lists 5, meetings+matters 2, TOP10 of the period 1 → 21
    for params in (WHOLE_YEAR, {"preset": "month"}, {"start": f"{YEAR}-04-01", "end": f"{YEAR}-04-30"}):
        with django_assert_num_queries(21):
            assert client.get(reverse("admin:dashboard"), params).status_code == 200


def test_step_medians_are_computed_from_the_timestamps(community):
    for hours in (1, 2, 10):  # accepted after 1, 2 and 10 hours → median 2
        OrderFactory(
            grid_node=community,
            status="accepted",
            submitted_at=at(4),
            accepted_at=at(4) + datetime.timedelta(hours=hours),
        )
    steps = stats.order_step_medians(community, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    assert steps[0] == {"label": "点单→接单", "hours": 2.0}
    issue = IssueFactory(grid_node=community, reported_at=at(5))
    for status, hour in (("discovered", 0), ("consulting", 3), ("handling", 4), ("feedback", 12)):
        IssueEvent.objects.create(
            issue=issue, kind="moved", status=status, level=2, at=at(5) + datetime.timedelta(hours=hour)
        )
    medians = stats.issue_step_medians(community, None, None)
    assert [m["hours"] for m in medians] == [3.0, 1.0, 8.0, None]


def test_every_figure_exports_to_excel(client, street, community, other_community, street_admin):
    build(street, community, other_community)
    response = _get(client, street_admin, export="xlsx", **WHOLE_YEAR)
    book = load_workbook(io.BytesIO(response.content))
    assert {"点单状态", "点单环节用时", "满意度", "单位认领", "清单覆盖", "会议议题", "积分TOP10"} <= set(
        book.sheetnames
    )
    rows = {r[0]: r[1] for r in book["点单状态"].iter_rows(min_row=3, values_only=True)}
    assert rows["已点单"] == EXPECTED["orders"]["submitted"]
    top = [r[1] for r in book["积分TOP10"].iter_rows(min_row=3, values_only=True)]
    assert top == [name for name, _ in EXPECTED["top3"]]
