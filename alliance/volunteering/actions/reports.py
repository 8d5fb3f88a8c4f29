"""Dual reporting (双报到): the member submits (and resubmits a returned report); the community confirms or returns.

A signed-in party member with no party-member record gets one on the first report (their name and phone from
the account, or the phone typed; an unlinked record staff imported with that phone is taken over). The
member's community and reported_on are set when the community confirms."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.events import send_on_commit
from alliance.core.transitions import Step
from alliance.core.validators import validate_mobile
from alliance.volunteering import events
from alliance.volunteering.actions._common import _now, require_community_admin, require_login
from alliance.volunteering.models import DualReport, ServeTime
from grids.models import GridNode
from members.models import PartyMember, User

S = DualReport.Status
CONFLICTS: dict = {S.CONFIRMED: gettext_lazy("该报到已被确认。"), S.RETURNED: gettext_lazy("该报到已被退回。")}
# fmt: off
CONFIRM = Step(S.CONFIRMED, DualReport.WAITING, lambda r: _("该报到%(status)s，不能确认。") % {"status": r.get_status_display()},
               conflict=CONFLICTS, stamp="confirmed", event=events.dual_report_confirmed)
RETURN = Step(S.RETURNED, DualReport.WAITING, lambda r: _("该报到%(status)s，不能退回。") % {"status": r.get_status_display()},
              conflict=CONFLICTS, stamp="returned", event=events.dual_report_returned)
RESUBMIT = Step(S.RESUBMITTED, (S.RETURNED,), lambda r: _("该报到%(status)s，不需要重新提交。") % {"status": r.get_status_display()},
                stamp="resubmitted", event=events.dual_report_submitted)
# fmt: on

FIELDS = (
    "community",
    "micro_grid",
    "in_service",
    "unit",
    "party_organization",
    "serve_times",
    "serve_note",
    "team",
    "menu_item",
    "volunteer_role",
)


def can_report(user) -> bool:
    """Party members (by role, or an account linked to a party-member record) report themselves."""
    if user is None or not user.is_authenticated:
        return False
    return user.role == User.Role.PARTY_MEMBER or PartyMember.objects.filter(user=user).exists()


def _overlaps(scope, community) -> bool:
    """A service offered to the community: its grid scope holds the community or lies inside it."""
    return community.path.startswith(scope.path) or scope.path.startswith(community.path)


def can_decide(user, report: DualReport) -> bool:
    """The admins of the report's community or of the street above it (and superusers)."""
    try:
        require_community_admin(user, report)
    except PermissionDenied:
        return False
    return True


def _clean(data: dict) -> dict:
    """The report's fields checked together: the micro-grid inside the community, exactly one post of that
    community, the times known, a unit for a member in service. Field errors in Chinese."""
    errors: dict[str, str] = {}
    community, micro = data.get("community"), data.get("micro_grid")
    if community is None or community.level != GridNode.Level.COMMUNITY:
        errors["community"] = _("请选择报到的社区。")
    elif micro is not None and (micro.level != GridNode.Level.MICRO or micro.parent_id != community.pk):
        errors["micro_grid"] = _("所选微网格不属于所选社区，请先选择社区。")
    role = (data.get("volunteer_role") or "").strip()
    team, item = data.get("team"), data.get("menu_item")
    chosen = [x for x in (team, item, role) if x]
    if len(chosen) != 1:
        errors["volunteer_role"] = _("请认领一个岗位：网格队伍、服务菜单项目或志愿岗位，三选一。")
    elif community is not None and team is not None and not team.node.path.startswith(community.path):
        errors["team"] = _("所选队伍不在报到社区。")
    elif community is not None and item is not None and not _overlaps(item.grid_scope, community):
        errors["menu_item"] = _("所选服务项目不在报到社区。")
    times = list(data.get("serve_times") or [])
    if any(t not in ServeTime.values for t in times):
        errors["serve_times"] = _("可服务时间选择有误。")
    elif not times and not (data.get("serve_note") or "").strip():
        errors["serve_times"] = _("请选择可服务时间，或在说明中写明。")
    if data.get("in_service") and data.get("unit") is None and not (data.get("party_organization") or "").strip():
        errors["unit"] = _("在职党员请选择工作单位或填写所在党组织。")
    if errors:
        raise ValidationError(errors)
    return {
        **{name: data.get(name) for name in FIELDS},
        "volunteer_role": role,
        "serve_times": times,
        "serve_note": (data.get("serve_note") or "").strip(),
        "party_organization": (data.get("party_organization") or "").strip(),
        "in_service": bool(data.get("in_service")),
    }


def _member_of(by, community, phone: str) -> PartyMember:
    """The member's own record, made on the first report (taking over an unlinked record with the same phone)."""
    member = PartyMember.objects.select_for_update().filter(user=by).first()
    if member is not None:
        return member
    if by.role != User.Role.PARTY_MEMBER:
        raise PermissionDenied(_("只有党员可以报到。"))
    phone = (phone or by.phone or "").strip()
    try:
        validate_mobile(phone)
    except ValidationError:
        raise ValidationError({"phone": _("请填写本人手机号码。")})
    member = PartyMember.objects.select_for_update().filter(phone=phone).first()
    if member is not None:
        if member.user_id:
            raise ValidationError({"phone": _("该手机号已登记为其他党员，请联系社区。")})
        member.user = by
        member.save(update_fields=["user"])
        return member
    return PartyMember.objects.create(
        name=by.display_name or by.get_full_name() or by.username, phone=phone, user=by, community=community
    )


def submit_report(*, by, skills=(), phone: str = "", now=None, **data) -> DualReport:
    """A party member reports to a community (one report per member; a returned one is resubmitted instead)."""
    require_login(by)
    if not can_report(by):
        raise PermissionDenied(_("只有党员可以报到。"))
    now = _now(now)
    fields = _clean(data)
    try:
        with transaction.atomic():
            member = _member_of(by, fields["community"], phone)
            if DualReport.objects.filter(member=member).exists():
                raise ValidationError(_("您已提交过报到，请在“我的报到”查看进度。"))
            report = DualReport.objects.create(
                member=member, status=S.SUBMITTED, submitted_at=now, submitted_by=by, **fields
            )
            report.skills.set(skills)
    except IntegrityError:  # one_dual_report_per_member: a second tab submitted first
        raise ValidationError(_("您已提交过报到，请在“我的报到”查看进度。"))
    send_on_commit(events.dual_report_submitted, sender=DualReport, instance=report, by=by)
    return report


def resubmit_report(*, by, dual_report: DualReport, skills=(), now=None, **data) -> DualReport:
    """returned → resubmitted by the member, with the corrected fields."""
    require_login(by)
    if dual_report.member.user_id != by.pk:
        raise PermissionDenied(_("只能修改本人的报到。"))
    RESUBMIT.check(dual_report)
    fields = _clean(data)
    with transaction.atomic():
        report = RESUBMIT.run(dual_report, by=by, now=_now(now), fields={**fields, "return_reason": ""})
        report.skills.set(skills)
    return report


def confirm_report(*, by, dual_report: DualReport, now=None) -> DualReport:
    """waiting → confirmed by the community's admins; the member's community and reported_on are set."""
    require_community_admin(by, dual_report)
    CONFIRM.check(dual_report)
    now = _now(now)
    with transaction.atomic():
        report = CONFIRM.run(dual_report, by=by, now=now)
        member = PartyMember.objects.select_for_update().get(pk=report.member_id)
        member.community = report.community
        member.reported_on = timezone.localdate(now)
        changed = ["community", "reported_on"]
        if report.in_service and report.unit_id and not member.unit_id:
            member.unit_id = report.unit_id
            changed.append("unit")
        member._history_user = by  # type: ignore[attr-defined]  # the history row names the admin
        member.save(update_fields=changed)
        member.skills.add(*report.skills.all())
    return report


def return_report(*, by, dual_report: DualReport, reason: str, now=None) -> DualReport:
    """waiting → returned with the reason the member reads."""
    require_community_admin(by, dual_report)
    RETURN.check(dual_report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    return RETURN.run(dual_report, by=by, now=_now(now), fields={"return_reason": reason[:200]})
