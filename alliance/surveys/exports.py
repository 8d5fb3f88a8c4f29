"""Excel exports of the surveys: the answers, one row each (the respondent's grid, never the name)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Column, Export, label, text, when

ANSWERS = Export(
    sheet=_("问卷回答"),
    slug="survey-answers",
    columns=[
        text(_("问卷"), "question.survey.title"),
        label(_("问卷类型"), "question.survey.kind"),
        text(_("答卷编号"), "response_id"),
        text(_("题号"), "question.position"),
        text(_("题目"), "question.text"),
        label(_("题型"), "question.kind"),
        Column(_("回答"), lambda a: a.shown),
        text(_("作答人所在网格"), "response.area.name"),
        when(_("提交时间"), "response.submitted_at"),
        text(_("已转为需求"), "need.title"),
    ],
    select_related=["question__survey", "response__area", "need"],
)

SURVEYS = Export(
    sheet=_("问卷"),
    slug="surveys",
    columns=[
        text(_("编号"), "id"),
        text(_("标题"), "title"),
        label(_("类型"), "kind"),
        text(_("征集范围"), "grid_node.name"),
        label(_("状态"), "status"),
        when(_("开始时间"), "starts_at"),
        when(_("截止时间"), "ends_at"),
        Column(_("作答人"), lambda s: s.audience_text),
        text(_("测评服务站点"), "station.name"),
        text(_("测评成员单位"), "unit.name"),
        Column(_("测评期间"), lambda s: s.period_text),
    ],
    select_related=["grid_node", "station", "unit"],
)
