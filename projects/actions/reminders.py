"""Reminder jobs of the three lists (Celery beat, projects.tasks): they notify directly, once per key."""

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.notifications import notify_many
from members.models import MemberUnit
from projects.actions._common import unit_operators
from projects.deadlines import claim_deadline, waited_since
from projects.models import Category, Claim, ListSettings, Project, Resource


def remind_stale_claims(*, today: date | None = None) -> int:
    """Claims with no progress for N days: remind the unit, once per claim and period of N days."""
    cfg = ListSettings.get()
    now = timezone.now()
    n = cfg.no_progress_days
    sent = 0
    claims = Claim.objects.filter(status__in=[Claim.Status.APPROVED, Claim.Status.IN_PROGRESS]).select_related(
        "project", "unit", "person"
    )
    operators: dict[int | None, list] = {}
    for claim in claims.iterator(chunk_size=500):
        deadline = claim_deadline(claim, conf=cfg)
        if deadline is None or deadline > now:
            continue
        idle_days = (now - waited_since(claim)).days
        step = idle_days // n  # one reminder per period of N days without progress
        if claim.person_id:  # a person's claim: the person, on their own claim's page
            recipients, url = [claim.person], f"/lists/my-claims/{claim.pk}/"
        else:
            if claim.unit_id not in operators:
                operators[claim.unit_id] = unit_operators(claim.unit)
            recipients, url = operators[claim.unit_id], f"/workspace/lists/claims/{claim.pk}/"
        sent += notify_many(
            recipients=recipients,
            key=f"claim:{claim.pk}:no-progress:{step}",
            title=_("认领项目进展提醒"),
            body=_("“%(title)s”已 %(days)d 天没有填报进展，请及时更新。")
            % {"title": claim.project.title, "days": idle_days},
            url=url,
        )
    return sent


def remind_projects_near_deadline(*, today: date | None = None) -> int:
    """Published projects near their deadline with free places: tell the units that match them."""
    cfg = ListSettings.get()
    today = today or timezone.localdate()
    horizon = today + timedelta(days=cfg.deadline_days)
    projects = Project.objects.filter(
        status=Project.Status.PUBLISHED, deadline__gte=today, deadline__lte=horizon, active_claims__lt=F("capacity")
    ).prefetch_related("needs")
    sent = 0
    for project in projects:
        need_ids = [n.pk for n in project.needs.all()]
        units = MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE).exclude(claims__project=project)
        matched = units.filter(matches__need_id__in=need_ids) | units.filter(resources__matches__need_id__in=need_ids)
        same_root = units.filter(
            resources__category__in=Category.objects.filter(pk=project.category.root_id)
            | Category.objects.filter(parent_id=project.category.root_id),
            resources__status=Resource.Status.AVAILABLE,
            grid_node__path__startswith=project.grid_node.path.split("/")[0] + "/",
        )
        for unit in (matched | same_root).distinct():
            sent += notify_many(
                recipients=unit_operators(unit),
                key=f"project:{project.pk}:deadline",
                title=_("项目即将截止认领"),
                body=_("“%(title)s”将于 %(deadline)s 截止认领，还有 %(places)d 个名额。")
                % {"title": project.title, "deadline": project.deadline, "places": project.free_places},
                url=f"/lists/projects/{project.pk}/",
            )
    return sent
