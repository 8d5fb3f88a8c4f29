"""Receivers of domain events (alliance.core.events) in projects: the notifications that follow its own
actions, and a resolved matter of the joint committee handed on as a project."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee import events as committee_events
from alliance.core import events
from alliance.core.notifications import notify, notify_many
from projects import events as project_events
from projects import selectors
from projects.actions import create_project_from_matter, unit_operators
from projects.models import Claim, Match, Need, Project


def _notify_unit(claim: Claim, step: str, title: str, body: str) -> None:
    """The claimant told: the unit's operators, or the person who claimed."""
    key = f"claim:{claim.pk}:{step}"
    if claim.person_id:
        notify(
            recipient=claim.person, key=key, title=title, body=body, url=reverse("projects:my_claim", args=[claim.pk])
        )
        return
    url = f"/workspace/lists/claims/{claim.pk}/"
    notify_many(recipients=unit_operators(claim.unit), key=key, title=title, body=body, url=url)


@events.receiver(project_events.claim_submitted, in_worker=True)
def dispatch_claim(*, instance: Claim, **kwargs) -> None:
    """派单: a new claim goes at once to the admins who approve it."""
    project = instance.project
    notify_many(
        recipients=selectors.claim_approvers(instance),
        key=f"claim:{instance.pk}:submitted",
        title=(
            _("新的个人项目认领：%(claimant)s认领了“%(title)s”，请审核")
            if instance.person_id
            else _("新的项目认领：%(claimant)s认领了“%(title)s”，请审核")
        )
        % {"claimant": instance.claimant, "title": project.title},
        body=_("认领说明：%(note)s") % {"note": instance.note[:200]} if instance.note else "",
        url=reverse("admin:projects_claim_change", args=[instance.pk]),
    )


@events.receiver(project_events.claim_approved)
def tell_unit_claim_approved(*, instance: Claim, **kwargs) -> None:
    then = _("按约定参加服务并及时填报服务时长") if instance.person_id else _("按计划实施并及时填报进展")
    body = _("“%(title)s”认领已通过审核，请%(then)s。") % {"title": instance.project.title, "then": then}
    _notify_unit(instance, "approved", _("您的项目认领已通过"), body)


@events.receiver(project_events.claim_rejected)
def tell_unit_claim_rejected(*, instance: Claim, **kwargs) -> None:
    body = _("“%(title)s”认领未通过审核。") % {"title": instance.project.title} + instance.decision_note
    _notify_unit(instance, "rejected", _("您的项目认领未通过"), body)


@events.receiver(project_events.need_submitted)
def dispatch_unit_need(*, instance: Need, **kwargs) -> None:
    """派单: a unit's need goes at once to the admins who review it."""
    unit = instance.posted_by_unit
    notify_many(
        recipients=selectors.need_reviewers(instance),
        key=f"need:{instance.pk}:submitted:{instance.submitted_at:%Y%m%d%H%M%S}",
        title=_("新的单位需求：%(unit)s提出“%(title)s”，请审核")
        % {"unit": unit.name if unit else "", "title": instance.title},
        body=instance.description[:200],
        url=reverse("admin:projects_need_change", args=[instance.pk]),
    )


NEED_REVIEWED = {
    Need.Status.OPEN: (gettext_lazy("您的需求已通过审核"), gettext_lazy("“{title}”已审核通过，已在需求清单公开发布。")),
    Need.Status.RETURNED: (
        gettext_lazy("您的需求被退回修改"),
        gettext_lazy("“{title}”被退回：{note}。请修改后重新提交。"),
    ),
    Need.Status.DECLINED: (gettext_lazy("您的需求未被采纳"), gettext_lazy("“{title}”未被采纳：{note}。")),
}


@events.receiver(project_events.need_reviewed)
def tell_unit_need_reviewed(*, instance: Need, **kwargs) -> None:
    if instance.posted_by_unit is None or instance.status not in NEED_REVIEWED:
        return
    title, body = NEED_REVIEWED[instance.status]
    notify_many(
        recipients=unit_operators(instance.posted_by_unit),
        key=f"need:{instance.pk}:{instance.status}:{instance.reviewed_at:%Y%m%d%H%M%S}",
        title=str(title),
        body=body.format(title=instance.title, note=instance.review_note.rstrip("。")),
        url=reverse("projects_ws:needs"),
    )


@events.receiver(project_events.wish_fulfilled)
def tell_resident_wish_fulfilled(*, instance, **kwargs) -> None:
    notify(
        recipient=instance.resident,
        key=f"wish:{instance.pk}:fulfilled",
        title=_("您的微心愿已实现"),
        body=instance.title,
    )


@events.receiver(project_events.match_accepted)
def invite_matched(*, instance: Match, **kwargs) -> None:
    """The unit of an accepted suggestion (its resource's, or the suggested unit) or the party member is invited."""
    need, url = instance.need, f"/lists/needs/{instance.need_id}/"
    invited = instance.resource.unit if instance.kind == Match.Kind.RESOURCE else instance.unit
    if invited is not None:
        notify_many(
            recipients=unit_operators(invited),
            key=f"match:{instance.pk}:invite",
            title=_("社区邀请贵单位对接需求"),
            body=f"{need.grid_node.name}“{need.title}”：{instance.reasons_text}",
            url=url,
        )
    elif instance.kind == Match.Kind.MEMBER and instance.member.user_id:
        notify(
            recipient=instance.member.user,
            key=f"match:{instance.pk}:invite",
            title=_("社区邀请您参与志愿服务"),
            body=f"{need.grid_node.name}“{need.title}”",
            url=url,
        )


@events.receiver(committee_events.matter_handed_on)
def project_from_matter(*, instance, by, **kwargs) -> None:
    """A resolved matter handed on becomes a draft project, once (a second hand-on finds its project)."""
    if not Project.objects.filter(matter=instance).exists():
        create_project_from_matter(by=by, matter=instance)
