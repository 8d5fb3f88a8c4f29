"""Claims: a unit claims a project's place, staff approve or reject it, the unit reports and completes, the
community evaluates.

Every claim action locks the claim's project first (``_lock_project``), then the claim: the order that
claim_project and complete_project lock in, so two of them never wait on each other.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from alliance.core.errors import Conflict
from alliance.core.events import send_on_commit
from alliance.core.photos import check_request_pixels, clean_photo
from alliance.core.transitions import Step, lock
from alliance.core.validators import whole_number
from projects import events
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

S, P = Claim.Status, Project.Status
# The moves of a claim (and of its project), declared once (alliance.core.transitions.Step).
# fmt: off
APPROVE = Step(S.APPROVED, (S.PENDING,), "只有待审核的认领可以通过。", stamp="decided", event=events.claim_approved,
               idempotent=True)
REJECT = Step(S.REJECTED, (S.PENDING, S.APPROVED), "只有待审核或已通过（未开始实施）的认领可以驳回。", stamp="decided",
              event=events.claim_rejected)
START = Step(S.IN_PROGRESS, (S.APPROVED,), stamp="started")
COMPLETE = Step(S.COMPLETED, RUNNING, "只有已通过或实施中的认领可以完成。", stamp="completed",
                event=events.claim_completed, idempotent=True)
EVALUATE = Step(S.EVALUATED, (S.COMPLETED, S.EVALUATED), "认领完成后才能评价。", stamp="evaluated",
                event=events.claim_evaluated)
PROJECT_STARTS = Step(P.IN_PROGRESS, (P.PUBLISHED,))
PROJECT_EVALUATED = Step(P.EVALUATED, (P.COMPLETED,))
# fmt: on


def claim_project(*, by, project: Project, note: str = "") -> Claim:
    """A unit claims a published project: the row lock and the constraints keep capacity and uniqueness."""
    unit = _require_operator(by)
    try:
        with transaction.atomic():
            # The row lock serialises claimers of one project; the counter's check constraint and the
            # unique (project, unit) stop a bug in Python from ever breaking the rules.
            locked = lock(project)
            if locked.status != Project.Status.PUBLISHED:
                raise ValidationError("该项目当前不接受认领。")
            if locked.deadline and locked.deadline < timezone.localdate():
                raise ValidationError("该项目已过认领截止日期。")
            if Claim.objects.filter(project=locked, unit=unit).exists():
                raise Conflict("本单位已认领过该项目。")
            if locked.active_claims >= locked.capacity:
                raise Conflict("该项目认领名额已满")
            Project.objects.filter(pk=locked.pk).update(active_claims=F("active_claims") + 1)
            claim = Claim.objects.create(project=locked, unit=unit, note=note, claimed_by=by)
            send_on_commit(events.claim_submitted, sender=Claim, instance=claim, by=by)
    except IntegrityError as exc:
        # Only reachable if the lock was bypassed: the database refused, the answer is the same.
        if "one_claim_per_unit_per_project" in str(exc):
            raise Conflict("本单位已认领过该项目。")
        raise Conflict("该项目认领名额已满")
    project.active_claims = locked.active_claims + 1
    return claim


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
    # The project is locked (_lock_project): free the place.
    Project.objects.filter(pk=claim.project_id).update(active_claims=F("active_claims") - 1)
    return claim


def clean_progress_photos(uploads) -> list:
    """Every progress photo of one report, re-encoded (type read from the content, EXIF/GPS dropped).

    Progress photos are shown on public project pages, so they go through the same cleaning as
    residents' photos; their pixels are counted together first (alliance.core.photos.clean_photos).
    """
    for upload in uploads:
        if upload.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": f"照片“{upload.name}”超过 5MB，请压缩后再上传。"})
    try:
        check_request_pixels(uploads, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": f"文件“{upload.name}”不是有效的图片：{exc.messages[0]}"})
    return cleaned


@transaction.atomic
def report_progress(*, by, claim: Claim, text: str, photos=()) -> ProgressReport:
    """The claiming unit reports progress (text and photos); the first report starts the work."""
    current = _lock_project(claim)
    _require_operator(by, current.unit)
    if current.status not in RUNNING:
        raise ValidationError("认领通过审核后才能填报进展。")
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    photos = list(photos)
    if len(photos) > PHOTO_MAX_COUNT:
        raise ValidationError({"photos": f"每次最多上传 {PHOTO_MAX_COUNT} 张照片。"})
    cleaned = clean_progress_photos(photos)
    now = timezone.now()
    report = ProgressReport.objects.create(claim=current, text=text.strip(), created_by=by)
    for photo in cleaned:
        ProgressPhoto.objects.create(report=report, image=photo)
    # The first report starts the work (the claim's, and the project's if it was still taking claims).
    if START.advance(claim, by=by, now=now, fields={"last_progress_at": now}):
        PROJECT_STARTS.advance(claim.project, by=by)
    else:
        current.last_progress_at = now
        current.save(update_fields=["last_progress_at"])
    return report


@transaction.atomic
def complete_claim(*, by, claim: Claim) -> Claim:
    """The unit (or staff) marks its part done."""
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
    rating = whole_number(rating, 1, 5, field="rating", message="评分必须是 1 到 5 分。")
    EVALUATE.run(claim, by=by, fields={"rating": rating, "evaluation": comment.strip()})
    # The project is evaluated once every claim that went ahead is.
    if (
        not Claim.objects.filter(project_id=claim.project_id)
        .exclude(status__in=[Claim.Status.EVALUATED, Claim.Status.REJECTED])
        .exists()
    ):
        PROJECT_EVALUATED.advance(claim.project, by=by)
    return claim
