"""Excel exports of the surveys: the answers, one row each (the respondent's grid, never the name)."""

from alliance.core.exports import Column, Export, label, text, when

ANSWERS = Export(
    sheet="问卷回答",
    slug="survey-answers",
    columns=[
        text("问卷", "question.survey.title"),
        label("问卷类型", "question.survey.kind"),
        text("答卷编号", "response_id"),
        text("题号", "question.position"),
        text("题目", "question.text"),
        label("题型", "question.kind"),
        Column("回答", lambda a: a.shown),
        text("作答人所在网格", "response.area.name"),
        when("提交时间", "response.submitted_at"),
        text("已转为需求", "need.title"),
    ],
    select_related=["question__survey", "response__area", "need"],
)

SURVEYS = Export(
    sheet="问卷",
    slug="surveys",
    columns=[
        text("编号", "id"),
        text("标题", "title"),
        label("类型", "kind"),
        text("征集范围", "grid_node.name"),
        label("状态", "status"),
        when("开始时间", "starts_at"),
        when("截止时间", "ends_at"),
        Column("作答人", lambda s: s.audience_text),
        text("测评服务站点", "station.name"),
        text("测评成员单位", "unit.name"),
        Column("测评期间", lambda s: s.period_text),
    ],
    select_related=["grid_node", "station", "unit"],
)
