"""Suggestions of the matching job: accepted (a project, or an invitation) or dismissed."""

from django.db import transaction
from django.utils import timezone

from alliance.core.transitions import lock, transition
from projects import events
from projects.actions._common import _advance, _require_admin_in_scope, _unless_at
from projects.models import Match, Need, Project, Resource

REFUSED_ACCEPT = "该建议已忽略,不能再采纳。"


def _dismiss_suggestions(matches, *, by, now) -> None:
    """Suggestions that no longer apply, dismissed one by one as dismiss_match does (stamped, in history)."""
    for match in matches.filter(status=Match.Status.SUGGESTED).order_by("pk"):
        _advance(match, to=Match.Status.DISMISSED, sources=(Match.Status.SUGGESTED,), by=by, now=now, stamp="decided")


@transaction.atomic
def accept_match(*, by, match: Match) -> Match:
    """Accept a suggestion: need ↔ resource creates the project; need ↔ unit invites the unit (projects.handlers)."""
    match = Match.objects.select_related("need__grid_node", "resource__unit", "unit", "member").get(pk=match.pk)
    _require_admin_in_scope(by, match.need)
    if lock(match).status == Match.Status.ACCEPTED:
        return match
    need = match.need
    project = None
    resource = match.resource
    if match.kind == Match.Kind.RESOURCE and resource is not None:
        project = Project.objects.create(
            title=need.title,
            category=need.category,
            description=f"{need.description}\n\n对接资源:{resource.unit.name}「{resource.title}」".strip(),
            grid_node=need.grid_node,
            capacity=1,
            deadline=need.wanted_by,
            created_by=by,
        )
        project.needs.add(need)
        _advance(need, to=Need.Status.IN_PROJECT, sources=Need.OPEN_STATUSES, by=by)
        _advance(resource, to=Resource.Status.RESERVED, sources=(Resource.Status.AVAILABLE,), by=by)
    else:
        _advance(need, to=Need.Status.MATCHED, sources=(Need.Status.OPEN,), by=by)
    transition(
        match,
        to=Match.Status.ACCEPTED,
        sources=(Match.Status.SUGGESTED,),
        refused=REFUSED_ACCEPT,
        by=by,
        now=timezone.now(),
        stamp="decided",
        fields={"project": project} if project else {},
        event=events.match_accepted,
    )
    return match


@transaction.atomic
def dismiss_match(*, by, match: Match) -> Match:
    match = Match.objects.select_related("need__grid_node").get(pk=match.pk)
    _require_admin_in_scope(by, match.need)
    return _unless_at(
        match,
        to=Match.Status.DISMISSED,
        sources=(Match.Status.SUGGESTED,),
        refused="已采纳的建议不能忽略。",
        by=by,
        stamp="decided",
    )
