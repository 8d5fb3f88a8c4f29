"""What waits for staff in the three lists (今日待办, alliance.core.todo): claims to decide, wishes to review,
units' needs to review, needs waiting for a match and the matching job's suggestions of units' resources to take up or dismiss."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.todo import TodoLine, in_states
from projects.models import Claim, Match, Need, Wish


def _since(field: str):
    def note(row) -> str:
        return gettext("%(date)s提交") % {"date": timezone.localtime(getattr(row, field)).strftime(gettext("%m月%d日"))}

    return note


def _match_note(match) -> str:
    return gettext("匹配度%(score)s · %(reasons)s") % {
        "score": f"{match.score:.2f}",
        "reasons": match.reasons_text[:40],
    }


LINES = [
    TodoLine(
        key="claims_to_decide",
        title=_("待审核的项目认领"),
        model=Claim,
        rows=in_states(Claim.Status.PENDING),
        order_by=("claimed_at", "id"),
        related=("project", "unit"),
        note=_since("claimed_at"),
    ),
    TodoLine(
        key="wishes_to_review",
        title=_("待审核的微心愿"),
        model=Wish,
        rows=in_states(Wish.Status.SUBMITTED),
        order_by=("created_at", "id"),
        related=("grid_node",),
        note=_since("created_at"),
    ),
    TodoLine(
        key="needs_to_review",
        title=_("待审核的单位需求"),
        model=Need,
        rows=in_states(Need.Status.PENDING),
        order_by=("submitted_at", "id"),
        related=("grid_node", "posted_by_unit"),
        note=_since("submitted_at"),
    ),
    TodoLine(
        key="needs_open",
        title=_("待对接的需求"),
        model=Need,
        rows=in_states(Need.Status.OPEN),
        order_by=("created_at", "id"),
        related=("grid_node",),
        note=_since("created_at"),
    ),
    TodoLine(
        key="matches_to_review",
        title=_("待处理的匹配建议"),
        model=Match,
        rows=in_states(Match.Status.SUGGESTED),
        order_by=("-score", "id"),
        related=("need", "resource", "unit", "member"),
        note=_match_note,
    ),
]
