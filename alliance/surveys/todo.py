"""What waits for staff in the surveys (今日待办, alliance.core.todo): surveys closed whose results are not yet
published (those set to publish on closing never wait here), and selections whose voting has ended but whose
result is not yet published."""

from django.utils.translation import gettext_lazy as _

from alliance.core.todo import TodoLine, in_states
from alliance.surveys.models import Selection, Survey

LINES = [
    TodoLine(
        key="surveys_to_publish",
        title=_("已结束待公布结果的问卷"),
        model=Survey,
        rows=in_states(Survey.Status.CLOSED),
        order_by=("closed_at", "id"),
        related=("grid_node",),
    ),
    TodoLine(
        key="selections_to_publish",
        title=_("投票已结束待公布结果的评选"),
        model=Selection,
        rows=in_states(Selection.Status.CLOSED),
        order_by=("closed_at", "id"),
        related=("grid_node",),
    ),
]
