"""The year-end feedback sheets (报到反馈单): the community issues one per confirmed member and evaluates it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.scoping import scope_queryset
from alliance.volunteering import selectors
from alliance.volunteering.actions._common import _now, require_community_admin
from alliance.volunteering.models import DualReport, FeedbackSheet
from grids.models import GridNode

EVALUATIONS = FeedbackSheet.Evaluation


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("请填写已开始的年度。")})
    return year


def _issue(by, report: DualReport, year: int, record) -> FeedbackSheet:
    """The sheet of the report's member for ``year``, made or brought up to date (hours, services)."""
    unit = report.unit or report.member.unit
    sheet, made = FeedbackSheet.objects.get_or_create(
        member=report.member,
        year=year,
        defaults={
            "community": report.community,
            "unit": unit,
            "party_organization": report.party_organization or (unit.name if unit else ""),
            "hours": record.hours,
            "services": record.count,
            "created_by": by,
        },
    )
    if not made and (sheet.hours, sheet.services) != (record.hours, record.count):
        sheet.hours, sheet.services = record.hours, record.count
        sheet._history_user = by  # type: ignore[attr-defined]
        sheet.save(update_fields=["hours", "services"])
    return sheet


def issue_sheet(*, by, dual_report: DualReport, year) -> FeedbackSheet:
    """The year's feedback sheet of one confirmed member (the admin's 生成反馈单 on a report)."""
    require_community_admin(by, dual_report)
    if dual_report.status != DualReport.Status.CONFIRMED:
        raise ValidationError(_("报到确认后才能生成反馈单。"))
    year = _year(year)
    with transaction.atomic():
        return _issue(by, dual_report, year, selectors.service_record(dual_report.member, year))


def issue_sheets(*, by, community: GridNode, year) -> list[FeedbackSheet]:
    """One sheet per member confirmed at ``community`` (those already issued brought up to date)."""
    require_community_admin(by, community)
    if community.level != GridNode.Level.COMMUNITY:
        raise ValidationError({"community": _("请选择社区。")})
    year = _year(year)
    reports = list(
        DualReport.objects.filter(community=community, status=DualReport.Status.CONFIRMED)
        .select_related("member__unit", "unit", "community")
        .order_by("pk")
    )
    records = selectors.records_of([r.member_id for r in reports], year)
    with transaction.atomic():
        return [_issue(by, report, year, records[report.member_id]) for report in reports]


def evaluate_sheet(*, by, feedback_sheet: FeedbackSheet, evaluation: str, comment: str = "", now=None):
    """The community's evaluation (优秀/合格/基本合格/不合格) and comment; may be changed until sent."""
    require_community_admin(by, feedback_sheet)
    if evaluation not in EVALUATIONS.values:
        raise ValidationError({"evaluation": _("请选择评价等次。")})
    with transaction.atomic():
        sheet = scope_queryset(FeedbackSheet.objects.select_for_update(), by).get(pk=feedback_sheet.pk)
        sheet.evaluation, sheet.comment = evaluation, (comment or "").strip()[:300]
        sheet.evaluated_at, sheet.evaluated_by = _now(now), by
        sheet._history_user = by  # the history row names the admin
        sheet.save(update_fields=["evaluation", "comment", "evaluated_at", "evaluated_by"])
    feedback_sheet.refresh_from_db()
    return feedback_sheet
