"""Every figure of the admin dashboard and of its export stays in the viewer's subtree (issue 12 §5)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Claim
from tests.members.factories import MemberUnitFactory, PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.projects.factories import ClaimFactory, ProjectFactory
from tests.services.factories import IssueFactory, OrderFactory
from tests.stats.world import YEAR, at, build

pytestmark = pytest.mark.django_db
WHOLE_YEAR = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
OUTSIDER = "外社区党员"
OUTSIDE_UNIT = "外社区物业公司"


def _outside_world(other_community):
    """The other community of the same street: a party member with the street's most points, a unit with
    claims, orders and issues."""
    member = PartyMemberFactory(community=other_community, name=OUTSIDER)
    PointsEntryFactory(member=member, points=500, occurred_on=datetime.date(YEAR, 3, 6))
    unit = MemberUnitFactory(grid_node=other_community, name=OUTSIDE_UNIT)
    for _ in range(3):
        project = ProjectFactory(grid_node=other_community)
        ClaimFactory(project=project, unit=unit, status=Claim.Status.APPROVED, claimed_at=at(3))
    for _ in range(4):
        OrderFactory(grid_node=other_community, submitted_at=at(3))
        IssueFactory(grid_node=other_community, reported_at=at(3))


def _dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("admin:dashboard"), {**WHOLE_YEAR, **params})


def _workbook_text(response) -> str:
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )


def test_a_community_admin_sees_only_the_community_on_the_dashboard_and_in_its_export(
    client, street, community, other_community, community_admin
):
    build(street, community, other_community)
    html_before = _dashboard(client, community_admin).content.decode()
    _outside_world(other_community)
    html = _dashboard(client, community_admin).content.decode()
    assert OUTSIDER not in html and OUTSIDE_UNIT not in html
    assert "党员乙" in html  # the community's own TOP10 is there
    # no figure moved: the other community's orders, issues and claims count nowhere
    for figure in ("order-submitted", "issue-discovered", "claims"):
        marker = f'data-figure="{figure}">'
        if marker in html_before:
            start = html_before.index(marker)
            assert html_before[start : start + 60] == html[html.index(marker) : html.index(marker) + 60], figure
    export = _workbook_text(_dashboard(client, community_admin, export="xlsx"))
    assert OUTSIDER not in export and OUTSIDE_UNIT not in export and "党员乙" in export


def test_the_street_admin_sees_both_communities(client, street, community, other_community, street_admin):
    build(street, community, other_community)
    _outside_world(other_community)
    html = _dashboard(client, street_admin).content.decode()
    assert OUTSIDER in html and OUTSIDE_UNIT in html
    # choosing one community narrows every figure to it, the TOP10 included
    html = _dashboard(client, street_admin, node=community.pk).content.decode()
    assert OUTSIDER not in html and OUTSIDE_UNIT not in html
