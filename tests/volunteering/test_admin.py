"""The admin: the community confirms (确认报到) or returns (退回, with the reason) a report through buttons that call
the actions; the rows are read-only; the to-do line counts the waiting reports; the lists export to Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliance.volunteering.models import DualReport
from tests.volunteering.factories import DualReportFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    values = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_community_admin_confirms_with_the_button(client, community, community_admin):
    report = DualReportFactory(member__community=community)
    client.force_login(community_admin)
    change = client.get(reverse("admin:volunteering_dualreport_change", args=[report.pk])).content.decode()
    assert "确认报到" in change and "退回" in change
    url = reverse("admin:volunteering_dualreport_transition", args=[report.pk, "confirm"])
    client.post(url, {"confirm": "yes"})
    report.refresh_from_db()
    assert report.status == DualReport.Status.CONFIRMED and report.confirmed_by == community_admin
    assert report.member.reported_on is not None


def test_returning_asks_for_the_reason(client, community, community_admin):
    report = DualReportFactory(member__community=community)
    client.force_login(community_admin)
    url = reverse("admin:volunteering_dualreport_transition", args=[report.pk, "return_report"])
    assert "退回原因" in client.post(url, {"confirm": "yes", "reason": ""}).content.decode()
    assert DualReport.objects.get(pk=report.pk).status == DualReport.Status.SUBMITTED
    client.post(url, {"confirm": "yes", "reason": "请补充在职单位"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (DualReport.Status.RETURNED, "请补充在职单位")


def test_a_report_of_another_community_is_not_found(client, community, other_community_admin):
    report = DualReportFactory(member__community=community)
    client.force_login(other_community_admin)
    assert client.get(reverse("admin:volunteering_dualreport_change", args=[report.pk])).status_code in (302, 404)
    client.post(reverse("admin:volunteering_dualreport_transition", args=[report.pk, "confirm"]), {"confirm": "yes"})
    assert DualReport.objects.get(pk=report.pk).status == DualReport.Status.SUBMITTED


def test_the_state_is_read_only_and_nothing_is_added_in_the_admin(client, community, community_admin):
    report = DualReportFactory(member__community=community)
    client.force_login(community_admin)
    html = client.get(reverse("admin:volunteering_dualreport_change", args=[report.pk])).content.decode()
    assert 'name="status"' not in html and 'name="volunteer_role"' not in html
    assert client.get(reverse("admin:volunteering_dualreport_add")).status_code == 403


def test_the_workbench_counts_the_waiting_reports(client, community, community_admin):
    DualReportFactory(member__community=community)
    DualReportFactory(member__community=community, status=DualReport.Status.CONFIRMED)
    client.force_login(community_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "待确认的党员双报到" in html
    listed = client.get(reverse("admin:volunteering_dualreport_changelist"), {"todo": "reports_to_confirm"})
    assert listed.context["cl"].result_count == 1


def test_the_reports_export_to_excel_in_scope(client, community, other_community, community_admin):
    DualReportFactory(member__community=community, member__name="韩振东")
    DualReportFactory(member__community=other_community, member__name="别处的人")
    client.force_login(community_admin)
    rows = _rows(client.get(reverse("admin:volunteering_dualreport_export_excel")))
    assert [r["党员"] for r in rows] == ["韩振东"] and rows[0]["认领岗位"] == "志愿岗位：楼栋志愿者"
