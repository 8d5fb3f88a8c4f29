"""Claims: a unit (or a person) claims a project's place, staff approve or reject it, the claimant reports
(a person with the hours served) and the unit completes (staff complete a person's), the community evaluates.

Every claim action locks the claim's project first (``_lock_project``), then the claim: the order that
claim_project and complete_project lock in, so two of them never wait on each other.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from alliance.core.api_atomic import action_atomic
from alliance.core.errors import Conflict
from alliance.core.events import send_on_commit
from alliance.core.photos import check_request_pixels, clean_photo
from alliance.core.transitions import Step, add_to, lock
from alliance.core.validators import whole_number
from members.models import User
from projects import events, selectors
from projects.actions._common import _require_admin_in_scope, _require_operator
from projects.models import Claim, ProgressPhoto, ProgressReport, Project

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 9

# Claims in these states hold one of the project's places (``Project.active_claims``).
PLACE_HOLDING = (
    Claim.Status.PENDING,
    Claim.Status.APPROVED,
    Claim.Status.IN_PROGRESS,
    Claim.Status.COMPLETED,
    Claim.Status.EVALUATED,
)
RUNNING = (Claim.Status.APPROVED, Claim.Status.IN_PROGRESS)
# Who may claim as a person; staff (who decide claims) and units' operators (who claim for the unit) may not.
PERSON_ROLES = (User.Role.PARTY_MEMBER, User.Role.RESIDENT)
HOURS_LINE = gettext_noop("服务 %(hours)s 小时。")  # opens a person's report: the hours served
PERSON_DUPLICATE = gettext_lazy("您已认领过该项目。")
UNIT_DUPLICATE = gettext_lazy("本单位已认领过该项目。")
# Volunteers may join work under way while individual places remain; units claim published projects only.
PERSON_OPEN = (Project.Status.PUBLISHED, Project.Status.IN_PROGRESS)
HOURS_MIN, HOURS_MAX = Decimal("0.5"), Decimal("24")  # one report: half an hour to a day
HOURS_TOTAL_MAX = Decimal("9999")  # the column holds 9999.99

S, P = Claim.Status, Project.Status
# The moves of a claim (and of its project), declared once (alliance.core.transitions.Step).
# fmt: off
APPROVE = Step(S.APPROVED, (S.PENDING,), gettext_lazy("只有待审核的认领可以通过。"), stamp="decided", event=events.claim_approved,
               idempotent=True)
REJECT = Step(S.REJECTED, (S.PENDING, S.APPROVED), gettext_lazy("只有待审核或已通过（未开始实施）的认领可以驳回。"), stamp="decided",
              event=events.claim_rejected)
START = Step(S.IN_PROGRESS, (S.APPROVED,), stamp="started")
COMPLETE = Step(S.COMPLETED, RUNNING, gettext_lazy("只有已通过或实施中的认领可以完成。"), stamp="completed",
                event=events.claim_completed, idempotent=True)
EVALUATE = Step(S.EVALUATED, (S.COMPLETED, S.EVALUATED), gettext_lazy("认领完成后才能评价。"), stamp="evaluated",
                event=events.claim_evaluated)
PROJECT_STARTS = Step(P.IN_PROGRESS, (P.PUBLISHED,))
PROJECT_EVALUATED = Step(P.EVALUATED, (P.COMPLETED,))
# fmt: on


def _check_open(project: Project, states=(Project.Status.PUBLISHED,)) -> None:
    """A locked project still takes claims: in one of ``states`` (published), its deadline not past."""
    if project.status not in states:
        raise ValidationError(_("该项目当前不接受认领。"))
    if project.deadline and project.deadline < timezone.localdate():
        raise ValidationError(_("该项目已过认领截止日期。"))


def claim_project(*, by, project: Project, note: str = "", hide_unseen: bool = False) -> Claim:
    """A unit (its operator) or a person (a party member, a resident who volunteers) claims a published project.

    The row lock and the constraints keep capacity and uniqueness: units count against ``capacity``,
    persons against ``individual_capacity`` (their own places, see Project).

    ``project`` may be a bare reference by id (the API's): it is read only here, under the lock; a missing one
    raises ``Project.DoesNotExist``. With ``hide_unseen`` (the API's), so does one the claimer may not see
    (``selectors.project_seen_by``), rather than being refused as not open for claims.
    """
    if by.is_authenticated and by.role in PERSON_ROLES and not by.is_superuser:
        return _claim_as_person(by=by, project=project, note=note, hide_unseen=hide_unseen)
    unit = _require_operator(by)
    try:
        with action_atomic():  # no SAVEPOINT in an API request: its 409 rolls the whole request back
            # The row lock serialises claimers of one project; the counter's check constraint and the
            # unique (project, unit) stop a bug in Python from ever breaking the rules. The unique (project, unit)
            # is also what tells a unit it has claimed the project already (below): a read of its claims before
            # the insert cost every claim a query, for an answer the insert gives.
            locked = _locked(by, project, hide_unseen)
            _check_open(locked)
            if locked.active_claims >= locked.capacity:
                if Claim.objects.filter(project=locked, unit=unit).exists():
                    raise Conflict(UNIT_DUPLICATE)
                raise Conflict(_("该项目认领名额已满"))
            add_to(Project, locked.pk, active_claims=1)
            claim = Claim.objects.create(project=locked, unit=unit, note=note, claimed_by=by)
            send_on_commit(events.claim_submitted, sender=Claim, instance=claim, by=by)
    except IntegrityError as exc:
        # The unit's claim of this project exists (the unique rule), or, were the lock bypassed, the places ran out.
        if "one_claim_per_unit_per_project" in str(exc):
            raise Conflict(UNIT_DUPLICATE) from None
        raise Conflict(_("该项目认领名额已满")) from None
    project.active_claims = locked.active_claims + 1
    return claim


def _locked(by, project: Project, hide_unseen: bool) -> Project:
    """The project's row, locked (``lock``: ``Project.DoesNotExist`` if there is none); with ``hide_unseen`` one
    ``by`` may not see is not there either (a published one, as every claimable one is, asks no query)."""
    locked = lock(project)
    if hide_unseen and not selectors.project_seen_by(by, locked):
        raise Project.DoesNotExist(f"Project {project.pk} is not there for {by}")
    return locked


def _claim_as_person(*, by, project: Project, note: str, hide_unseen: bool) -> Claim:
    """A person's claim of one of the project's individual places; staff decide it like a unit's."""
    try:
        with action_atomic():
            locked = _locked(by, project, hide_unseen)
            if not locked.allows_individuals:
                raise PermissionDenied(_("该项目不接受个人认领。"))
            _check_open(locked, PERSON_OPEN)
            if Claim.objects.filter(project=locked, person=by).exclude(status=Claim.Status.REJECTED).exists():
                raise Conflict(PERSON_DUPLICATE)
            if locked.active_individual_claims >= locked.individual_capacity:
                raise Conflict(_("该项目个人认领名额已满"))
            add_to(Project, locked.pk, active_individual_claims=1)
            claim = Claim.objects.create(project=locked, person=by, note=note, claimed_by=by)
            send_on_commit(events.claim_submitted, sender=Claim, instance=claim, by=by)
    except IntegrityError as exc:
        if "one_active_claim_per_person_per_project" in str(exc):
            raise Conflict(PERSON_DUPLICATE) from None
        raise Conflict(_("该项目个人认领名额已满")) from None
    project.active_individual_claims = locked.active_individual_claims + 1
    return claim


def _require_claimant(by, claim: Claim) -> None:
    """The unit's operator of a unit's claim, the person of a person's own claim."""
    if claim.person_id is None:
        _require_operator(by, claim.unit)
    elif not (by.is_authenticated and by.pk == claim.person_id):
        raise PermissionDenied(_("只能办理本人认领的项目。"))


def _lock_project(claim: Claim) -> Claim:
    """The claim's project locked (see the module's docstring), then the claim read afresh under its own lock."""
    lock(claim.project)
    return lock(claim)


@transaction.atomic
def approve_claim(*, by, claim: Claim, note: str = "") -> Claim:
    _require_admin_in_scope(by, claim.project)
    _lock_project(claim)
    return APPROVE.run(claim, by=by, fields={"decision_note": note})


@transaction.atomic
def reject_claim(*, by, claim: Claim, note: str = "") -> Claim:
    _require_admin_in_scope(by, claim.project)
    if _lock_project(claim).status == Claim.Status.REJECTED:
        return claim
    REJECT.run(claim, by=by, fields={"decision_note": note})
    # The project is locked (_lock_project): free the place (a person's, or a unit's).
    counter = "active_individual_claims" if claim.person_id else "active_claims"
    add_to(Project, claim.project_id, **{counter: -1})
    return claim


def clean_progress_photos(uploads) -> list:
    """Every progress photo of one report, re-encoded (type read from the content, EXIF/GPS dropped).

    Progress photos are shown on public project pages, so they go through the same cleaning as
    residents' photos; their pixels are counted together first (alliance.core.photos.clean_photos).
    """
    for upload in uploads:
        if upload.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": _("照片“%(name)s”超过 5MB，请压缩后再上传。") % {"name": upload.name}})
    try:
        check_request_pixels(uploads, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as exc:
            raise ValidationError(
                {
                    "photos": _("文件“%(name)s”不是有效的图片：%(reason)s")
                    % {"name": upload.name, "reason": exc.messages[0]}
                }
            )
    return cleaned


def clean_hours(hours) -> Decimal | None:
    """A report's hours: empty, or from half an hour to 24 hours in steps of half an hour."""
    if hours in (None, ""):
        return None
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("请填写服务时长（小时）。")})
    if not value.is_finite() or not (HOURS_MIN <= value <= HOURS_MAX) or (value * 2) % 1:
        raise ValidationError({"hours": _("服务时长须在 0.5 到 24 小时之间，以半小时计。")})
    return value


@transaction.atomic
def report_progress(*, by, claim: Claim, text: str, photos=(), hours=None) -> ProgressReport:
    """The claimant reports progress (text and photos; a person adds the hours served); the first report starts
    the work. A person's hours add up on the claim and become points when the claim is completed."""
    current = _lock_project(claim)
    _require_claimant(by, current)
    if current.status not in RUNNING:
        raise ValidationError(_("认领通过审核后才能填报进展。"))
    hours = clean_hours(hours)
    if current.person_id and hours is None:
        raise ValidationError({"hours": _("请填写本次服务时长（小时）。")})
    if not current.person_id and hours is not None:
        raise ValidationError({"hours": _("单位认领不填报个人服务时长。")})
    if hours is not None and current.hours + hours > HOURS_TOTAL_MAX:
        raise ValidationError({"hours": _("累计服务时长超出上限，请联系社区核对。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    photos = list(photos)
    if len(photos) > PHOTO_MAX_COUNT:
        raise ValidationError({"photos": _("每次最多上传 %(count)d 张照片。") % {"count": PHOTO_MAX_COUNT}})
    cleaned = clean_progress_photos(photos)
    now = timezone.now()
    # Stored in Chinese whatever the reporter's language; ProgressReport.shown_text puts it in the reader's.
    body = text.strip() if hours is None else HOURS_LINE % {"hours": f"{hours.normalize():f}"} + text.strip()
    report = ProgressReport.objects.create(claim=current, text=body, created_by=by)
    for photo in cleaned:
        ProgressPhoto.objects.create(report=report, image=photo)
    fields: dict = {"last_progress_at": now}
    if hours is not None:
        fields["hours"] = current.hours + hours
    # The first report starts the work (the claim's, and the project's if it was still taking claims).
    if START.advance(claim, by=by, now=now, fields=fields):
        PROJECT_STARTS.advance(claim.project, by=by)
    else:
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=list(fields))
    claim.hours = current.hours
    return report


@transaction.atomic
def complete_claim(*, by, claim: Claim) -> Claim:
    """The unit (or staff) marks its part done; a person's claim is completed by staff, who so confirm the hours
    that become the person's points."""
    current = _lock_project(claim)
    if by.role == by.Role.UNIT_OPERATOR:
        _require_operator(by, current.unit)
    else:
        _require_admin_in_scope(by, current.project)
    return _complete_claim(claim, by=by, now=timezone.now())


def _complete_claim(claim: Claim, *, by, now) -> Claim:
    """A claim's completion (its event gives the unit its points), whichever path completes it (claim or project)."""
    return COMPLETE.run(claim, by=by, now=now)


@transaction.atomic
def evaluate_claim(*, by, claim: Claim, rating: int, comment: str = "") -> Claim:
    """The community evaluates a completed claim: 1–5 and a comment."""
    current = _lock_project(claim)
    _require_admin_in_scope(by, current.project)
    rating = whole_number(rating, 1, 5, field="rating", message=_("评分必须是 1 到 5 分。"))
    EVALUATE.run(claim, by=by, fields={"rating": rating, "evaluation": comment.strip()})
    # The project is evaluated once every claim that went ahead is.
    if (
        not Claim.objects.filter(project_id=claim.project_id)
        .exclude(status__in=[Claim.Status.EVALUATED, Claim.Status.REJECTED])
        .exists()
    ):
        PROJECT_EVALUATED.advance(claim.project, by=by)
    return claim
