"""Projects: drawn up (by staff, from a committee's matter), published, completed, cancelled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee.models import Matter
from alliance.core.transitions import Step, lock
from projects.actions._common import _require_admin_in_scope, _require_not_past
from projects.actions.claims import _complete_claim
from projects.actions.needs import _close_need, take_into_project
from projects.models import Category, Claim, Need, Project

S = Project.Status
# The moves of a project, declared once (alliance.core.transitions.Step).
PUBLISH = Step(S.PUBLISHED, (S.DRAFT,), gettext_lazy("只有草稿状态的项目可以发布。"), stamp="published")
COMPLETE = Step(
    S.COMPLETED, (S.PUBLISHED, S.IN_PROGRESS), gettext_lazy("只有认领中或实施中的项目可以确认完成。"), stamp="completed"
)
CANCEL = Step(
    S.CANCELLED, (S.DRAFT, S.PUBLISHED, S.IN_PROGRESS), gettext_lazy("已完成的项目不能取消。"), idempotent=True
)


def _validate_project_fields(*, capacity, crowdfunding_target=None, budget=None) -> None:
    errors = {}
    if capacity is None or capacity < 1:
        errors["capacity"] = _("认领名额至少为 1。")
    if crowdfunding_target is not None and crowdfunding_target <= 0:
        errors["crowdfunding_target"] = _("众筹目标必须大于 0。")
    if budget is not None and budget < 0:
        errors["budget"] = _("预算不能为负数。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_project(
    *, by, title: str, category: Category, grid_node, capacity: int = 1, needs=(), publish: bool = False, **fields
) -> Project:
    _require_admin_in_scope(by, grid_node)
    if not title.strip():
        raise ValidationError({"title": _("请填写项目名称。")})
    _require_not_past(fields.get("deadline"), "deadline", _("认领截止日期不能早于今天。"))
    _validate_project_fields(
        capacity=capacity, crowdfunding_target=fields.get("crowdfunding_target"), budget=fields.get("budget")
    )
    if fields.get("allows_individuals") and (fields.get("individual_capacity") or 0) < 1:
        raise ValidationError({"individual_capacity": _("个人可认领的项目至少要有 1 个个人名额。")})
    if any(need.status in Need.UNREVIEWED_STATUSES for need in needs):
        raise ValidationError({"needs": _("还没有审核通过的单位需求不能转为项目。")})
    project = Project(
        title=title.strip(), category=category, grid_node=grid_node, capacity=capacity, created_by=by, **fields
    )
    project.save()
    if needs:
        project.needs.set(needs)
        for need in Need.objects.filter(pk__in=[n.pk for n in needs]).order_by("pk"):
            take_into_project(need, by=by)
    if publish:
        publish_project(by=by, project=project)
    return project


@transaction.atomic
def create_project_from_matter(*, by, matter, category: Category | None = None) -> Project:
    """Hand a resolved matter of the joint committee on as a draft project in the committee's grid node."""
    matter = lock(matter)  # one hand-on at a time: the second finds the first one's project
    _require_admin_in_scope(by, matter.committee.grid_node)
    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError(_("只有已议决的议题才能转为项目。"))
    if Project.objects.filter(matter=matter).exists():
        raise ValidationError(_("该议题已转为项目，不能重复转交。"))
    source = matter.source if matter.source_type_id else None
    need = source if isinstance(source, Need) else None
    if category is None:
        category = (
            need.category if need else Category.objects.filter(parent__isnull=True).order_by("sort_order").first()
        )
    if category is None:
        raise ValidationError(_("尚未设置任何项目类别，请先在后台添加类别。"))
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
        take_into_project(need, by=by)
    return project


@transaction.atomic
def publish_project(*, by, project: Project) -> Project:
    _require_admin_in_scope(by, project)
    current = lock(project)
    if current.status == Project.Status.PUBLISHED:
        return current
    if current.status == Project.Status.DRAFT and current.deadline and current.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("认领截止日期已过，请先修改截止日期。")})
    return PUBLISH.run(project, by=by)


@transaction.atomic
def complete_project(*, by, project: Project) -> Project:
    """Staff confirm the project is done; its running claims complete with it."""
    _require_admin_in_scope(by, project)
    current = lock(project)
    if current.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
        return current
    now = timezone.now()
    project = COMPLETE.run(project, by=by, now=now)
    # Each running claim completes as if completed on its own: stamped, in its history, its event sent.
    running = Claim.objects.filter(project=project, status__in=[Claim.Status.APPROVED, Claim.Status.IN_PROGRESS])
    for claim in running.order_by("pk"):
        _complete_claim(claim, by=by, now=now)
    for need in project.needs.filter(status=Need.Status.IN_PROJECT).order_by("pk"):
        _close_need(need, by=by, fulfilled=True, now=now)
    return project


@transaction.atomic
def cancel_project(*, by, project: Project) -> Project:
    _require_admin_in_scope(by, project)
    return CANCEL.run(project, by=by)
