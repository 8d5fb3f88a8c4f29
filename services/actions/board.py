"""The public issue board (说事墙): a reporter makes their issue public, others say “同样遇到”, staff take one down.

Only the text, the place and the stage of a public issue are shown (services.board); the reporter, the phone,
the handlers and the replies never are. Publishing and taking down are transitions of ``Issue.is_public``
(row lock, who and when, history, timeline). A taken-down issue stays off the board: its reporter cannot
publish it again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.errors import Conflict
from alliance.core.transitions import Step, lock
from services import events as service_events
from services.actions._common import _now, _require_login, is_staff_in_scope
from services.models import Issue, IssueEvent, IssueMeToo
from services.selectors_board import ME_TOO_OPEN

TAKEN_DOWN = gettext_lazy("该事项已被工作人员撤下说事墙，不能再次公开。")

# fmt: off
PUBLISH = Step(True, (False,), TAKEN_DOWN, state_field="is_public", stamp="published",
               timeline=IssueEvent.Kind.PUBLISHED, event=service_events.issue_published, idempotent=True)
TAKE_DOWN = Step(False, (True,), gettext_lazy("该事项不在说事墙上。"), state_field="is_public", stamp="taken_down",
                 timeline=IssueEvent.Kind.TAKEN_DOWN, event=service_events.issue_taken_down)
# fmt: on


def publish_issue(*, by, issue: Issue, now=None) -> Issue:
    """The reporter puts their issue on the public board (说事墙): its text, place and stage, never who they are."""
    _require_login(by)
    if by.pk != issue.reporter_id:
        raise PermissionDenied(_("只有反映人可以公开自己的事项。"))
    if issue.taken_down_at is not None:
        raise ValidationError(TAKEN_DOWN)
    return PUBLISH.run(issue, by=by, now=_now(now))


def take_down_issue(*, by, issue: Issue, reason: str, now=None) -> Issue:
    """Staff of the issue's grid take a public issue off the board, saying why (e.g. it names a person)."""
    _require_login(by)
    if not is_staff_in_scope(by, issue.grid_node):
        raise PermissionDenied(_("只有该网格的工作人员可以撤下说事墙上的事项。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤下的原因。")]})
    return TAKE_DOWN.run(issue, by=by, now=_now(now), fields={"takedown_reason": reason[:200]}, note=reason[:200])


def can_me_too(user, issue: Issue) -> bool:
    """Whether ``user`` may say “同样遇到” on ``issue`` (the button's condition; the action checks it again)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and issue.is_public
        and issue.status in ME_TOO_OPEN
        and user.pk != issue.reporter_id
    )


@transaction.atomic
def me_too(*, by, issue: Issue, now=None) -> IssueMeToo:
    """同样遇到: ``by`` meets the same problem. Once per person (a 409 the second time), not on one's own issue,
    only on a public issue still being handled.

    The issue's row is locked first, so two clicks at once wait for each other (and a take-down in between is
    seen); the unique constraint holds even if a path forgot the lock.
    """
    _require_login(by)
    issue = lock(issue)
    if not issue.is_public:
        raise ValidationError(_("该事项未公开，不能点“同样遇到”。"))
    if by.pk == issue.reporter_id:
        raise ValidationError(_("这是您自己反映的事项，不用再点“同样遇到”。"))
    if issue.status not in ME_TOO_OPEN:
        raise ValidationError(_("该事项已有处理结果，不能再点“同样遇到”。如仍有问题，请重新反映。"))
    if IssueMeToo.objects.filter(issue=issue, person=by).exists():
        raise Conflict(_("您已经点过“同样遇到”了。"))
    try:
        with transaction.atomic():
            return IssueMeToo.objects.create(issue=issue, person=by, created_at=_now(now))
    except IntegrityError:
        raise Conflict(_("您已经点过“同样遇到”了。")) from None
