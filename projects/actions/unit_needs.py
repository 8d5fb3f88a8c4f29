"""Needs a member unit posts itself (双向清单, the unit's side): submitted from the workspace, reviewed by the admins
of its community or street, public only once approved; a returned one is edited and submitted again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.events import send_on_commit
from alliance.core.transitions import Step
from projects import events
from projects.actions._common import _enqueue_matching, _require_admin_in_scope, _require_not_past, _require_operator
from projects.models import Need

S = Need.Status
REVIEW_REFUSED = gettext_lazy("该需求不在待审核状态。")

# The moves of a unit's need, declared once (alliance.core.transitions.Step).
# fmt: off
APPROVE = Step(S.OPEN, (S.PENDING,), REVIEW_REFUSED, stamp="reviewed", event=events.need_reviewed)
SEND_BACK = Step(S.RETURNED, (S.PENDING,), REVIEW_REFUSED, stamp="reviewed", event=events.need_reviewed)
DECLINE = Step(S.DECLINED, (S.PENDING,), REVIEW_REFUSED, stamp="reviewed", event=events.need_reviewed)
RESUBMIT = Step(S.PENDING, (S.RETURNED,), gettext_lazy("只有被退回的需求可以修改后重新提交。"), stamp="submitted",
                event=events.need_submitted)
# fmt: on

EDITABLE = ("title", "category", "description", "grid_node", "people_affected", "urgency", "wanted_by")


def _checked(unit, fields: dict) -> dict:
    """The need's fields as a unit may give them: a title, a grid node within its own street, a date ahead."""
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    title = str(fields.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写需求名称。")})
    fields["title"] = title
    node = fields.get("grid_node") or unit.grid_node
    if node is None or node.street_id != unit.grid_node.street_id:
        raise ValidationError({"grid_node": _("只能选择本单位所在街道内的网格。")})
    fields["grid_node"] = node
    _require_not_past(fields.get("wanted_by"), "wanted_by", _("期望解决日期不能早于今天。"))
    return fields


@transaction.atomic
def submit_unit_need(*, by, category, title: str, **fields) -> Need:
    """A unit's operator posts a need: it waits (待审核) for the admins of its grid before anyone else sees it."""
    unit = _require_operator(by)
    data = _checked(unit, {"title": title, "category": category, **fields})
    need = Need(
        kind=Need.Kind.NEED, status=S.PENDING, posted_by_unit=unit, created_by=by, submitted_at=timezone.now(), **data
    )
    need.full_clean()
    need.save()
    send_on_commit(events.need_submitted, sender=Need, instance=need, by=by)
    return need


@transaction.atomic
def resubmit_unit_need(*, by, need: Need, **fields) -> Need:
    """The unit edits a returned need and submits it again; the staff's note of the last review stays until then."""
    unit = _require_operator(by, need.posted_by_unit)
    RESUBMIT.check(need)
    data = _checked(unit, {name: fields.get(name, getattr(need, name)) for name in EDITABLE})
    candidate = Need(**{**{f.attname: getattr(need, f.attname) for f in Need._meta.concrete_fields}, **data})
    candidate.full_clean(exclude=["created_by", "reviewed_by", "posted_by_unit"], validate_unique=False)
    return RESUBMIT.run(need, by=by, fields={**data, "review_note": ""})


@transaction.atomic
def review_unit_need(*, by, need: Need, decision: str, note: str = "") -> Need:
    """Admins of the need's community or street approve it (public, then matched), return it for changes or
    decline it; returning and declining say why."""
    _require_admin_in_scope(by, need)
    note = (note or "").strip()
    step = {"approve": APPROVE, "return": SEND_BACK, "decline": DECLINE}.get(decision)
    if step is None:
        raise ValidationError({"decision": _("请选择审核结果。")})
    if step is not APPROVE and not note:
        raise ValidationError({"note": _("请填写退回或不予采纳的理由。")})
    need = step.run(need, by=by, fields={"review_note": note[:200]})
    if step is APPROVE:
        _enqueue_matching(need_id=need.pk)
    return need


def approve_need(*, by, need: Need, note: str = "") -> Need:
    return review_unit_need(by=by, need=need, decision="approve", note=note)


def return_need(*, by, need: Need, reason: str) -> Need:
    return review_unit_need(by=by, need=need, decision="return", note=reason)


def decline_need(*, by, need: Need, reason: str) -> Need:
    return review_unit_need(by=by, need=need, decision="decline", note=reason)
