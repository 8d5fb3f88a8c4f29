"""What waits for staff among residents' proposals (今日待办, alliance.core.todo): proposals to review."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.todo import TodoLine, in_states
from alliance.proposals.models import Proposal


def _note(proposal) -> str:
    return _("%(date)s提出 · %(place)s") % {
        "date": timezone.localtime(proposal.submitted_at).strftime(gettext("%m月%d日")),
        "place": proposal.community.name,
    }


LINES = [
    TodoLine(
        key="proposals_to_review",
        title=_("待审核的微建议"),
        model=Proposal,
        rows=in_states(Proposal.Status.SUBMITTED),
        order_by=("submitted_at", "id"),
        related=("community",),
        note=_note,
    ),
]
