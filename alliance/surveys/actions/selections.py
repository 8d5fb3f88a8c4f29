"""Every write of the public selections (评选): staff set one up with its candidates, open and close the voting and
publish the result; a resident or party member of the area votes once.

Who manages: the street's or community's admins whose subtree holds the selection's scope (and superusers).
Who votes: signed-in residents and party members whose own grid node lies inside the scope; units, grid workers and
admins do not vote (a selection asks the residents). One vote per person and selection: a database constraint,
and the selection's row locked while the vote is checked and written (so the voting cannot close under it).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.errors import Conflict
from alliance.core.scoping import node_in_scope, sees_all
from alliance.core.transitions import Step
from alliance.surveys.models import Candidate, Selection, Vote
from grids.models import GridNode

S = Selection.Status
NOT_YOURS = gettext_lazy("只有评选范围所在街道或社区的管理员才能办理。")
ALREADY_VOTED = gettext_lazy("您已经投过票了，每人只能投一票。")
VOTERS = ("resident", "party_member")
FIXED = gettext_lazy("投票开始后候选对象不能再修改。")
OUTSIDE = gettext_lazy("您不在本次评选的范围内，不能投票。")

OPEN = Step(
    S.VOTING,
    (S.DRAFT,),
    gettext_lazy("只有草稿状态的评选才能开始投票。"),
    conflict={S.VOTING: gettext_lazy("该评选已经开始投票。")},
    stamp="opened",
)
CLOSE = Step(
    S.CLOSED,
    (S.VOTING,),
    gettext_lazy("只有投票中的评选才能结束投票。"),
    conflict={S.CLOSED: gettext_lazy("该评选已经结束投票。")},
    stamp="closed",
)
PUBLISH = Step(
    S.PUBLISHED,
    (S.CLOSED,),
    gettext_lazy("投票结束后才能公布结果。"),
    conflict={S.PUBLISHED: gettext_lazy("该评选结果已经公布。")},
    stamp="published",
)


def _require_manager(by, node) -> None:
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if sees_all(by):
        return
    if by.role not in by.ADMIN_ROLES or not node_in_scope(node, by):
        raise PermissionDenied(NOT_YOURS)


def _check_window(starts_at, ends_at) -> None:
    if not starts_at or not ends_at:
        raise ValidationError({"ends_at": _("请填写投票开始和截止时间。")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("投票截止时间必须晚于开始时间。")})


def _check_scope(node) -> None:
    if node is None or node.level not in (GridNode.Level.STREET, GridNode.Level.COMMUNITY):
        raise ValidationError({"grid_node": _("评选范围请选择街道或社区。")})


def _save(obj, by, fields) -> None:
    obj._history_user = by  # the history row names who did it
    if fields:
        obj.save(update_fields=fields)
    else:
        obj.save()


# --- the selection ---------------------------------------------------------------------------------


def create_selection(
    *, by, title: str, grid_node, starts_at, ends_at, description: str = "", places: int = 3, now=None
) -> Selection:
    """A new selection, a draft, in the admin's subtree."""
    _check_scope(grid_node)
    _require_manager(by, grid_node)
    _check_window(starts_at, ends_at)
    if ends_at <= (now or timezone.now()):
        raise ValidationError({"ends_at": _("投票截止时间必须晚于现在。")})
    if not places or places < 1:
        raise ValidationError({"places": _("评选名额至少为1。")})
    selection = Selection(
        title=title.strip(),
        description=(description or "").strip(),
        grid_node=grid_node,
        starts_at=starts_at,
        ends_at=ends_at,
        places=places,
        created_by=by,
        created_at=now or timezone.now(),
    )
    with transaction.atomic():
        _save(selection, by, None)
    return selection


EDITABLE_WHILE_VOTING = {"description", "ends_at"}


def update_selection(*, by, selection: Selection, **changes) -> Selection:
    """The draft's title, rules, scope, window and places; while voting only the rules and a later end; nothing
    once the voting is over."""
    _require_manager(by, selection.grid_node)
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        if locked.status != S.DRAFT:
            refused = set(changes) - EDITABLE_WHILE_VOTING
            if locked.status != S.VOTING or refused:
                raise ValidationError(_("投票开始后只能修改评选说明和延长截止时间。"))
            if "ends_at" in changes and changes["ends_at"] < locked.ends_at:
                raise ValidationError({"ends_at": _("投票开始后截止时间只能延后。")})
        if "grid_node" in changes:
            _check_scope(changes["grid_node"])
            _require_manager(by, changes["grid_node"])
        for name, value in changes.items():
            setattr(locked, name, value)
        _check_window(locked.starts_at, locked.ends_at)
        _save(locked, by, list(changes))
    selection.refresh_from_db()
    return selection


def open_voting(*, by, selection: Selection, now=None) -> Selection:
    """草稿 → 投票中: at least two candidates, and the window not over."""
    OPEN.check(selection)
    _require_manager(by, selection.grid_node)
    now = now or timezone.now()
    if selection.ends_at <= now:
        raise ValidationError(_("投票截止时间已过，请先修改截止时间。"))
    if selection.candidates.count() < 2:
        raise ValidationError(_("至少需要两个候选对象才能开始投票。"))
    return OPEN.run(selection, by=by, now=now)


def close_voting(*, by, selection: Selection, now=None) -> Selection:
    """投票中 → 已结束, by an admin, or by the job (``by=None``) once the window is over."""
    CLOSE.check(selection)
    if by is not None:
        _require_manager(by, selection.grid_node)
    return CLOSE.run(selection, by=by, now=now)


def publish_selection_results(*, by, selection: Selection, now=None) -> Selection:
    """已结束 → 已公布: the ranking and the counts become public."""
    PUBLISH.check(selection)
    _require_manager(by, selection.grid_node)
    return PUBLISH.run(selection, by=by, now=now)


def close_expired_selections(now=None) -> int:
    """The beat job: every selection still voting past its end is closed (safe to run twice)."""
    now = now or timezone.now()
    closed = 0
    for selection in Selection.objects.filter(status=S.VOTING, ends_at__lte=now).order_by("pk"):
        closed += CLOSE.advance(selection, by=None, now=now)
    return closed


# --- candidates (fixed once voting starts) -----------------------------------------------------------


def _check_community(selection: Selection, community) -> None:
    if community is None or community.level != GridNode.Level.COMMUNITY:
        raise ValidationError({"community": _("请选择候选对象所在的社区。")})
    if not community.path.startswith(selection.grid_node.path):
        raise ValidationError({"community": _("候选对象所在社区必须在评选范围内。")})


def _draft(selection: Selection) -> Selection:
    locked = Selection.objects.select_for_update().get(pk=selection.pk)
    if locked.status != S.DRAFT:
        raise ValidationError(FIXED)
    return locked


def add_candidate(
    *, by, selection: Selection, name: str, community, story: str = "", photo=None, position: int = 0
) -> Candidate:
    _require_manager(by, selection.grid_node)
    _check_community(selection, community)
    with transaction.atomic():
        _draft(selection)
        if Candidate.objects.filter(selection=selection, name=name.strip()).exists():
            raise ValidationError({"name": _("本次评选已有同名的候选对象。")})
        candidate = Candidate(
            selection=selection, name=name.strip(), community=community, story=(story or "").strip(), position=position
        )
        if photo:
            candidate.photo = photo
        _save(candidate, by, None)
    return candidate


def update_candidate(*, by, candidate: Candidate, **changes) -> Candidate:
    selection = candidate.selection
    _require_manager(by, selection.grid_node)
    if "community" in changes:
        _check_community(selection, changes["community"])
    with transaction.atomic():
        _draft(selection)
        if "name" in changes:
            changes["name"] = changes["name"].strip()
            if Candidate.objects.filter(selection=selection, name=changes["name"]).exclude(pk=candidate.pk).exists():
                raise ValidationError({"name": _("本次评选已有同名的候选对象。")})
        for field, value in changes.items():
            setattr(candidate, field, value)
        _save(candidate, by, list(changes) or None)
    return candidate


def remove_candidate(*, by, candidate: Candidate) -> None:
    _require_manager(by, candidate.selection.grid_node)
    with transaction.atomic():
        _draft(candidate.selection)
        candidate._history_user = by  # type: ignore[attr-defined]
        candidate.delete()


# --- the vote ------------------------------------------------------------------------------------------


def vote_refusal(user, selection: Selection, now=None) -> str:
    """Why ``user`` may not vote in ``selection`` now ("" if they may), for the page and the action alike."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _("请先登录再投票。")
    now = now or timezone.now()
    if selection.status != S.VOTING:
        return _("该评选不在投票期。")
    if now < selection.starts_at:
        return _("投票还没有开始。")
    if now >= selection.ends_at:
        return _("投票已经截止。")
    if user.role not in VOTERS:
        return _("只有本评选范围内的居民和党员可以投票。")
    node = user.grid_node
    if node is None or not node.path.startswith(selection.grid_node.path):
        return str(OUTSIDE)
    return ""


def cast_vote(*, by, selection: Selection, candidate: Candidate, now=None) -> Vote:
    """One vote of ``by`` for ``candidate``: refused outside the window or the area, for a candidate of another
    selection, and a second time (409, whatever the concurrency: the selection's row is locked and the database
    holds one vote per person and selection)."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionDenied(_("请先登录再投票。"))
    now = now or timezone.now()
    with transaction.atomic():
        locked = Selection.objects.select_for_update().select_related("grid_node").get(pk=selection.pk)
        refusal = vote_refusal(by, locked, now)
        if refusal:
            if by.role not in VOTERS or refusal == str(OUTSIDE):
                raise PermissionDenied(refusal)
            raise ValidationError(refusal)
        if candidate is None or candidate.selection_id != locked.pk:
            raise ValidationError({"candidate": _("请选择本次评选的候选对象。")})
        if Vote.objects.filter(selection=locked, voter=by).exists():
            raise Conflict(ALREADY_VOTED)
        vote = Vote(selection=locked, candidate=candidate, voter=by, voted_at=now)
        vote._history_user = by  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                vote.save()
        except IntegrityError as exc:  # a vote of the same person committed in between
            raise Conflict(ALREADY_VOTED) from exc
    return vote
