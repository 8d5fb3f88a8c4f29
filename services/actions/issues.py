"""Issues (居民说事): discovered → consulting → handling → feedback → evaluated, with escalation up the grid.

Every transition goes through ``alliance.core.transitions`` (a ``Step``, or ``transition`` for a move
whose target is computed); the notifications that follow hear the events (services.handlers).
"""

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee.actions import raise_matter
from alliance.committee.models import Committee
from alliance.core import events
from alliance.core.api_atomic import action_atomic
from alliance.core.photos import MAX_PHOTOS, clean_photos
from alliance.core.transitions import Step, transition
from grids import geo
from grids.models import GridNode
from grids.selectors import micro_grid_at
from services import events as service_events
from services.actions._common import _contact_phone, _now, _rating, _require_login, is_staff_in_scope
from services.actions.board import publish_issue
from services.models import Issue, IssueEvent, IssuePhoto, ServiceSettings
from services.stored import stored

LEVEL_OF_NODE = {GridNode.Level.MICRO: Issue.Level.MICRO, GridNode.Level.COMMUNITY: Issue.Level.COMMUNITY}
ESCALATABLE = (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING)
MICRO_DEGREE = Decimal("0.000001")
# The row changed between the caller's read and the lock (two people, or two sweeps, at once).
CHANGED = gettext_lazy("该事项已被他人办理，请刷新后重试。")

# The rating of an issue's feedback: evaluated, or (1–2 stars, the first time) back to handling.
# fmt: off
RATE = Step(Issue.Status.EVALUATED, (Issue.Status.FEEDBACK,), gettext_lazy("事项反馈处理结果后才能评价。"), stamp="rated",
            timeline=IssueEvent.Kind.RATED, event=service_events.issue_rated)
REOPEN = replace(RATE, to=Issue.Status.HANDLING, timeline=IssueEvent.Kind.REOPENED)
# fmt: on


@action_atomic()
def report_issue(
    *,
    by,
    title: str,
    text: str,
    grid_node: GridNode | None = None,
    channel: str = Issue.Channel.WEB,
    location: str = "",
    contact_phone: str = "",
    photos=(),
    lat=None,
    lng=None,
    is_public: bool = False,
    now=None,
) -> Issue:
    """A resident reports a problem (居民说事), or a grid worker records one from the hotline, mailbox or a visit.
    ``is_public``: the reporter puts it on the public board at once (services.actions.board.publish_issue)."""
    _require_login(by)
    now = _now(now)
    errors = {}
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors["title"] = [_("请填写标题。")]
    if not text:
        errors["text"] = [_("请描述问题。")]
    point = _point(lat, lng, errors)
    if point is not None and not errors:
        grid_node = _grid_at(point, grid_node, errors)
    grid_node = grid_node or by.grid_node
    if grid_node is None and "grid_node" not in errors:
        errors["grid_node"] = [_("请选择问题所在的社区或微网格。")]
    if channel not in Issue.Channel.values:
        errors["channel"] = [_("来源渠道无效。")]
    elif channel != Issue.Channel.WEB and grid_node is not None and not is_staff_in_scope(by, grid_node):
        errors["channel"] = [_("热线、信箱和走访事项由网格工作人员登记。")]
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("最多上传%(n)s张照片。") % {"n": MAX_PHOTOS}]
    cleaned = []
    if photos and not errors.get("photos"):  # the settings only for photos to check
        max_bytes = ServiceSettings.load().photo_max_kb * 1024
        try:
            cleaned = clean_photos(photos, max_bytes=max_bytes)  # pixels counted for all together first
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(exc.messages)
    try:
        contact_phone = _contact_phone(contact_phone, by)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert grid_node is not None  # refused above when missing
    issue = Issue.objects.create(
        title=title[:100],
        text=text,
        channel=channel,
        reporter=by,
        recorded_by=by if channel != Issue.Channel.WEB else None,
        grid_node=grid_node,
        location=(location or "").strip()[:200],
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        contact_phone=contact_phone,
        level=LEVEL_OF_NODE.get(GridNode.Level(grid_node.level), Issue.Level.STREET),
        step_started_at=now,
        reported_at=now,
    )
    added = [IssuePhoto.objects.create(issue=issue, image=content) for content in cleaned]
    reported = issue.record_timeline(IssueEvent.Kind.REPORTED, by=by, at=now, note=text[:300])
    events.send_on_commit(service_events.issue_reported, sender=Issue, instance=issue, by=by)
    if is_public:
        publish_issue(by=by, issue=issue, now=now)
    else:  # its photos and timeline are known: the API answers without reading them again
        issue.created_with = {"photos": added, "events": [reported]}
    return issue


OUTSIDE = gettext_lazy("所选网格不包含地图上标出的位置，请在地图上重新点选，或改选网格。")


def _point(lat, lng, errors: dict) -> tuple[Decimal, Decimal] | None:
    """The place picked on the map: both coordinates or neither, within WGS84 bounds, 6 decimals."""
    if lat in (None, "") and lng in (None, ""):
        return None
    try:
        point = Decimal(str(lat)).quantize(MICRO_DEGREE), Decimal(str(lng)).quantize(MICRO_DEGREE)
    except (InvalidOperation, ValueError):
        point = None
    if point is None or not (point[0].is_finite() and point[1].is_finite()):
        errors["location"] = [_("地图上的位置无效，请重新点选。")]
        return None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        errors["location"] = [_("地图上的位置超出经纬度范围，请重新点选。")]
        return None
    return point


def _grid_at(point, chosen: GridNode | None, errors: dict) -> GridNode | None:
    """The grid of the picked place: the micro-grid whose boundary holds it (within the chosen community, if
    one was chosen). A grid chosen by hand must hold the point when its boundary is known."""
    if chosen is not None and chosen.level == GridNode.Level.MICRO:
        if chosen.boundary and not geo.contains(chosen.boundary, *point):
            errors["grid_node"] = [OUTSIDE]
        return chosen
    found = micro_grid_at(*point, within=chosen)
    if found is not None:
        return found
    if chosen is None:
        errors["grid_node"] = [_("地图上标出的位置不在已划定边界的微网格内，请选择所在的社区和微网格。")]
    elif chosen.boundary and not geo.contains(chosen.boundary, *point):
        errors["grid_node"] = [OUTSIDE]
    return chosen


def _require_issue_staff(by, issue):
    if not is_staff_in_scope(by, issue.grid_node):
        raise PermissionDenied(_("只有该网格的工作人员可以办理此事项。"))


def move_issue(*, by, issue: Issue, text: str = "", now=None) -> Issue:
    """Move an issue one step along the loop; the text (a reply template or own words) goes on the timeline."""
    _require_issue_staff(by, issue)
    target = issue.next_status
    if target is None:
        raise ValidationError(_("该事项已在反馈或评价环节，不能再推进。"))
    text = (text or "").strip()
    if target == Issue.Status.FEEDBACK and not text:
        raise ValidationError({"text": _("请填写反馈给居民的处理结果。")})
    now = _now(now)
    fields = {"step_started_at": now}
    if target == Issue.Status.HANDLING or issue.handler_id is None:
        fields["handler"] = by
    return transition(
        issue,
        to=target,
        sources=(issue.status,),  # one step from the step the person saw, never two
        refused=CHANGED,
        conflict=dict.fromkeys(Issue.Status, CHANGED),
        by=by,
        now=now,
        fields=fields,
        timeline=IssueEvent.Kind.MOVED,
        note=text,
        event=service_events.issue_moved,
        payload={"text": text},
    )


def escalate_issue(*, by, issue: Issue, reason: str = "", now=None, automatic: bool = False) -> Issue:
    """Raise an issue one level up the grid: micro-grid → community → street → department.

    Every move, escalation and rating restarts the step (``step_started_at``), so the lock finding the
    step the caller read means status and level are still the ones checked here; otherwise someone (or
    another sweep) got there first and this one is refused.
    """
    if not automatic:
        _require_issue_staff(by, issue)
    if issue.status not in ESCALATABLE:
        raise ValidationError(_("只有发现、会商、处置环节的事项可以上报。"))
    if issue.level >= Issue.Level.DEPARTMENT:
        raise ValidationError(_("该事项已上报至职能部门，不能再上报。"))
    now = _now(now)
    level = issue.level + 1
    reason = (reason or "").strip()
    return transition(
        issue,
        state_field="step_started_at",
        to=now,
        sources=(issue.step_started_at,),
        refused=CHANGED,
        by=by,
        now=now,
        fields={"level": level},
        timeline=IssueEvent.Kind.AUTO_ESCALATED if automatic else IssueEvent.Kind.ESCALATED,
        note=reason or stored("上报至%(level)s", level=Issue.Level(level).label),
        event=service_events.issue_escalated,
        payload={"reason": reason},
    )


def rate_issue(*, by, issue: Issue, rating, comment: str = "", now=None) -> Issue:
    """The reporter rates the outcome. 1–2 stars reopen it to handling once and count against the handler."""
    if by.pk != issue.reporter_id:
        raise PermissionDenied(_("只能评价自己反映的事项。"))
    rating = _rating(rating)
    now = _now(now)
    comment = (comment or "").strip()[:300]
    reopen = rating <= 2 and not issue.reopened
    fields = {"rating": rating, "rating_comment": comment, "step_started_at": now}
    if reopen:
        fields.update(reopened=True, unsatisfied_handler_id=issue.handler_id)
    return (REOPEN if reopen else RATE).run(
        issue,
        by=by,
        now=now,
        fields=fields,
        note=stored("%(rating)s星 %(comment)s", rating=rating, comment=comment)
        if comment
        else stored("%(rating)s星", rating=rating),
    )


@transaction.atomic
def raise_issue_as_matter(*, by, issue: Issue, title: str = "", now=None) -> Issue:
    """A big issue becomes a matter for the street joint committee (大事全网联动)."""
    _require_issue_staff(by, issue)
    if issue.matter_id:
        raise ValidationError(_("该事项已提交大工委。"))
    if issue.status == Issue.Status.EVALUATED:
        raise ValidationError(_("已评价的事项不能再提交大工委。"))
    committee = (
        Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node_id=issue.grid_node.street_id)
        .order_by("pk")
        .first()
    )
    if committee is None:
        raise ValidationError(_("所在街道尚未设立大工委，无法提交议题。"))
    matter = raise_matter(
        by=by, committee=committee, title=(title or "").strip() or issue.title, description=issue.text, source=issue
    )
    # Under the lock, no other matter may have been raised meanwhile (the matter above rolls back if so).
    return transition(
        issue,
        state_field="matter_id",
        to=matter.pk,
        sources=(None,),
        refused=_("该事项已提交大工委。"),
        by=by,
        now=now,
        timeline=IssueEvent.Kind.MATTER,
        note=stored("提交%(committee)s：%(title)s", committee=committee.name, title=matter.title),
    )
