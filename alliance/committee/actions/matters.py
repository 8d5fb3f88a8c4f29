"""Matters of the joint committee: raised, studied, resolved or deferred, followed up, handed on as a project;
raised from a street joint committee to the district conference and handed back down (区街联动)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.committee import events
from alliance.committee.actions._common import can_manage, require_manager, transition_with_text
from alliance.committee.actions.milestones import add_milestone
from alliance.committee.models import Committee, Matter
from alliance.core.events import send_on_commit
from alliance.core.notifications import notify_many
from alliance.core.scoping import in_scope, sees_all
from alliance.core.transitions import Step, lock
from alliance.core.validators import whole_number
from members.models import User
from members.selectors import admins_at

S = Matter.Status
# The moves of a matter, declared once (alliance.core.transitions.Step); a refusal names the matter.
# fmt: off
STUDY = Step(S.UNDER_STUDY, (S.PROPOSED, S.DEFERRED),
             lambda m: _("议题“%(title)s”%(status)s，不能再转入研究。") % {"title": m.title, "status": m.get_status_display()},
             stamp="studied", idempotent=True)
RESOLVE = Step(S.RESOLVED, (S.UNDER_STUDY,),
               lambda m: _("只有研究中的议题才能议决，议题“%(title)s”%(status)s。") % {"title": m.title, "status": m.get_status_display()},
               stamp="resolved", event=events.matter_resolved)
DEFER = Step(S.DEFERRED, (S.PROPOSED, S.UNDER_STUDY),
             lambda m: _("议题“%(title)s”%(status)s，不能暂缓。") % {"title": m.title, "status": m.get_status_display()},
             stamp="deferred")
# A resolved matter stays resolved: the follow-up is locked and checked like any move and keeps the history.
FOLLOW_UP = Step(S.RESOLVED, (S.RESOLVED,), lambda m: _("只有已议决的议题才能登记落实进度。"), stamp="progress_updated")
# The district's decision on a matter raised from a street: the district matter is resolved (from any open state)…
DISTRICT_DECIDES = Step(S.RESOLVED, (S.PROPOSED, S.UNDER_STUDY, S.DEFERRED),
                        lambda m: _("议题“%(title)s”%(status)s，不能再议决。") % {"title": m.title, "status": m.get_status_display()},
                        stamp="resolved", event=events.matter_resolved)
# …and the street's matter takes that decision: resolved, its follow-up owned by the street.
TAKE_BACK = Step(S.RESOLVED, (S.PROPOSED, S.UNDER_STUDY, S.DEFERRED),
                 lambda m: _("街道议题“%(title)s”%(status)s，不能交回。") % {"title": m.title, "status": m.get_status_display()},
                 stamp="resolved")
# fmt: on


@transaction.atomic
def raise_matter(
    *, by, committee: Committee, title: str, description: str = "", source: models.Model | None = None, unit=None
) -> Matter:
    """A matter for the committee, from a unit, a community or a source object (a need, a resident issue)."""
    if not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    # Staff raise to committees in their subtree, or above it: a community's grid worker takes a big
    # resident issue to the street's joint committee (大事全网联动). A street's staff take a matter to the
    # district through their street committee (raise_to_district), not straight to a district committee.
    staff_may_raise = (
        by.is_staff_role
        and by.grid_node_id
        and committee.grid_node_id is not None
        and (in_scope(committee, by) or by.grid_node.is_within(committee.grid_node))
    )
    if not (staff_may_raise or sees_all(by)):
        # A unit operator raises in its unit's name, to a committee at or above the unit's grid node (a
        # district committee is above every unit of the district).
        if not (by.role == by.Role.UNIT_OPERATOR and by.unit_id):
            raise PermissionDenied(_("您无权向该委员会提出议题。"))
        if committee.grid_node_id is not None and not by.unit.grid_node.is_within(committee.grid_node):
            raise PermissionDenied(_("只能向本单位所在街道、社区的委员会提出议题。"))
        unit = by.unit
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写议题名称。")})
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
    _not_waiting_at_district(matter)
    missing = {"resolution": _("请填写议决结果。")}
    return transition_with_text(RESOLVE, matter, by=by, text=resolution, field="resolution", missing=missing)


def defer_matter(*, by, matter: Matter, reason: str) -> Matter:
    """proposed / under study → deferred, with the reason."""
    require_manager(by, matter.committee)
    _not_waiting_at_district(matter)
    missing = {"reason": _("请填写暂缓原因。")}
    return transition_with_text(DEFER, matter, by=by, text=reason, field="defer_reason", missing=missing)


@transaction.atomic
def update_follow_up(*, by, matter: Matter, progress: int, note: str = "") -> Matter:
    """The progress of a resolved matter's follow-up; 100% marks it done (no longer shown as open)."""
    require_manager(by, matter.committee)
    matter = lock(matter)  # checked on the locked row, as the transition checks it again
    if matter.status not in FOLLOW_UP.sources:
        raise ValidationError(FOLLOW_UP.message(matter))
    progress = whole_number(progress, 0, 100, field="progress", message=_("进度须为 0–100 的整数。"))
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
        raise ValidationError(_("只有已议决的议题才能转为项目。"))
    require_manager(by, matter.committee)
    if matter.projects.exists():  # the reverse accessor of projects.Project.matter: no import of projects
        raise ValidationError(_("该议题已转为项目，不能重复转交。"))
    send_on_commit(events.matter_handed_on, sender=Matter, instance=matter, by=by)
    return matter


# ---------------------------------------------------------------------------
# 区街联动: a street's matter raised to the district conference, and the district's decision handed back down.
# ---------------------------------------------------------------------------


def district_conference() -> Committee | None:
    """The district joint conference (区联席会议), if the district has one."""
    return Committee.objects.filter(kind=Committee.Kind.DISTRICT_JOINT, grid_node__isnull=True).order_by("pk").first()


def waiting_at_district(matter: Matter) -> bool:
    """A street matter raised to the district whose decision has not come back yet."""
    return matter.escalated_to_id is not None and matter.handed_back_at is None


def _not_waiting_at_district(matter: Matter) -> None:
    if waiting_at_district(matter):
        raise ValidationError(_("该议题已提交区联席会议，请等待区联席会议议决后交回街道落实。"))


def can_raise_to_district(user, matter: Matter) -> bool:
    """Whether the button shows: a manager of the street joint committee, on an open matter not raised yet."""
    committee = matter.committee
    return (
        committee.kind == Committee.Kind.STREET_JOINT
        and matter.escalated_to_id is None
        and matter.status != S.RESOLVED
        and can_manage(user, committee)
    )


def can_hand_back(user, matter: Matter) -> bool:
    """Whether the button shows: a district manager, on a district matter raised from a street, not handed back."""
    street_matter = getattr(matter, "escalated_from", None) if matter.committee.grid_node_id is None else None
    return street_matter is not None and street_matter.handed_back_at is None and can_manage(user, matter.committee)


@transaction.atomic
def raise_to_district(*, by, matter: Matter, note: str = "") -> Matter:
    """A street joint committee's matter sent to the district conference (大事全网联动, one level up): the
    district matter is created with the street matter as its source, and the street matter stamped
    (``escalated_to``, ``escalated_at``, ``escalated_by``). Returns the district matter."""
    matter = lock(matter)
    committee = matter.committee
    if committee.kind != Committee.Kind.STREET_JOINT:
        raise ValidationError(_("只有街道大工委的议题才能提交区联席会议。"))
    require_manager(by, committee)
    if matter.escalated_to_id is not None:
        raise ValidationError(_("议题“%(title)s”已提交区联席会议，不能重复提交。") % {"title": matter.title})
    if matter.status == S.RESOLVED:
        raise ValidationError(_("议题“%(title)s”已议决，不需要再提交区联席会议。") % {"title": matter.title})
    conference = district_conference()
    if conference is None:
        raise ValidationError(_("本区尚未设立区联席会议，不能提交。"))
    note = (note or "").strip()
    street = committee.grid_node.name if committee.grid_node else ""
    description = matter.description
    if note:
        description = f"{description}\n\n{note}" if description else note
    district_matter = _save(
        Matter(
            committee=conference,
            title=matter.title,
            description=description,
            raised_by=by,
            raised_by_unit=matter.raised_by_unit,
        ),
        matter,
    )
    now = timezone.now()
    matter.escalated_to = district_matter
    matter.escalated_at = now
    matter.escalated_by = by
    matter.escalation_note = note
    matter.save(update_fields=["escalated_to", "escalated_at", "escalated_by", "escalation_note"])
    district_admins = User.objects.filter(role=User.Role.DISTRICT_ADMIN, is_active=True)
    notify_many(
        recipients=district_admins,
        key=f"matter:{district_matter.pk}:raised",
        title=_("%(street)s提交区联席会议议题：“%(title)s”") % {"street": street, "title": matter.title},
        body=note or matter.description,
        url=reverse("alliance:matter", args=[district_matter.pk]),
    )
    return district_matter


@transaction.atomic
def hand_back(*, by, matter: Matter, resolution: str = "") -> Matter:
    """The district conference's decision on a matter raised from a street, handed back down: the district matter
    is resolved with ``resolution`` (a matter the district resolved already keeps its own); the street matter
    takes the decision (resolved, its follow-up owned by the street; ``handed_back_at``/``_by`` stamped) and the
    street's admins are told. Returns the street matter."""
    matter = lock(matter)
    require_manager(by, matter.committee)
    street_matter = Matter.objects.filter(escalated_to=matter).select_related("committee__grid_node").first()
    if matter.committee.grid_node_id is not None or street_matter is None:
        raise ValidationError(_("只有街道提交区联席会议的议题才能交回街道。"))
    street_matter = lock(street_matter)
    if street_matter.handed_back_at is not None:
        raise ValidationError(_("议题“%(title)s”已交回街道，不能重复交回。") % {"title": matter.title})
    resolution = (resolution or "").strip()
    if matter.status == S.RESOLVED:
        resolution = resolution or matter.resolution
    else:
        if not resolution:
            raise ValidationError({"resolution": _("请填写区联席会议的议决结果。")})
        DISTRICT_DECIDES.run(matter, by=by, fields={"resolution": resolution})
    now = timezone.now()
    TAKE_BACK.run(
        street_matter, by=by, now=now, fields={"resolution": resolution, "handed_back_at": now, "handed_back_by": by}
    )
    notify_many(
        recipients=admins_at(street_matter.committee.grid_node_id) if street_matter.committee.grid_node_id else [],
        key=f"matter:{street_matter.pk}:handed_back",
        title=_("区联席会议已议决“%(title)s”，交回街道落实") % {"title": street_matter.title},
        body=resolution,
        url=reverse("alliance:matter", args=[street_matter.pk]),
    )
    return street_matter
