"""Writes of pairings (结对共建): sign one, attach its agreement, add commitments, record the services delivered
under it, review it each year, terminate it; the daily jobs let it expire and remind both sides before it does.

Who: street and community admins in scope sign, review and terminate; the operators of either unit (and admins
in scope) record services. Errors: ValidationError (400, Chinese), PermissionDenied (403), Conflict (409).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.admin_base import is_admin_user
from alliance.core.errors import Conflict
from alliance.core.notifications import notify_many
from alliance.core.photos import clean_photo
from alliance.core.scoping import in_scope, node_in_scope
from alliance.core.transitions import Step
from grids.models import GridNode
from members.models import MemberUnit, Pairing, PairingCommitment, PairingReview, PairingService, User
from members.selectors import admins_at, unit_operators_of

S = Pairing.Status
# fmt: off
TERMINATE = Step(S.TERMINATED, (S.ACTIVE,), gettext_lazy("只有生效中的结对可以终止。"), stamp="terminated")
EXPIRE = Step(S.EXPIRED, (S.ACTIVE,), gettext_lazy("只有生效中的结对会到期。"), stamp="expired")
# fmt: on

AGREEMENT_MAX_BYTES = 10 * 1024 * 1024
AGREEMENT_MESSAGE = gettext_lazy("协议书只能是 PDF 文件或 JPG、PNG、WEBP 图片。")
# Days before a pairing's end on which both sides are reminded (settings.PAIRING_EXPIRY_REMINDER_DAYS).
EXPIRY_REMINDER_DAYS = 30
SERVICE_HOURS_MAX = Decimal("1000")


def expiry_reminder_days() -> int:
    return int(getattr(settings, "PAIRING_EXPIRY_REMINDER_DAYS", EXPIRY_REMINDER_DAYS))


def pairing_community(unit: MemberUnit) -> GridNode:
    """The community a unit belongs to: its grid node, or the node's parent for a micro-grid."""
    node = unit.grid_node
    parent = node.parent if node.level == GridNode.Level.MICRO else None
    return parent or node


def _require_admin(by, node, message: str = _("只有本社区、街道的管理员可以办理结对共建。")) -> None:
    if not is_admin_user(by) or not node_in_scope(node, by):
        raise PermissionDenied(message)


def may_record_service(user, pairing: Pairing) -> bool:
    """The operators of either unit of the pairing, or an admin in scope."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == User.Role.UNIT_OPERATOR and user.unit_id in (pairing.unit_id, pairing.partner_unit_id):
        return True
    return is_admin_user(user) and in_scope(pairing, user)


def check_agreement(upload):
    """The agreement file to store: a PDF as it is (its content must begin as one), an image re-encoded."""
    if upload.size > AGREEMENT_MAX_BYTES:
        raise ValidationError(
            {"agreement": _("协议书不能超过 %(mb)d MB。") % {"mb": AGREEMENT_MAX_BYTES // 1024 // 1024}}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        upload.name = "agreement.pdf"
        return upload
    try:
        return clean_photo(upload, max_bytes=AGREEMENT_MAX_BYTES)
    except ValidationError:
        raise ValidationError({"agreement": AGREEMENT_MESSAGE}) from None


def _clean_commitments(commitments: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for side, text in commitments:
        text = (text or "").strip()
        if side not in Pairing.Side.values:
            raise ValidationError({"commitments": _("承诺方只能是甲方或乙方。")})
        if text:
            cleaned.append((side, text[:300]))
    return cleaned


def create_pairing(
    *,
    by,
    unit: MemberUnit,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    community: GridNode | None = None,
    partner_unit: MemberUnit | None = None,
    agreement=None,
    commitments: Iterable[tuple[str, str]] = (),
) -> Pairing:
    """Sign a pairing of ``unit`` with a community or another unit (exactly one) for a term."""
    if (community is None) == (partner_unit is None):
        raise ValidationError({"community": _("结对对象须是一个社区或一家成员单位（二选一）。")})
    if community is not None and community.level != GridNode.Level.COMMUNITY:
        raise ValidationError({"community": _("结对对象必须是社区。")})
    if partner_unit is not None and partner_unit.pk == unit.pk:
        raise ValidationError({"partner_unit": _("单位不能与自己结对。")})
    if ends_on is None:
        raise ValidationError({"ends_on": _("请填写结对的结束日期。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    node = community if community is not None else pairing_community(unit)
    _require_admin(by, node)
    rows = _clean_commitments(commitments)
    stored = check_agreement(agreement) if agreement else None
    try:
        with transaction.atomic():
            pairing = Pairing(
                unit=unit,
                community=community,
                partner_unit=partner_unit,
                grid_node=node,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=by,
            )
            if ends_on < timezone.localdate():
                pairing.status, pairing.expired_at = Pairing.Status.EXPIRED, timezone.now()
            pairing._history_user = by  # type: ignore[attr-defined]  # the history row names who signed it
            pairing.save()
            if stored is not None:
                pairing.agreement.save(stored.name, stored, save=False)
                pairing.save(update_fields=["agreement"])
            PairingCommitment.objects.bulk_create(
                [PairingCommitment(pairing=pairing, side=side, text=text) for side, text in rows]
            )
    except IntegrityError:
        raise ValidationError({"starts_on": _("该单位与该结对方在这一天开始的结对已登记。")}) from None
    return pairing


def attach_agreement(*, by, pairing: Pairing, agreement) -> Pairing:
    """Attach (or replace) the signed agreement."""
    _require_admin(by, pairing.grid_node)
    stored = check_agreement(agreement)
    with transaction.atomic():
        pairing.agreement.save(stored.name, stored, save=False)
        pairing._history_user = by  # type: ignore[attr-defined]
        pairing.save(update_fields=["agreement"])
    return pairing


def add_commitment(*, by, pairing: Pairing, side: str, text: str) -> PairingCommitment:
    """Add what one side commits to under the pairing."""
    _require_admin(by, pairing.grid_node)
    rows = _clean_commitments([(side, text)])
    if not rows:
        raise ValidationError({"text": _("请填写承诺内容。")})
    return PairingCommitment.objects.create(pairing=pairing, side=rows[0][0], text=rows[0][1])


def record_service(
    *,
    by,
    pairing: Pairing,
    served_on: datetime.date,
    side: str,
    what: str,
    people_served: int = 0,
    hours=0,
    link_text: str = "",
) -> PairingService:
    """Record a service delivered under an active pairing (by either unit's operator or an admin in scope)."""
    if not may_record_service(by, pairing):
        raise PermissionDenied(_("只有结对双方单位的联络员或本社区管理员可以登记结对服务。"))
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError(_("只有生效中的结对可以登记服务。"))
    if side not in Pairing.Side.values:
        raise ValidationError({"side": _("服务方只能是甲方或乙方。")})
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": _("服务日期不能晚于今天。")})
    if served_on < pairing.starts_on:
        raise ValidationError({"served_on": _("服务日期不能早于结对开始日期。")})
    what = (what or "").strip()
    if not what:
        raise ValidationError({"what": _("请填写服务内容。")})
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("服务时长须是数字。")}) from None
    if hours < 0 or hours > SERVICE_HOURS_MAX:
        raise ValidationError({"hours": _("服务时长须在 0 到 1000 小时之间。")})
    if not 0 <= int(people_served) <= 100000:
        raise ValidationError({"people_served": _("服务人数须在 0 到 100000 之间。")})
    service = PairingService(
        pairing=pairing,
        served_on=served_on,
        side=side,
        what=what[:200],
        people_served=int(people_served),
        hours=hours,
        link_text=(link_text or "").strip()[:200],
        recorded_by=by,
    )
    service._history_user = by  # type: ignore[attr-defined]
    service.save()
    return service


def review_pairing(*, by, pairing: Pairing, year: int, summary: str, rating: int) -> PairingReview:
    """The yearly review of a pairing, once per year."""
    _require_admin(by, pairing.grid_node)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写评议意见。")})
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("评议等级须在 1 到 5 分之间。")})
    if not pairing.starts_on.year <= int(year) <= timezone.localdate().year:
        raise ValidationError({"year": _("评议年度须在结对开始之后、不晚于今年。")})
    try:
        with transaction.atomic():
            return PairingReview.objects.create(
                pairing=pairing, year=int(year), summary=summary, rating=int(rating), reviewed_by=by
            )
    except IntegrityError:
        raise Conflict(_("该结对这一年度已经评议过。")) from None


def terminate_pairing(*, by, pairing: Pairing, reason: str) -> Pairing:
    """End an active pairing before its term (a reason is kept)."""
    _require_admin(by, pairing.grid_node)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写终止原因。")})
    return TERMINATE.run(pairing, by=by, fields={"termination_reason": reason[:300]})


# --- the daily jobs (members.tasks) -------------------------------------------------------------------


def expire_pairings(*, today: datetime.date | None = None) -> int:
    """Active pairings whose term has ended become 已到期."""
    today = today or timezone.localdate()
    moved = 0
    for pairing in Pairing.objects.filter(status=S.ACTIVE, ends_on__lt=today).order_by("pk"):
        moved += EXPIRE.advance(pairing)
    return moved


def remind_expiring_pairings(*, today: datetime.date | None = None) -> int:
    """N days before an active pairing ends: its units' operators and its community's admins, once per pairing."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=expiry_reminder_days())
    pairings = Pairing.objects.filter(status=S.ACTIVE, ends_on__gte=today, ends_on__lte=horizon)
    sent = 0
    for pairing in pairings.select_related("unit", "community", "partner_unit").order_by("pk"):
        units = [pairing.unit_id] + ([pairing.partner_unit_id] if pairing.partner_unit_id else [])
        recipients = [*unit_operators_of(units), *admins_at(pairing.grid_node_id)]
        ends_on = pairing.ends_on or today  # the filter keeps pairings with an end only
        days = (ends_on - today).days
        sent += notify_many(
            recipients=recipients,
            key=f"pairing:{pairing.pk}:expiring",
            title=_("结对共建即将到期"),
            body=_("%(unit)s与%(partner)s的结对共建将于%(date)s到期（还有%(days)d天），请及时商议续签并做好年度评议。")
            % {
                "unit": pairing.unit,
                "partner": pairing.partner_name,
                "date": ends_on.strftime(_("%Y年%m月%d日")),
                "days": days,
            },
            url=f"/members/pairings/{pairing.pk}/",
        )
    return sent
