"""Suggestions of the matching job: accepted (a project, or an invitation) or dismissed."""

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.transitions import Step, lock
from projects import events
from projects.actions._common import _require_admin_in_scope
from projects.models import Match, Need, Project, Resource

REFUSED_ACCEPT = _("该建议已忽略，不能再采纳。")

# The moves of a suggestion, and of the need and the resource it brings together (needs.py takes needs
# into projects with the same step), declared once (alliance.core.transitions.Step).
# fmt: off
ACCEPT = Step(Match.Status.ACCEPTED, (Match.Status.SUGGESTED,), REFUSED_ACCEPT, stamp="decided",
              event=events.match_accepted)
DISMISS = Step(Match.Status.DISMISSED, (Match.Status.SUGGESTED,), _("已采纳的建议不能忽略。"), stamp="decided",
               idempotent=True)
NEED_INTO_PROJECT = Step(Need.Status.IN_PROJECT, Need.OPEN_STATUSES)
NEED_MATCHED = Step(Need.Status.MATCHED, (Need.Status.OPEN,))
RESOURCE_RESERVED = Step(Resource.Status.RESERVED, (Resource.Status.AVAILABLE,))
# fmt: on


def _dismiss_suggestions(matches, *, by, now) -> None:
    """Suggestions that no longer apply, dismissed one by one as dismiss_match does (stamped, in history)."""
    for match in matches.filter(status=Match.Status.SUGGESTED).order_by("pk"):
        DISMISS.advance(match, by=by, now=now)


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
            description=(
                need.description
                + "\n\n"
                + gettext("对接资源：%(unit)s“%(resource)s”") % {"unit": resource.unit.name, "resource": resource.title}
            ).strip(),
            grid_node=need.grid_node,
            capacity=1,
            deadline=need.wanted_by,
            created_by=by,
        )
        project.needs.add(need)
        NEED_INTO_PROJECT.advance(need, by=by)
        RESOURCE_RESERVED.advance(resource, by=by)
    else:
        NEED_MATCHED.advance(need, by=by)
    ACCEPT.run(match, by=by, fields={"project": project} if project else {})
    return match


@transaction.atomic
def dismiss_match(*, by, match: Match) -> Match:
    match = Match.objects.select_related("need__grid_node").get(pk=match.pk)
    _require_admin_in_scope(by, match.need)
    return DISMISS.run(match, by=by)
