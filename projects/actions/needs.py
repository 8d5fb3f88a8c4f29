"""Needs (and problems): published by the staff of a grid, closed, or put to the street's joint committee."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.committee import actions as committee_actions
from alliance.committee.models import Committee
from alliance.core.transitions import Step
from projects.actions._common import (
    _enqueue_matching,
    _require_admin_in_scope,
    _require_not_past,
    _require_staff_in_scope,
)
from projects.actions.matches import NEED_INTO_PROJECT, _dismiss_suggestions
from projects.models import Category, Match, Need

CLOSABLE = (*Need.OPEN_STATUSES, Need.Status.IN_PROJECT)
FULFIL = Step(Need.Status.FULFILLED, CLOSABLE, stamp="closed")
CLOSE = Step(Need.Status.CLOSED, CLOSABLE, stamp="closed")


@transaction.atomic
def create_need(*, by, title: str, category: Category, grid_node, **fields) -> Need:
    """Staff of the grid publish a need (or a problem, ``kind="problem"``)."""
    _require_staff_in_scope(by, grid_node)
    if not title.strip():
        raise ValidationError({"title": _("请填写需求名称。")})
    _require_not_past(fields.get("wanted_by"), "wanted_by", _("期望解决日期不能早于今天。"))
    need = Need(title=title.strip(), category=category, grid_node=grid_node, created_by=by, **fields)
    need.full_clean()
    need.save()
    _enqueue_matching(need_id=need.pk)
    return need


@transaction.atomic
def close_need(*, by, need: Need, fulfilled: bool = True) -> Need:
    _require_staff_in_scope(by, need)
    _close_need(need, by=by, fulfilled=fulfilled, now=timezone.now())
    return need  # a need already fulfilled or closed stays as it is


def _close_need(need: Need, *, by, fulfilled: bool, now) -> bool:
    """A need's closing and its effects (its open suggestions dismissed), whichever path closes it."""
    if not (FULFIL if fulfilled else CLOSE).advance(need, by=by, now=now):
        return False
    _dismiss_suggestions(Match.objects.filter(need=need), by=by, now=now)
    return True


def take_into_project(need: Need, *, by) -> bool:
    """An open need taken into a project (any other need stays as it is)."""
    return NEED_INTO_PROJECT.advance(need, by=by)


def street_committee_for(node):
    street_id = node.street_id or node.pk
    return Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node_id=street_id).order_by("pk").first()


def raise_need_to_committee(*, by, need: Need):
    """Put a need to its street's joint committee (大工委) as a matter."""
    _require_admin_in_scope(by, need)
    committee = street_committee_for(need.grid_node)
    if committee is None:
        raise ValidationError(_("该街道尚未设立大工委，无法提交议题。"))
    return committee_actions.raise_matter(
        by=by,
        committee=committee,
        title=f"{need.grid_node.name}:{need.title}",
        description=need.description,
        source=need,
    )
