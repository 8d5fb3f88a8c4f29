"""Micro-wishes (微心愿): a resident's wish, reviewed, claimed by a party member or a unit, fulfilled, thanked."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.transitions import Step, lock
from projects import events
from projects.actions._common import _require_staff_in_scope
from projects.models import Wish

S = Wish.Status
TAKEN = dict.fromkeys((S.CLAIMED, S.FULFILLED, S.THANKED), gettext_lazy("该心愿已被认领。"))

# The moves of a wish, declared once (alliance.core.transitions.Step).
# fmt: off
PUBLISH = Step(S.PUBLISHED, (S.SUBMITTED,), gettext_lazy("该心愿已审核。"), stamp="reviewed")
REJECT = replace(PUBLISH, to=S.REJECTED)
CLAIM = Step(S.CLAIMED, (S.PUBLISHED,), gettext_lazy("该心愿当前不能认领。"), TAKEN, stamp="claimed", event=events.wish_claimed)
FULFIL = Step(S.FULFILLED, (S.CLAIMED,), gettext_lazy("只有已认领的心愿可以标记为已实现。"), stamp="fulfilled",
              event=events.wish_fulfilled, idempotent=True)
THANK = Step(S.THANKED, (S.FULFILLED,), gettext_lazy("心愿实现后才能致谢。"), stamp="thanked")
# fmt: on


@transaction.atomic
def submit_wish(*, by, title: str, description: str = "", grid_node=None) -> Wish:
    if not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    grid_node = grid_node or by.grid_node
    if grid_node is None:
        raise ValidationError({"grid_node": _("请选择所在社区或微网格。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写心愿内容。")})
    if len(title.strip()) > 100:
        raise ValidationError({"title": _("心愿内容不超过 100 字。")})
    return Wish.objects.create(title=title.strip(), description=description.strip(), grid_node=grid_node, resident=by)


@transaction.atomic
def review_wish(*, by, wish: Wish, publish: bool, note: str = "") -> Wish:
    _require_staff_in_scope(by, wish)
    return (PUBLISH if publish else REJECT).run(wish, by=by, fields={"review_note": note})


def claim_wish(*, by, wish: Wish) -> Wish:
    """One party member or one unit claims a published wish; the row lock decides who was first."""
    member = unit = None
    if by.is_authenticated and by.role == by.Role.UNIT_OPERATOR and by.unit_id:
        unit = by.unit
    else:
        member = getattr(by, "party_member", None) if by.is_authenticated else None
        if member is None:
            raise PermissionDenied(_("只有党员或成员单位可以认领微心愿。"))
    return CLAIM.run(wish, by=by, fields={"claimant_member": member, "claimant_unit": unit})


@transaction.atomic
def fulfil_wish(*, by, wish: Wish) -> Wish:
    """The claimant (or staff) marks the wish fulfilled; the resident hears of it (projects.handlers)."""
    current = lock(wish)
    is_claimant = by.is_authenticated and (
        (current.claimed_by_id == by.pk) or (current.claimant_unit_id and current.claimant_unit_id == by.unit_id)
    )
    if not is_claimant:
        _require_staff_in_scope(by, current)
    return FULFIL.run(wish, by=by)


@transaction.atomic
def thank_wish(*, by, wish: Wish, thanks: str) -> Wish:
    current = lock(wish)
    if current.resident_id != by.pk:
        raise PermissionDenied(_("只有许愿人可以致谢。"))
    if current.status == Wish.Status.FULFILLED and not thanks.strip():
        raise ValidationError({"thanks": _("请写几句感谢的话。")})
    return THANK.run(wish, by=by, fields={"thanks": thanks.strip()[:200]})
