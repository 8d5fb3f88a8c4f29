"""The Excel exports of dual reporting (alliance.core.exports): the reports, and the feedback sheets (the list
filtered to one unit and one year is the file sent to that unit's party organisation)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Column, Export, label, text, when, yes_no
from alliance.core.privacy import mask_phone
from members.models import Skill

REPORTS = Export(
    sheet=_("双报到"),
    slug="dual-reports",
    columns=[
        text(_("编号"), "id"),
        text(_("党员"), "member.name"),
        Column(_("手机号码"), lambda r: mask_phone(r.member.phone)),
        text(_("报到社区"), "community.name"),
        text(_("居住微网格"), "micro_grid.name"),
        yes_no(_("在职党员"), "in_service"),
        text(_("工作单位"), "unit.name"),
        text(_("所在党组织"), "party_organization"),
        Column(_("特长"), lambda r: "、".join(s.name for s in r.skills.all())),
        Column(_("可服务时间"), lambda r: r.serve_times_text),
        Column(_("认领岗位"), lambda r: r.post_text),
        label(_("状态"), "status"),
        text(_("退回原因"), "return_reason"),
        when(_("提交时间"), "submitted_at"),
        when(_("确认时间"), "confirmed_at"),
    ],
    select_related=["member", "community", "micro_grid", "unit", "team", "menu_item"],
    prefetch_related=[Prefetch("skills", Skill.objects.order_by("name"))],
)

FEEDBACK_SHEETS = Export(
    sheet=_("报到反馈单"),
    slug="feedback-sheets",
    columns=[
        text(_("年度"), "year"),
        text(_("党员"), "member.name"),
        text(_("工作单位"), "unit.name"),
        text(_("所在党组织"), "party_organization"),
        text(_("报到社区"), "community.name"),
        text(_("服务时长（小时）"), "hours"),
        text(_("服务次数"), "services"),
        label(_("社区评价"), "evaluation"),
        text(_("评语"), "comment"),
        when(_("评价时间"), "evaluated_at"),
    ],
    select_related=["member", "unit", "community"],
)
