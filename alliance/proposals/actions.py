"""Every write of residents' proposals (微建议): proposing, the community's moderation (publish, decline, merge,
hide a comment), supports and comments, and the raise to a committee's matter once the community's threshold
of supports is reached.

Each move is a ``Step`` (alliance.core.transitions): the row is locked, its state checked, the move stamped
(who, when) and recorded in the proposal's moderation history (``ProposalEvent``).

Supports of one proposal are serialised by the proposal's row lock: the count and the threshold are read and
written under it, so of twenty people supporting at once exactly one sees the threshold passed and raises the
matter (``Proposal.matter`` is one-to-one besides). The author cannot support their own proposal: it is theirs
already, and counting it would let one person start the count.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee.actions import raise_residents_matter
from alliance.committee.models import Committee
from alliance.core.errors import Conflict
from alliance.core.inputs import clean_line, clean_text, is_blank
from alliance.core.photos import MAX_PHOTOS, clean_photos
from alliance.core.scoping import in_scope
from alliance.core.transitions import Step, lock, transition
from alliance.proposals.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    Comment,
    Proposal,
    ProposalEvent,
    ProposalPhoto,
    ProposalRule,
    Support,
)
from grids.models import GridNode
from services.models import ServiceSettings

S = Proposal.Status
K = ProposalEvent.Kind
MICRO_DEGREE = Decimal("0.000001")
SUPPORTABLE = (S.PUBLISHED, S.RAISED)  # a raised proposal still gathers support (it shows the matter's backing)
COMMENTABLE = (S.PUBLISHED, S.RAISED)


def _state(message):
    """The refusal naming the proposal and its state (``message`` has %(title)s and %(status)s)."""
    return lambda p: str(message) % {"title": p.title, "status": p.get_status_display()}


# fmt: off
PUBLISH = Step(S.PUBLISHED, (S.SUBMITTED,), _state(gettext_lazy("微建议“%(title)s”%(status)s，不能发布。")), conflict={S.PUBLISHED: gettext_lazy("该微建议已发布。")},
               stamp="published", timeline=K.PUBLISHED)
DECLINE = Step(S.DECLINED, (S.SUBMITTED, S.PUBLISHED), _state(gettext_lazy("微建议“%(title)s”%(status)s，不能不予采纳。")), conflict={S.DECLINED: gettext_lazy("该微建议已不予采纳。")},
               stamp="declined", timeline=K.DECLINED)
MERGE = Step(S.MERGED, (S.SUBMITTED, S.PUBLISHED), _state(gettext_lazy("微建议“%(title)s”%(status)s，不能合并。")), conflict={S.MERGED: gettext_lazy("该微建议已合并。")},
             stamp="merged", timeline=K.MERGED)
RAISE = Step(S.RAISED, (S.PUBLISHED,), _state(gettext_lazy("微建议“%(title)s”%(status)s，不能提交议事。")), stamp="raised", timeline=K.RAISED)
# fmt: on


def _now(now):
    return now or timezone.now()


def _require_login(by) -> None:
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))


def can_moderate(user, proposal: Proposal) -> bool:
    """The community's admins and the street's above it (and superusers) moderate a community's proposals."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_admin_role and in_scope(proposal, user))


def _require_moderator(by, proposal: Proposal) -> None:
    _require_login(by)
    if not can_moderate(by, proposal):
        raise PermissionDenied(_("只有本社区或所在街道的管理员才能处理这条微建议。"))


def rule_for(community: GridNode) -> ProposalRule:
    """The community's rule, or the default one (unsaved) where the community set none."""
    rule = ProposalRule.objects.filter(community=community).first()
    return rule or ProposalRule(community=community)


def can_keep_rule(user, rule: ProposalRule) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or (user.is_admin_role and in_scope(rule, user))))


def save_rule(*, by, rule: ProposalRule) -> ProposalRule:
    """A community's rule, kept by that community's or its street's admins."""
    _require_login(by)
    if rule.community_id is None or rule.community.level != GridNode.Level.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})
    if not can_keep_rule(by, rule):
        raise PermissionDenied(_("只能设置本社区或本街道各社区的微建议规则。"))
    rule.full_clean()
    rule.save()
    return rule


# --- proposing ---------------------------------------------------------------------------------------------


def _place(by, community, micro_grid, errors: dict) -> GridNode | None:
    """The proposal's community: chosen, or the micro-grid's, or the person's own."""
    if micro_grid is not None:
        if micro_grid.level != GridNode.Level.MICRO:
            errors["micro_grid"] = [_("请选择微网格。")]
        elif community is not None and micro_grid.parent_id != community.pk:
            errors["micro_grid"] = [_("所选微网格不属于所选社区，请先选择社区。")]
        else:
            community = community or micro_grid.parent
    if community is None and by.grid_node_id:
        own = by.grid_node
        community = own.parent if own.level == GridNode.Level.MICRO else own
    if community is None or community.level != GridNode.Level.COMMUNITY:
        errors.setdefault("community", [_("请选择建议所在的社区。")])
        return None
    return community


def _point(lat, lng, errors: dict) -> tuple[Decimal, Decimal] | None:
    if lat in (None, "") and lng in (None, ""):
        return None
    try:
        point = Decimal(str(lat)).quantize(MICRO_DEGREE), Decimal(str(lng)).quantize(MICRO_DEGREE)
    except (InvalidOperation, ValueError):
        point = None
    if (
        point is None
        or not all(c.is_finite() for c in point)
        or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180)
    ):
        errors["location"] = [_("地图上的位置无效，请重新点选。")]
        return None
    return point


@transaction.atomic
def submit_proposal(
    *,
    by,
    title: str,
    text: str,
    community: GridNode | None = None,
    micro_grid: GridNode | None = None,
    location: str = "",
    lat=None,
    lng=None,
    photos=(),
    now=None,
) -> Proposal:
    """A signed-in resident (or party member) proposes; the community reviews it before it is public."""
    _require_login(by)
    now = _now(now)
    errors: dict = {}
    title, text = clean_line(title or ""), clean_text(text or "")
    if is_blank(title):
        errors["title"] = [_("请填写标题。")]
    elif len(title) > 100:
        errors["title"] = [_("标题不能超过100个字。")]
    if is_blank(text):
        errors["text"] = [_("请写下您的建议。")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("建议内容不能超过%(n)s个字。") % {"n": TEXT_MAX}]
    community = _place(by, community, micro_grid, errors)
    point = _point(lat, lng, errors)
    photos = list(photos or [])
    cleaned = []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("最多上传%(n)s张照片。") % {"n": MAX_PHOTOS}]
    elif photos:
        try:
            cleaned = clean_photos(photos, max_bytes=ServiceSettings.load().photo_max_kb * 1024)
        except ValidationError as exc:
            errors["photos"] = exc.messages
    if errors:
        raise ValidationError(errors)
    assert community is not None  # refused above when missing
    proposal = Proposal.objects.create(
        title=title,
        text=text,
        author=by,
        community=community,
        micro_grid=micro_grid,
        location=clean_line(location or "")[:200],
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        submitted_at=now,
    )
    for content in cleaned:
        ProposalPhoto.objects.create(proposal=proposal, image=content)
    proposal.record_timeline(K.SUBMITTED, by=by, at=now)
    return proposal


# --- moderation --------------------------------------------------------------------------------------------


def publish_proposal(*, by, proposal: Proposal, now=None) -> Proposal:
    """待审核 → 征集支持中: public, open to supports for the community's number of days."""
    _require_moderator(by, proposal)
    now = _now(now)
    closes = now + datetime.timedelta(days=rule_for(proposal.community).support_days)
    return PUBLISH.run(proposal, by=by, now=now, fields={"supports_close_at": closes})


def _reason(reason: str, field: str = "reason") -> str:
    reason = clean_text(reason or "")
    if is_blank(reason):
        raise ValidationError({field: _("请填写理由。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: _("理由不能超过%(n)s个字。") % {"n": REASON_MAX}})
    return reason


def decline_proposal(*, by, proposal: Proposal, reason: str, now=None) -> Proposal:
    """待审核 / 征集支持中 → 未采纳, with the reason the author is shown."""
    _require_moderator(by, proposal)
    DECLINE.check(proposal)
    reason = _reason(reason)
    return DECLINE.run(proposal, by=by, now=now, fields={"decline_reason": reason}, note=reason)


@transaction.atomic
def merge_proposal(*, by, proposal: Proposal, into: Proposal, reason: str = "", now=None) -> Proposal:
    """A duplicate merged into another proposal of the community: its supports move to the other one (a person
    who supports both, or the other's author, is counted once: never), its page points there."""
    _require_moderator(by, proposal)
    now = _now(now)
    if into is None or into.pk == proposal.pk:
        raise ValidationError({"into": _("请选择要合并到的另一条微建议。")})
    if into.community_id != proposal.community_id:
        raise ValidationError({"into": _("只能合并到同一社区的微建议。")})
    # Both rows locked in primary-key order: two merges (or a merge and supports) never wait on each other.
    first, second = sorted([proposal, into], key=lambda p: p.pk)
    locked = {p.pk: lock(p) for p in (first, second)}
    target = locked[into.pk]
    MERGE.check(locked[proposal.pk])
    if target.status not in SUPPORTABLE:
        raise ValidationError({"into": _("只能合并到正在征集支持或已提交议事的微建议。")})
    already = Support.objects.filter(proposal=target).values("person_id")
    moving = Support.objects.filter(proposal=proposal).order_by("pk")
    moving.filter(Q(person_id__in=already) | Q(person_id=target.author_id)).delete()
    for support in moving:
        support.proposal = target
        support.save(update_fields=["proposal"])
    # Stored in Chinese (the source language) and translated where shown (selectors.shown_note).
    note = clean_text(reason or "")[:REASON_MAX] or f"与“{target.title}”重复"
    MERGE.run(proposal, by=by, now=now, fields={"merged_into": target, "support_count": 0}, note=note)
    _count(target, by=by, now=now)
    return proposal


# --- supports and comments ---------------------------------------------------------------------------------


def _count(proposal: Proposal, *, by, now) -> Proposal:
    """The locked proposal's support count from its rows, and the raise when it reaches the threshold."""
    proposal.support_count = Support.objects.filter(proposal=proposal).count()
    proposal.save(update_fields=["support_count"])
    if proposal.status == S.PUBLISHED and proposal.support_count >= rule_for(proposal.community).threshold:
        _raise(proposal, by=by, now=now)
    return proposal


def committee_for(proposal: Proposal) -> Committee | None:
    """The body the community's rule names: its big party committee (议事会), else the street's joint committee."""
    community = proposal.community
    street = Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node_id=community.street_id)
    if rule_for(community).target == ProposalRule.Target.COUNCIL:
        council = Committee.objects.filter(kind=Committee.Kind.COMMUNITY_PARTY, grid_node=community)
        return council.order_by("pk").first() or street.order_by("pk").first()
    return street.order_by("pk").first()


def _raise(proposal: Proposal, *, by, now) -> None:
    """The locked, published proposal becomes a committee matter (once: it leaves ``published`` here)."""
    committee = committee_for(proposal)
    if committee is None:  # no body to take it yet: it stays open, and the next support tries again
        return
    description = f"{proposal.text}\n\n（居民微建议，{proposal.support_count}人支持）"
    matter = raise_residents_matter(
        committee=committee,
        title=f"{proposal.community.name}：{proposal.title}",
        description=description,
        source=proposal,
    )
    # The note is stored in Chinese (the source language) and translated where shown (selectors.shown_note).
    RAISE.run(proposal, by=by, now=now, fields={"matter": matter}, note=f"提交{committee.name}")


@transaction.atomic
def support_proposal(*, by, proposal: Proposal, now=None) -> Proposal:
    """One support of a signed-in person (not the author) while the proposal gathers support."""
    _require_login(by)
    now = _now(now)
    proposal = lock(proposal)  # every support of this proposal waits here: the count below is exact
    if proposal.status not in SUPPORTABLE:
        raise ValidationError(_("这条微建议现在不能支持。"))
    if proposal.author_id == by.pk:
        raise ValidationError(_("不能支持自己提出的微建议。"))
    if proposal.status == S.PUBLISHED and proposal.supports_close_at and now > proposal.supports_close_at:
        raise ValidationError(_("这条微建议的征集期已结束。"))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, person=by, created_at=now)
    except IntegrityError:
        raise Conflict(_("您已经支持过这条微建议了。")) from None
    return _count(proposal, by=by, now=now)


@transaction.atomic
def withdraw_support(*, by, proposal: Proposal, now=None) -> Proposal:
    """A person takes their support back while the proposal still gathers support (not once it is raised)."""
    _require_login(by)
    proposal = lock(proposal)
    if proposal.status != S.PUBLISHED:
        raise ValidationError(_("这条微建议现在不能取消支持。"))
    deleted, _rows = Support.objects.filter(proposal=proposal, person=by).delete()
    if not deleted:
        raise ValidationError(_("您还没有支持这条微建议。"))
    return _count(proposal, by=by, now=_now(now))


@transaction.atomic
def add_comment(*, by, proposal: Proposal, text: str, now=None) -> Comment:
    """A signed-in person's comment on a proposal that is public and open (published or raised)."""
    _require_login(by)
    if proposal.status not in COMMENTABLE:
        raise ValidationError(_("这条微建议现在不能评论。"))
    text = clean_text(text or "")
    if is_blank(text):
        raise ValidationError({"text": _("请填写评论内容。")})
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": _("评论不能超过%(n)s个字。") % {"n": COMMENT_MAX}})
    return Comment.objects.create(proposal=proposal, author=by, text=text, created_at=_now(now))


def hide_comment(*, by, comment: Comment, reason: str, now=None) -> Comment:
    """The community hides a comment, with the reason kept in the proposal's moderation history."""
    _require_moderator(by, comment.proposal)
    reason = _reason(reason)
    return transition(
        comment,
        state_field="hidden",
        to=True,
        sources=(False,),
        refused=_("该评论已隐藏。"),
        conflict={True: _("该评论已隐藏。")},
        by=by,
        now=now,
        stamp="hidden",
        fields={"hide_reason": reason},
        timeline=K.COMMENT_HIDDEN,
        note=reason,
    )
