"""The year-end feedback sheet (报到反馈单): issued from a confirmed report with the hours and services the points
entries recorded, evaluated by the community, printed, and exported per unit."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from alliance.points.models import PointsKind
from alliance.volunteering import actions, selectors
from alliance.volunteering.models import DualReport, FeedbackSheet
from tests.members.factories import MemberUnitFactory, PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.volunteering.factories import DualReportFactory, FeedbackSheetFactory

pytestmark = pytest.mark.django_db


def _served(member, year=2025):
    """A check-in with its volunteer hours (one source), another service, and a rating (not a service)."""
    source = 900001
    PointsEntryFactory(
        member=member, source_id=source, reason="参加活动签到：敬老院义诊", occurred_on=datetime.date(year, 3, 5)
    )
    PointsEntryFactory(
        member=member,
        source_id=source,
        kind=PointsKind.VOLUNTEER_HOURS,
        hours=3,
        reason="志愿服务 3 小时：敬老院义诊",
        occurred_on=datetime.date(year, 3, 5),
    )
    PointsEntryFactory(
        member=member,
        kind=PointsKind.VOLUNTEER_HOURS,
        hours=Decimal("1.5"),
        occurred_on=datetime.date(year, 9, 1),
        reason="志愿服务：文明劝导",
    )
    PointsEntryFactory(member=member, kind=PointsKind.ORDER_RATED, occurred_on=datetime.date(year, 9, 2))
    PointsEntryFactory(member=member, hours=5, occurred_on=datetime.date(year - 1, 9, 2))  # another year


def test_the_service_record_comes_from_the_points_entries(community):
    member = PartyMemberFactory(community=community)
    _served(member)
    record = selectors.service_record(member, 2025)
    assert record.hours == Decimal("4.5") and record.count == 2
    assert [(s.title, s.hours) for s in record.services] == [("敬老院义诊", 3), ("文明劝导", Decimal("1.5"))]


def test_the_community_issues_evaluates_prints_a_sheet(client, community, community_admin):
    report = DualReportFactory(member__community=community, status=DualReport.Status.CONFIRMED)
    _served(report.member)
    sheet = actions.issue_sheet(by=community_admin, dual_report=report, year=2025)
    assert (sheet.hours, sheet.services, sheet.party_organization) == (Decimal("4.5"), 2, "区卫健局机关党支部")
    assert actions.issue_sheet(by=community_admin, dual_report=report, year=2025).pk == sheet.pk  # once a year
    actions.evaluate_sheet(
        by=community_admin, feedback_sheet=sheet, evaluation="excellent", comment="亮明身份、亮出特长"
    )
    sheet.refresh_from_db()
    assert sheet.get_evaluation_display() == "优秀" and sheet.evaluated_by == community_admin
    client.force_login(community_admin)
    page = client.get(reverse("volunteering:feedback_print", args=[sheet.pk])).content.decode()
    assert "报到反馈单" in page and "敬老院义诊" in page and "优秀" in page and "4.5" in page


def test_only_confirmed_reports_get_a_sheet_and_only_from_their_community(
    community, community_admin, other_community_admin
):
    waiting = DualReportFactory(member__community=community)
    with pytest.raises(ValidationError):
        actions.issue_sheet(by=community_admin, dual_report=waiting, year=2025)
    confirmed = DualReportFactory(member__community=community, status=DualReport.Status.CONFIRMED)
    with pytest.raises(PermissionDenied):
        actions.issue_sheet(by=other_community_admin, dual_report=confirmed, year=2025)
    with pytest.raises(ValidationError):
        actions.issue_sheet(by=community_admin, dual_report=confirmed, year=2999)


def test_evaluation_by_role(community, community_admin, other_community_admin, grid_worker, resident):
    sheet = FeedbackSheetFactory(member__community=community)
    for user in (other_community_admin, grid_worker, resident):
        with pytest.raises(PermissionDenied):
            actions.evaluate_sheet(by=user, feedback_sheet=sheet, evaluation="good")
    with pytest.raises(ValidationError):
        actions.evaluate_sheet(by=community_admin, feedback_sheet=sheet, evaluation="perfect")


def test_the_print_page_is_for_staff_in_scope(client, community, other_community_admin, resident):
    sheet = FeedbackSheetFactory(member__community=community)
    url = reverse("volunteering:feedback_print", args=[sheet.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(other_community_admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_the_print_page_runs_fixed_queries(client, community, community_admin, n, django_assert_num_queries):
    sheet = FeedbackSheetFactory(member__community=community)
    for i in range(n):
        PointsEntryFactory(member=sheet.member, hours=1, occurred_on=datetime.date(2025, 5, 1), reason=f"服务：{i}")
    client.force_login(community_admin)
    # session, user, the viewer's grid node (the scope), the sheet with its links, the member's entries of the year
    with django_assert_num_queries(5):
        assert client.get(reverse("volunteering:feedback_print", args=[sheet.pk])).status_code == 200


def test_one_units_sheets_of_a_year_export_to_excel(client, community, community_admin):
    unit, other = MemberUnitFactory(grid_node=community, name="区卫健局"), MemberUnitFactory(grid_node=community)
    FeedbackSheetFactory(member__community=community, member__name="韩振东", member__unit=unit, evaluation="good")
    FeedbackSheetFactory(member__community=community, member__unit=unit, year=2024)
    FeedbackSheetFactory(member__community=community, member__unit=other)
    client.force_login(community_admin)
    response = client.get(
        reverse("admin:volunteering_feedbacksheet_export_excel"), {"unit__id__exact": unit.pk, "year": 2025}
    )
    data = b"".join(response.streaming_content) if response.streaming else response.content
    values = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][1] == "韩振东" and "合格" in values[1]


def test_the_admin_issues_and_evaluates_through_buttons(client, community, community_admin):
    report = DualReportFactory(member__community=community, status=DualReport.Status.CONFIRMED)
    client.force_login(community_admin)
    client.post(
        reverse("admin:volunteering_dualreport_transition", args=[report.pk, "issue_sheet"]),
        {"confirm": "yes", "year": 2025},
    )
    sheet = FeedbackSheet.objects.get(member=report.member, year=2025)
    url = reverse("admin:volunteering_feedbacksheet_transition", args=[sheet.pk, "evaluate"])
    client.post(url, {"confirm": "yes", "evaluation": "fair", "comment": "参加活动次数偏少"})
    sheet.refresh_from_db()
    assert (sheet.evaluation, sheet.comment) == ("fair", "参加活动次数偏少")
    change = client.get(reverse("admin:volunteering_feedbacksheet_change", args=[sheet.pk])).content.decode()
    assert reverse("volunteering:feedback_print", args=[sheet.pk]) in change
