"""Matters of the joint committee: raised, studied, resolved or deferred, followed up, handed on as a project."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from alliance.committee import events
from alliance.committee.actions._common import require_manager, transition_with_text
from alliance.committee.actions.milestones import add_milestone
from alliance.committee.models import Committee, Matter
from alliance.core.events import send_on_commit
from alliance.core.scoping import in_scope
from alliance.core.transitions import Step, lock
from alliance.core.validators import whole_number

S = Matter.Status
# The moves of a matter, declared once (alliance.core.transitions.Step); a refusal names the matter.
# fmt: off
STUDY = Step(S.UNDER_STUDY, (S.PROPOSED, S.DEFERRED), lambda m: f"议题“{m.title}”{m.get_status_display()}，不能再转入研究。",
             stamp="studied", idempotent=True)
RESOLVE = Step(S.RESOLVED, (S.UNDER_STUDY,), lambda m: f"只有研究中的议题才能议决，议题“{m.title}”{m.get_status_display()}。",
               stamp="resolved", event=events.matter_resolved)
DEFER = Step(S.DEFERRED, (S.PROPOSED, S.UNDER_STUDY), lambda m: f"议题“{m.title}”{m.get_status_display()}，不能暂缓。",
             stamp="deferred")
# A resolved matter stays resolved: the follow-up is locked and checked like any move and keeps the history.
FOLLOW_UP = Step(S.RESOLVED, (S.RESOLVED,), "只有已议决的议题才能登记落实进度。", stamp="progress_updated")
# fmt: on


@transaction.atomic
def raise_matter(
    *, by, committee: Committee, title: str, description: str = "", source: models.Model | None = None, unit=None
) -> Matter:
    """A matter for the committee, from a unit, a community or a source object (a need, a resident issue)."""
    if not by.is_authenticated:
        raise PermissionDenied("请先登录。")
    # Staff raise to committees in their subtree, or above it: a community's grid worker takes a big
    # resident issue to the street's joint committee (大事全网联动).
    staff_may_raise = (
        by.is_staff_role
        and by.grid_node_id
        and (in_scope(committee, by) or by.grid_node.is_within(committee.grid_node))
    )
    if not (staff_may_raise or by.is_superuser):
        # A unit operator raises in its unit's name, to a committee at or above the unit's grid node.
        if not (by.role == by.Role.UNIT_OPERATOR and by.unit_id):
            raise PermissionDenied("您无权向该委员会提出议题。")
        if not by.unit.grid_node.is_within(committee.grid_node):
            raise PermissionDenied("只能向本单位所在街道、社区的委员会提出议题。")
        unit = by.unit
    if not (title or "").strip():
        raise ValidationError({"title": "请填写议题名称。"})
    matter = Matter(
        committee=committee, title=title.strip(), description=description, raised_by=by, raised_by_unit=unit
    )
    return _save(matter, source)


def _save(matter: Matter, source: models.Model | None) -> Matter:
    """Saves a new matter with the object it came from (a need, a resident issue, a proposal), if any."""
    if source is not None:
        matter.source_type = ContentType.objects.get_for_model(source)
        matter.source_id = source.pk
    matter.save()
    return matter


@transaction.atomic
def raise_residents_matter(*, committee: Committee, title: str, description: str, source: models.Model) -> Matter:
    """A matter residents raised together (a proposal past its community's threshold of supports): no one person
    raises it, so no role is checked; the source (the proposal) says who asked, and its app makes sure it is
    raised once."""
    return _save(Matter(committee=committee, title=title.strip()[:200], description=description), source)


@transaction.atomic
def study_matter(*, by, matter: Matter) -> Matter:
    """proposed / deferred → under study."""
    require_manager(by, matter.committee)
    return STUDY.run(matter, by=by)  # studying twice changes nothing: decided on the locked row


def resolve_matter(*, by, matter: Matter, resolution: str) -> Matter:
    """under study → resolved, with the resolution."""
    require_manager(by, matter.committee)
    missing = {"resolution": "请填写议决结果。"}
    return transition_with_text(RESOLVE, matter, by=by, text=resolution, field="resolution", missing=missing)


def defer_matter(*, by, matter: Matter, reason: str) -> Matter:
    """proposed / under study → deferred, with the reason."""
    require_manager(by, matter.committee)
    missing = {"reason": "请填写暂缓原因。"}
    return transition_with_text(DEFER, matter, by=by, text=reason, field="defer_reason", missing=missing)


@transaction.atomic
def update_follow_up(*, by, matter: Matter, progress: int, note: str = "") -> Matter:
    """The progress of a resolved matter's follow-up; 100% marks it done (no longer shown as open)."""
    require_manager(by, matter.committee)
    matter = lock(matter)  # checked on the locked row, as the transition checks it again
    if matter.status not in FOLLOW_UP.sources:
        raise ValidationError(FOLLOW_UP.message(matter))
    progress = whole_number(progress, 0, 100, field="progress", message="进度须为 0–100 的整数。")
    now = timezone.now()
    fields = {
        "progress": progress,
        "progress_note": (note or "").strip()[:200],
        "done_at": now if progress == 100 else None,
    }
    return FOLLOW_UP.run(matter, by=by, now=now, fields=fields)


@transaction.atomic
def follow_up(
    *,
    by,
    matter: Matter,
    progress: int,
    note: str = "",
    milestone: str = "",
    milestone_due_on=None,
    milestone_owner=None,
    milestone_owner_unit=None,
) -> Matter:
    """One follow-up request: the progress and, optionally, a new milestone with its owner — both or neither
    are kept."""
    matter = update_follow_up(by=by, matter=matter, progress=progress, note=note)
    if (milestone or "").strip():
        try:
            add_milestone(
                by=by,
                matter=matter,
                title=milestone,
                due_on=milestone_due_on,
                owner=milestone_owner,
                owner_unit=milestone_owner_unit,
            )
        except ValidationError as exc:
            # The milestone's fields are named after the request's (``milestone``, ``milestone_due_on``).
            if hasattr(exc, "error_dict"):
                names = {"title": "milestone", "due_on": "milestone_due_on", "owner": "milestone_owner"}
                raise ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()}) from exc
            raise
    return matter


@transaction.atomic
def hand_on_matter(*, by, matter: Matter) -> Matter:
    """A resolved matter handed on as a project of the project list: checked here, built by the projects
    app when it hears ``events.matter_handed_on`` after commit (the project exists once this commits;
    ``matter.projects`` finds it)."""
    matter = lock(matter)
    if matter.status != S.RESOLVED:
        raise ValidationError("只有已议决的议题才能转为项目。")
    require_manager(by, matter.committee)
    if matter.projects.exists():  # the reverse accessor of projects.Project.matter: no import of projects
        raise ValidationError("该议题已转为项目，不能重复转交。")
    send_on_commit(events.matter_handed_on, sender=Matter, instance=matter, by=by)
    return matter
