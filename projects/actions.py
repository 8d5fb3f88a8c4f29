"""Writes and transitions of the three lists: resources, needs, projects, claims, pledges, wishes, matches.

Every function takes the acting user as ``by``, checks role and state first, writes inside a
transaction and stamps who and when. Errors: ValidationError (400), PermissionDenied (403),
Conflict (409, a full project, a wish already claimed).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from alliance.core import cache, events
from alliance.core.errors import Conflict
from alliance.core.scoping import in_scope
from projects import events as project_events
from projects.models import (
    Category,
    Claim,
    Expenditure,
    ListSettings,
    Match,
    Need,
    Pledge,
    ProgressPhoto,
    ProgressReport,
    Project,
    Resource,
    Wish,
)

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


# --- permission helpers ---------------------------------------------------------------------------


def _require_admin_in_scope(by, obj) -> None:
    """Street/community admins (and superusers) whose subtree holds ``obj``."""
    if by.is_superuser:
        return
    if not (by.is_authenticated and by.role in by.ADMIN_ROLES and in_scope(obj, by)):
        raise PermissionDenied("您无权办理该事项。")


def _require_staff_in_scope(by, obj) -> None:
    """Admins and grid workers whose subtree holds ``obj``."""
    if by.is_superuser:
        return
    if not (by.is_authenticated and by.is_staff_role and in_scope(obj, by)):
        raise PermissionDenied("您无权办理该事项。")


def _require_operator(by, unit=None):
    if not (by.is_authenticated and by.role == by.Role.UNIT_OPERATOR and by.unit_id):
        raise PermissionDenied("只有成员单位联络员可以办理。")
    if unit is not None and unit.pk != by.unit_id:
        raise PermissionDenied("只能办理本单位的事项。")
    return by.unit


def _require_not_past(day: date | None, field: str, message: str) -> None:
    """A date that must lie ahead (a new record's deadline, wanted-by or validity): today or later."""
    if day is not None and day < timezone.localdate():
        raise ValidationError({field: message})


def unit_operators(unit):
    from members.models import User

    return list(User.objects.filter(unit=unit, role=User.Role.UNIT_OPERATOR, is_active=True))


def _enqueue_matching(*, need_id=None, resource_id=None) -> None:
    from alliance.core.enqueue import enqueue_on_commit
    from projects import tasks

    if need_id:
        enqueue_on_commit(tasks.match_need_task, need_id)
    if resource_id:
        enqueue_on_commit(tasks.match_resource_task, resource_id)


# --- resources ------------------------------------------------------------------------------------


@transaction.atomic
def create_resource(*, by, unit=None, title: str, category: Category, grid_node=None, **fields) -> Resource:
    """A unit publishes a resource (operators for their own unit, admins for any unit in scope)."""
    if by.role == by.Role.UNIT_OPERATOR:
        unit = _require_operator(by, unit or by.unit)
    elif unit is None:
        raise ValidationError({"unit": "请选择提供单位。"})
    else:
        _require_admin_in_scope(by, unit)
    if not title.strip():
        raise ValidationError({"title": "请填写资源名称。"})
    if fields.get("quantity") is not None and fields["quantity"] < 1:
        raise ValidationError({"quantity": "数量至少为 1。"})
    _require_not_past(fields.get("available_until"), "available_until", "有效期不能早于今天。")
    resource = Resource(
        unit=unit,
        title=title.strip(),
        category=category,
        grid_node=grid_node or unit.grid_node,
        created_by=by,
        **fields,
    )
    resource.full_clean()
    resource.save()
    _enqueue_matching(resource_id=resource.pk)
    return resource


@transaction.atomic
def retire_resource(*, by, resource: Resource) -> Resource:
    if by.role == by.Role.UNIT_OPERATOR:
        _require_operator(by, resource.unit)
    else:
        _require_admin_in_scope(by, resource)
    if resource.status == Resource.Status.RETIRED:
        return resource
    resource.status = Resource.Status.RETIRED
    resource.retired_at = timezone.now()
    resource.save(update_fields=["status", "retired_at"])
    _dismiss_suggestions(Match.objects.filter(resource=resource), by=by, now=resource.retired_at)
    return resource


@transaction.atomic
def republish_resource(*, by, resource: Resource) -> Resource:
    if by.role == by.Role.UNIT_OPERATOR:
        _require_operator(by, resource.unit)
    else:
        _require_admin_in_scope(by, resource)
    if resource.status != Resource.Status.RETIRED:
        return resource
    resource.status = Resource.Status.AVAILABLE
    resource.retired_at = None
    resource.save(update_fields=["status", "retired_at"])
    _enqueue_matching(resource_id=resource.pk)
    return resource


# --- needs ----------------------------------------------------------------------------------------


@transaction.atomic
def create_need(*, by, title: str, category: Category, grid_node, **fields) -> Need:
    """Staff of the grid publish a need (or a problem, ``kind="problem"``)."""
    _require_staff_in_scope(by, grid_node)
    if not title.strip():
        raise ValidationError({"title": "请填写需求名称。"})
    _require_not_past(fields.get("wanted_by"), "wanted_by", "期望解决日期不能早于今天。")
    need = Need(title=title.strip(), category=category, grid_node=grid_node, created_by=by, **fields)
    need.full_clean()
    need.save()
    _enqueue_matching(need_id=need.pk)
    return need


@transaction.atomic
def close_need(*, by, need: Need, fulfilled: bool = True) -> Need:
    _require_staff_in_scope(by, need)
    if need.status in (Need.Status.FULFILLED, Need.Status.CLOSED):
        return need
    return _close_need(need, by=by, fulfilled=fulfilled, now=timezone.now())


def _close_need(need: Need, *, by, fulfilled: bool, now) -> Need:
    """A need's closing and its effects (its open suggestions dismissed), whichever path closes it."""
    need.status = Need.Status.FULFILLED if fulfilled else Need.Status.CLOSED
    need.closed_at = now
    need.save(update_fields=["status", "closed_at"])
    _dismiss_suggestions(Match.objects.filter(need=need), by=by, now=now)
    return need


def _dismiss_suggestions(matches, *, by, now) -> None:
    """Suggestions that no longer apply, dismissed one by one as dismiss_match does (stamped, in history)."""
    for match in matches.select_for_update(of=("self",)).filter(status=Match.Status.SUGGESTED).order_by("pk"):
        match.status, match.decided_by, match.decided_at = Match.Status.DISMISSED, by, now
        match.save(update_fields=["status", "decided_by", "decided_at"])


def street_committee_for(node):
    from alliance.committee.models import Committee

    street_id = node.street_id or node.pk
    return Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node_id=street_id).order_by("pk").first()


def raise_need_to_committee(*, by, need: Need):
    """Put a need to its street's joint committee (大工委) as a matter."""
    from alliance.committee.actions import raise_matter

    _require_admin_in_scope(by, need)
    committee = street_committee_for(need.grid_node)
    if committee is None:
        raise ValidationError("该街道尚未设立大工委,无法提交议题。")
    return raise_matter(
        by=by,
        committee=committee,
        title=f"{need.grid_node.name}:{need.title}",
        description=need.description,
        source=need,
    )


# --- projects -------------------------------------------------------------------------------------


def _validate_project_fields(*, capacity, crowdfunding_target=None, budget=None) -> None:
    errors = {}
    if capacity is None or capacity < 1:
        errors["capacity"] = "认领名额至少为 1。"
    if crowdfunding_target is not None and crowdfunding_target <= 0:
        errors["crowdfunding_target"] = "众筹目标必须大于 0。"
    if budget is not None and budget < 0:
        errors["budget"] = "预算不能为负数。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_project(
    *, by, title: str, category: Category, grid_node, capacity: int = 1, needs=(), publish: bool = False, **fields
) -> Project:
    _require_admin_in_scope(by, grid_node)
    if not title.strip():
        raise ValidationError({"title": "请填写项目名称。"})
    _require_not_past(fields.get("deadline"), "deadline", "认领截止日期不能早于今天。")
    _validate_project_fields(
        capacity=capacity, crowdfunding_target=fields.get("crowdfunding_target"), budget=fields.get("budget")
    )
    project = Project(
        title=title.strip(), category=category, grid_node=grid_node, capacity=capacity, created_by=by, **fields
    )
    project.save()
    if needs:
        project.needs.set(needs)
        for need in Need.objects.filter(pk__in=[n.pk for n in needs], status__in=Need.OPEN_STATUSES):
            need.status = Need.Status.IN_PROJECT
            need.save(update_fields=["status"])
    if publish:
        publish_project(by=by, project=project)
    return project


@transaction.atomic
def create_project_from_matter(*, by, matter, category: Category | None = None) -> Project:
    """Hand a resolved matter of the joint committee on as a draft project in the committee's grid node."""
    from alliance.committee.models import Matter

    matter = Matter.objects.select_for_update().select_related("committee__grid_node").get(pk=matter.pk)
    _require_admin_in_scope(by, matter.committee.grid_node)
    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError("只有已议决的议题才能转为项目。")
    if Project.objects.filter(matter=matter).exists():
        raise ValidationError("该议题已转为项目,不能重复转交。")
    source = matter.source if matter.source_type_id else None
    need = source if isinstance(source, Need) else None
    if category is None:
        category = (
            need.category if need else Category.objects.filter(parent__isnull=True).order_by("sort_order").first()
        )
    description = "\n\n".join(part for part in (matter.description, matter.resolution) if part)
    project = Project.objects.create(
        title=matter.title[:120],
        category=category,
        description=description,
        grid_node=matter.committee.grid_node,
        matter=matter,
        capacity=1,
        created_by=by,
    )
    if need is not None:
        project.needs.add(need)
        if need.status in Need.OPEN_STATUSES:
            need.status = Need.Status.IN_PROJECT
            need.save(update_fields=["status"])
    return project


@transaction.atomic
def publish_project(*, by, project: Project) -> Project:
    _require_admin_in_scope(by, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == Project.Status.PUBLISHED:
        return project
    if project.status != Project.Status.DRAFT:
        raise ValidationError("只有草稿状态的项目可以发布。")
    if project.deadline and project.deadline < timezone.localdate():
        raise ValidationError({"deadline": "认领截止日期已过,请先修改截止日期。"})
    project.status = Project.Status.PUBLISHED
    project.published_at = timezone.now()
    project.save(update_fields=["status", "published_at"])
    return project


@transaction.atomic
def complete_project(*, by, project: Project) -> Project:
    """Staff confirm the project is done; its running claims complete with it."""
    _require_admin_in_scope(by, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
        return project
    if project.status not in (Project.Status.PUBLISHED, Project.Status.IN_PROGRESS):
        raise ValidationError("只有认领中或实施中的项目可以确认完成。")
    now = timezone.now()
    # Each running claim completes as if completed on its own: stamped, in its history, its points awarded.
    running = Claim.objects.select_for_update(of=("self",)).filter(
        project=project, status__in=[Claim.Status.APPROVED, Claim.Status.IN_PROGRESS]
    )
    for claim in running.order_by("pk"):
        _complete_claim(claim, by=by, now=now)
    project.status = Project.Status.COMPLETED
    project.completed_at = now
    project.completed_by = by
    project.save(update_fields=["status", "completed_at", "completed_by"])
    for need in project.needs.select_for_update(of=("self",)).filter(status=Need.Status.IN_PROJECT).order_by("pk"):
        _close_need(need, by=by, fulfilled=True, now=now)
    return project


@transaction.atomic
def cancel_project(*, by, project: Project) -> Project:
    _require_admin_in_scope(by, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == Project.Status.CANCELLED:
        return project
    if project.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
        raise ValidationError("已完成的项目不能取消。")
    project.status = Project.Status.CANCELLED
    project.save(update_fields=["status"])
    return project


# --- claims ---------------------------------------------------------------------------------------


def claim_project(*, by, project: Project, note: str = "") -> Claim:
    """A unit claims a published project: the row lock and the constraints keep capacity and uniqueness."""
    unit = _require_operator(by)
    try:
        with transaction.atomic():
            # The row lock serialises claimers of one project; the counter's check constraint and the
            # unique (project, unit) stop a bug in Python from ever breaking the rules.
            locked = Project.objects.select_for_update().get(pk=project.pk)
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
    except IntegrityError as exc:
        # Only reachable if the lock was bypassed: the database refused, the answer is the same.
        if "one_claim_per_unit_per_project" in str(exc):
            raise Conflict("本单位已认领过该项目。")
        raise Conflict("该项目认领名额已满")
    project.active_claims = locked.active_claims + 1
    return claim


def _locked_claim(claim: Claim) -> Claim:
    """Lock the claim's project, then the claim: the order claim_project and complete_project use too."""
    list(Project.objects.select_for_update().filter(pk=claim.project_id).values_list("pk"))
    return Claim.objects.select_for_update(of=("self",)).select_related("project__grid_node", "unit").get(pk=claim.pk)


@transaction.atomic
def approve_claim(*, by, claim: Claim, note: str = "") -> Claim:
    claim = _locked_claim(claim)
    _require_admin_in_scope(by, claim.project)
    if claim.status == Claim.Status.APPROVED:
        return claim
    if claim.status != Claim.Status.PENDING:
        raise ValidationError("只有待审核的认领可以通过。")
    claim.status = Claim.Status.APPROVED
    claim.decided_by, claim.decided_at, claim.decision_note = by, timezone.now(), note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _notify_unit(
        claim, "approved", "您的项目认领已通过", f"「{claim.project.title}」认领已通过审核,请按计划实施并及时填报进展。"
    )
    return claim


@transaction.atomic
def reject_claim(*, by, claim: Claim, note: str = "") -> Claim:
    claim = _locked_claim(claim)
    _require_admin_in_scope(by, claim.project)
    if claim.status == Claim.Status.REJECTED:
        return claim
    if claim.status not in (Claim.Status.PENDING, Claim.Status.APPROVED):
        raise ValidationError("只有待审核或已通过(未开始实施)的认领可以驳回。")
    # The project is locked (_locked_claim): free the place.
    Project.objects.filter(pk=claim.project_id).update(active_claims=F("active_claims") - 1)
    claim.status = Claim.Status.REJECTED
    claim.decided_by, claim.decided_at, claim.decision_note = by, timezone.now(), note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _notify_unit(claim, "rejected", "您的项目认领未通过", f"「{claim.project.title}」认领未通过审核。{note}")
    return claim


def _notify_unit(claim: Claim, step: str, title: str, body: str) -> None:
    from alliance.core.notifications import notify

    url = f"/workspace/lists/claims/{claim.pk}/"
    for operator in unit_operators(claim.unit):
        notify(recipient=operator, key=f"claim:{claim.pk}:{step}", title=title, body=body, url=url)


def clean_progress_photos(uploads) -> list:
    """Every progress photo of one report, re-encoded (type read from the content, EXIF/GPS dropped).

    Progress photos are shown on public project pages, so they go through the same cleaning as
    residents' photos; their pixels are counted together first (alliance.core.photos.clean_photos).
    """
    from alliance.core.photos import check_request_pixels, clean_photo

    for upload in uploads:
        if upload.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": f"照片「{upload.name}」超过 5MB,请压缩后再上传。"})
    try:
        check_request_pixels(uploads, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": f"文件「{upload.name}」不是有效的图片：{exc.messages[0]}"})
    return cleaned


@transaction.atomic
def report_progress(*, by, claim: Claim, text: str, photos=()) -> ProgressReport:
    """The claiming unit reports progress (text and photos); the first report starts the work."""
    claim = _locked_claim(claim)
    _require_operator(by, claim.unit)
    if claim.status not in (Claim.Status.APPROVED, Claim.Status.IN_PROGRESS):
        raise ValidationError("认领通过审核后才能填报进展。")
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    photos = list(photos)
    if len(photos) > PHOTO_MAX_COUNT:
        raise ValidationError({"photos": f"每次最多上传 {PHOTO_MAX_COUNT} 张照片。"})
    cleaned = clean_progress_photos(photos)
    now = timezone.now()
    report = ProgressReport.objects.create(claim=claim, text=text.strip(), created_by=by)
    for photo in cleaned:
        ProgressPhoto.objects.create(report=report, image=photo)
    fields = ["last_progress_at"]
    claim.last_progress_at = now
    if claim.status == Claim.Status.APPROVED:
        claim.status, claim.started_at = Claim.Status.IN_PROGRESS, now
        fields += ["status", "started_at"]
        project = Project.objects.get(pk=claim.project_id)  # locked by _locked_claim
        if project.status == Project.Status.PUBLISHED:
            project.status = Project.Status.IN_PROGRESS
            project.save(update_fields=["status"])
    claim.save(update_fields=fields)
    return report


@transaction.atomic
def complete_claim(*, by, claim: Claim) -> Claim:
    """The unit (or staff) marks its part done."""
    claim = _locked_claim(claim)
    if by.role == by.Role.UNIT_OPERATOR:
        _require_operator(by, claim.unit)
    else:
        _require_admin_in_scope(by, claim.project)
    if claim.status == Claim.Status.COMPLETED:
        return claim
    if claim.status not in (Claim.Status.APPROVED, Claim.Status.IN_PROGRESS):
        raise ValidationError("只有已通过或实施中的认领可以完成。")
    return _complete_claim(claim, by=by, now=timezone.now())


def _complete_claim(claim: Claim, *, by, now) -> Claim:
    """A claim's completion and its effects, whichever path completes it (the claim, or its project)."""
    claim.status, claim.completed_at = Claim.Status.COMPLETED, now
    claim.save(update_fields=["status", "completed_at"])
    events.send_on_commit(project_events.claim_completed, sender=Claim, instance=claim, by=by)
    return claim


@transaction.atomic
def evaluate_claim(*, by, claim: Claim, rating: int, comment: str = "") -> Claim:
    """The community evaluates a completed claim: 1–5 and a comment."""
    claim = _locked_claim(claim)
    _require_admin_in_scope(by, claim.project)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": "评分必须是 1 到 5 分。"})
    if claim.status not in (Claim.Status.COMPLETED, Claim.Status.EVALUATED):
        raise ValidationError("认领完成后才能评价。")
    claim.status, claim.rating, claim.evaluation = Claim.Status.EVALUATED, rating, comment.strip()
    claim.evaluated_by, claim.evaluated_at = by, timezone.now()
    claim.save(update_fields=["status", "rating", "evaluation", "evaluated_by", "evaluated_at"])
    events.send_on_commit(project_events.claim_evaluated, sender=Claim, instance=claim, by=by)
    project = Project.objects.select_for_update().get(pk=claim.project_id)
    if (
        project.status == Project.Status.COMPLETED
        and not project.claims.exclude(status__in=[Claim.Status.EVALUATED, Claim.Status.REJECTED]).exists()
    ):
        project.status = Project.Status.EVALUATED
        project.save(update_fields=["status"])
    return claim


# --- crowdfunding ---------------------------------------------------------------------------------


def pledged_total(project: Project) -> Decimal:
    return project.pledges.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def spent_total(project: Project) -> Decimal:
    return project.expenditures.aggregate(s=Sum("amount"))["s"] or Decimal("0")


@transaction.atomic
def add_pledge(
    *, by, project: Project, amount, kind=Pledge.Kind.MONEY, goods: str = "", donor_name: str = ""
) -> Pledge:
    """A unit (its operator) or staff on behalf of a person pledges to a crowdfunding project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    unit = None
    if by.is_authenticated and by.role == by.Role.UNIT_OPERATOR:
        unit = by.unit
    else:
        _require_admin_in_scope(by, project)
        if not donor_name.strip():
            raise ValidationError({"donor_name": "请填写捐助人。"})
    if not project.is_crowdfunding:
        raise ValidationError("该项目不是公益众筹项目。")
    if project.status not in (Project.Status.PUBLISHED, Project.Status.IN_PROGRESS):
        raise ValidationError("该项目当前不接受认捐。")
    amount = Decimal(str(amount))
    if amount <= 0:
        raise ValidationError({"amount": "金额必须大于 0。"})
    if kind == Pledge.Kind.GOODS and not goods.strip():
        raise ValidationError({"goods": "请说明捐助的物资。"})
    return Pledge.objects.create(
        project=project, unit=unit, donor_name=donor_name.strip(), kind=kind, amount=amount, goods=goods, created_by=by
    )


@transaction.atomic
def add_expenditure(*, by, project: Project, item: str, amount, spent_on: date) -> Expenditure:
    """A line of the public account; all lines together never exceed what was pledged."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_admin_in_scope(by, project)
    if not project.is_crowdfunding:
        raise ValidationError("该项目不是公益众筹项目。")
    amount = Decimal(str(amount))
    if amount <= 0:
        raise ValidationError({"amount": "金额必须大于 0。"})
    if not item.strip():
        raise ValidationError({"item": "请填写支出事项。"})
    pledged, spent = pledged_total(project), spent_total(project)
    if spent + amount > pledged:
        raise ValidationError({"amount": f"支出合计不能超过已筹集的 {pledged} 元(已支出 {spent} 元)。"})
    return Expenditure.objects.create(
        project=project, item=item.strip(), amount=amount, spent_on=spent_on, created_by=by
    )


# --- wishes (微心愿) -------------------------------------------------------------------------------


@transaction.atomic
def submit_wish(*, by, title: str, description: str = "", grid_node=None) -> Wish:
    if not by.is_authenticated:
        raise PermissionDenied("请先登录。")
    grid_node = grid_node or by.grid_node
    if grid_node is None:
        raise ValidationError({"grid_node": "请选择所在社区或微网格。"})
    if not title.strip():
        raise ValidationError({"title": "请填写心愿内容。"})
    if len(title.strip()) > 100:
        raise ValidationError({"title": "心愿内容不超过 100 字。"})
    return Wish.objects.create(title=title.strip(), description=description.strip(), grid_node=grid_node, resident=by)


@transaction.atomic
def review_wish(*, by, wish: Wish, publish: bool, note: str = "") -> Wish:
    wish = Wish.objects.select_for_update().select_related("grid_node").get(pk=wish.pk)
    _require_staff_in_scope(by, wish)
    if wish.status != Wish.Status.SUBMITTED:
        raise ValidationError("该心愿已审核。")
    wish.status = Wish.Status.PUBLISHED if publish else Wish.Status.REJECTED
    wish.reviewed_by, wish.reviewed_at, wish.review_note = by, timezone.now(), note
    wish.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return wish


def claim_wish(*, by, wish: Wish) -> Wish:
    """One party member or one unit claims a published wish; a conditional update decides who was first."""
    member = unit = None
    if by.is_authenticated and by.role == by.Role.UNIT_OPERATOR and by.unit_id:
        unit = by.unit
    else:
        member = getattr(by, "party_member", None) if by.is_authenticated else None
        if member is None:
            raise PermissionDenied("只有党员或成员单位可以认领微心愿。")
    with transaction.atomic():
        updated = Wish.objects.filter(pk=wish.pk, status=Wish.Status.PUBLISHED).update(
            status=Wish.Status.CLAIMED,
            claimant_member=member,
            claimant_unit=unit,
            claimed_by=by,
            claimed_at=timezone.now(),
        )
        if updated != 1:
            current = Wish.objects.get(pk=wish.pk)
            if current.status == Wish.Status.CLAIMED or current.status in (Wish.Status.FULFILLED, Wish.Status.THANKED):
                raise Conflict("该心愿已被认领。")
            raise ValidationError("该心愿当前不能认领。")
        cache.changed("lists")  # a queryset update sends no signal: the cached lists learn it here
    return Wish.objects.get(pk=wish.pk)


@transaction.atomic
def fulfil_wish(*, by, wish: Wish) -> Wish:
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    is_claimant = by.is_authenticated and (
        (wish.claimed_by_id == by.pk) or (wish.claimant_unit_id and wish.claimant_unit_id == by.unit_id)
    )
    if not is_claimant:
        _require_staff_in_scope(by, wish)
    if wish.status == Wish.Status.FULFILLED:
        return wish
    if wish.status != Wish.Status.CLAIMED:
        raise ValidationError("只有已认领的心愿可以标记为已实现。")
    wish.status, wish.fulfilled_at = Wish.Status.FULFILLED, timezone.now()
    wish.save(update_fields=["status", "fulfilled_at"])
    from alliance.core.notifications import notify

    notify(recipient=wish.resident, key=f"wish:{wish.pk}:fulfilled", title="您的微心愿已实现", body=wish.title)
    return wish


@transaction.atomic
def thank_wish(*, by, wish: Wish, thanks: str) -> Wish:
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.resident_id != by.pk:
        raise PermissionDenied("只有许愿人可以致谢。")
    if wish.status != Wish.Status.FULFILLED:
        raise ValidationError("心愿实现后才能致谢。")
    if not thanks.strip():
        raise ValidationError({"thanks": "请写几句感谢的话。"})
    wish.status, wish.thanks, wish.thanked_at = Wish.Status.THANKED, thanks.strip()[:200], timezone.now()
    wish.save(update_fields=["status", "thanks", "thanked_at"])
    return wish


# --- matches --------------------------------------------------------------------------------------


@transaction.atomic
def accept_match(*, by, match: Match) -> Match:
    """Accept a suggestion: need ↔ resource creates the project; need ↔ unit invites the unit."""
    match = (
        # FOR UPDATE OF the match row only: the resource/unit/member joins are outer joins.
        Match.objects.select_for_update(of=("self",))
        .select_related("need__grid_node", "resource__unit", "unit", "member")
        .get(pk=match.pk)
    )
    _require_admin_in_scope(by, match.need)
    if match.status == Match.Status.ACCEPTED:
        return match
    if match.status != Match.Status.SUGGESTED:
        raise ValidationError("该建议已忽略,不能再采纳。")
    need = match.need
    if match.kind == Match.Kind.RESOURCE:
        resource = match.resource
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
        match.project = project
        if need.status in Need.OPEN_STATUSES:
            need.status = Need.Status.IN_PROJECT
            need.save(update_fields=["status"])
        if resource.status == Resource.Status.AVAILABLE:
            resource.status = Resource.Status.RESERVED
            resource.save(update_fields=["status"])
        invited = resource.unit
    else:
        invited = match.unit
        if need.status == Need.Status.OPEN:
            need.status = Need.Status.MATCHED
            need.save(update_fields=["status"])
    match.status, match.decided_by, match.decided_at = Match.Status.ACCEPTED, by, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at", "project"])
    if invited is not None:
        from alliance.core.notifications import notify

        for operator in unit_operators(invited):
            notify(
                recipient=operator,
                key=f"match:{match.pk}:invite",
                title="社区邀请贵单位对接需求",
                body=f"{need.grid_node.name}「{need.title}」:{match.reasons}",
                url=f"/lists/needs/{need.pk}/",
            )
    elif match.kind == Match.Kind.MEMBER and match.member.user_id:
        from alliance.core.notifications import notify

        notify(
            recipient=match.member.user,
            key=f"match:{match.pk}:invite",
            title="社区邀请您参与志愿服务",
            body=f"{need.grid_node.name}「{need.title}」",
            url=f"/lists/needs/{need.pk}/",
        )
    return match


@transaction.atomic
def dismiss_match(*, by, match: Match) -> Match:
    match = Match.objects.select_for_update(of=("self",)).select_related("need__grid_node").get(pk=match.pk)
    _require_admin_in_scope(by, match.need)
    if match.status == Match.Status.DISMISSED:
        return match
    if match.status != Match.Status.SUGGESTED:
        raise ValidationError("已采纳的建议不能忽略。")
    match.status, match.decided_by, match.decided_at = Match.Status.DISMISSED, by, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    return match


# --- reminders ------------------------------------------------------------------------------------


def remind_stale_claims(*, today: date | None = None) -> int:
    """Claims with no progress for N days: remind the unit, once per claim and period of N days."""
    from alliance.core.notifications import notify

    cfg = ListSettings.get()
    now = timezone.now()
    n = cfg.no_progress_days
    sent = 0
    claims = Claim.objects.filter(status__in=[Claim.Status.APPROVED, Claim.Status.IN_PROGRESS]).select_related(
        "project", "unit"
    )
    operators: dict[int, list] = {}
    for claim in claims.iterator(chunk_size=500):
        since = claim.last_progress_at or claim.started_at or claim.decided_at or claim.claimed_at
        idle_days = (now - since).days
        if idle_days < n:
            continue
        step = idle_days // n  # one reminder per period of N days without progress
        if claim.unit_id not in operators:
            operators[claim.unit_id] = unit_operators(claim.unit)
        for operator in operators[claim.unit_id]:
            if notify(
                recipient=operator,
                key=f"claim:{claim.pk}:no-progress:{step}",
                title="认领项目进展提醒",
                body=f"「{claim.project.title}」已 {idle_days} 天没有填报进展,请及时更新。",
                url=f"/workspace/lists/claims/{claim.pk}/",
            ):
                sent += 1
    return sent


def remind_projects_near_deadline(*, today: date | None = None) -> int:
    """Published projects near their deadline with free places: tell the units that match them."""
    from alliance.core.notifications import notify

    cfg = ListSettings.get()
    today = today or timezone.localdate()
    horizon = today + timedelta(days=cfg.deadline_days)
    projects = Project.objects.filter(
        status=Project.Status.PUBLISHED, deadline__gte=today, deadline__lte=horizon, active_claims__lt=F("capacity")
    ).prefetch_related("needs")
    sent = 0
    for project in projects:
        need_ids = [n.pk for n in project.needs.all()]
        from members.models import MemberUnit

        units = MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE).exclude(claims__project=project)
        matched = units.filter(matches__need_id__in=need_ids) | units.filter(resources__matches__need_id__in=need_ids)
        same_root = units.filter(
            resources__category__in=Category.objects.filter(pk=project.category.root_id)
            | Category.objects.filter(parent_id=project.category.root_id),
            resources__status=Resource.Status.AVAILABLE,
            grid_node__path__startswith=project.grid_node.path.split("/")[0] + "/",
        )
        for unit in (matched | same_root).distinct():
            for operator in unit_operators(unit):
                if notify(
                    recipient=operator,
                    key=f"project:{project.pk}:deadline",
                    title="项目即将截止认领",
                    body=f"「{project.title}」将于 {project.deadline} 截止认领,还有 {project.free_places} 个名额。",
                    url=f"/lists/projects/{project.pk}/",
                ):
                    sent += 1
    return sent
