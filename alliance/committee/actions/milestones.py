"""The milestones of a resolved matter's follow-up (落实节点) and their supervision (督办): added and edited by
the committee's managers with an owner and a due date, marked done, and an overdue one reminded once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.committee.actions._common import current_seats, require_manager
from alliance.committee.models import Committee, Matter, Milestone, Seat
from alliance.committee.selectors import overdue_q
from alliance.core.notifications import notify_many
from alliance.core.transitions import lock, transition


def _check_owner(owner) -> None:
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": _("负责人的账号已停用，请另选负责人。")})


@transaction.atomic
def add_milestone(
    *, by, matter: Matter, title: str, due_on: datetime.date | None = None, owner=None, owner_unit=None
) -> Milestone:
    """A new milestone of a resolved matter, with its owner (a person, optionally their unit) and due date."""
    require_manager(by, matter.committee)
    matter = lock(matter)
    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError(_("只有已议决的议题才能设置落实节点。"))
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写节点名称。")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("计划完成日期不能早于今天。")})
    _check_owner(owner)
    position = matter.milestones.count() + 1
    return Milestone.objects.create(
        matter=matter, title=title.strip(), due_on=due_on, sort_order=position, owner=owner, owner_unit=owner_unit
    )


EDITABLE = ("title", "due_on", "sort_order", "owner", "owner_unit")


@transaction.atomic
def edit_milestone(*, by, milestone: Milestone, **changes) -> Milestone:
    """A milestone's title, due date, order or owner changed by a manager. A new due date is a new
    deadline: the overdue reminder may be sent again when that one passes."""
    require_manager(by, milestone.matter.committee)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改：%(fields)s。") % {"fields": "、".join(sorted(unknown))})
    milestone = lock(milestone)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationError({"title": _("请填写节点名称。")})
    if "owner" in changes:
        _check_owner(changes["owner"])
    fields = [name for name, value in changes.items() if getattr(milestone, name) != value]
    if "due_on" in fields:
        due_on = changes["due_on"]
        if due_on is not None and due_on < timezone.localdate() and milestone.done_on is None:
            raise ValidationError({"due_on": _("计划完成日期不能早于今天。")})
        milestone.reminded_at = None
        fields.append("reminded_at")
    for name in fields:
        if name != "reminded_at":
            setattr(milestone, name, changes[name])
    if fields:
        milestone._history_user = by  # type: ignore[attr-defined]  # the history row names the editor
        milestone.save(update_fields=fields)
    return milestone


@transaction.atomic
def complete_milestone(*, by, milestone: Milestone, on: datetime.date | None = None) -> Milestone:
    """A milestone done on a day, stamped with who registered it and when (once: a second completion
    changes nothing)."""
    require_manager(by, milestone.matter.committee)
    milestone = lock(milestone)  # completing twice changes nothing: decided on the locked row
    if milestone.done_on is not None:
        return milestone
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"done_on": _("实际完成日期不能晚于今天。")})
    return transition(
        milestone,
        state_field="done_on",
        to=on,
        sources=(None,),
        by=by,
        stamp="done",
        refused=_("该落实节点已完成。"),
    )


def secretaries(committee: Committee, today: datetime.date) -> list:
    """The committee's secretary (书记, ``Seat.Role.SECRETARY``) in office today, with an active account."""
    seats = current_seats(committee, today).filter(role=Seat.Role.SECRETARY, user__is_active=True)
    return [seat.user for seat in seats.select_related("user").order_by("sort_order", "id")]


def remind_overdue_milestone(*, milestone_id: int, today: datetime.date | None = None) -> int:
    """The overdue reminder of one milestone to its owner and the committee's secretary, once: the row is
    locked and stamped (``reminded_at``) in the transaction that writes the notifications, so of two workers
    the second finds it stamped (and each notification's unique key holds even so). Returns how many were sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("matter__committee", "owner")
            .filter(overdue_q(today), pk=milestone_id, reminded_at__isnull=True)
            .first()
        )
        if milestone is None:  # done, not due, or reminded already (by this run's twin)
            return 0
        matter = milestone.matter
        recipients = [u for u in [milestone.owner] if u is not None and u.is_active]
        recipients += secretaries(matter.committee, today)
        if not recipients:
            return 0  # nobody to tell yet: left unstamped, reminded once it has an owner or the committee a secretary
        days = milestone.days_late(today)
        sent = notify_many(
            recipients=recipients,
            key=f"milestone:{milestone.pk}:overdue:{milestone.due_on:%Y%m%d}",
            title=ngettext(
                "督办：落实节点“%(title)s”已逾期%(days)s天", "督办：落实节点“%(title)s”已逾期%(days)s天", days
            )
            % {"title": milestone.title, "days": days},
            body=_(
                "%(committee)s议决的议题“%(matter)s”，落实节点“%(milestone)s”"
                "计划于%(due)s完成，至今未完成，请抓紧落实并登记完成。"
            )
            % {
                "committee": matter.committee.name,
                "matter": matter.title,
                "milestone": milestone.title,
                "due": date_format(milestone.due_on, _("Y年m月d日")) if milestone.due_on else "",
            },
            url=reverse("alliance:matter", args=[matter.pk]),
        )
        milestone.reminded_at = timezone.now()
        milestone.save(update_fields=["reminded_at"])
        return sent


def remind_overdue_milestones(*, today: datetime.date | None = None) -> int:
    """The daily 督办 sweep: every overdue milestone not reminded yet, one by one (each in its own transaction)."""
    today = today or timezone.localdate()
    ids = Milestone.objects.filter(overdue_q(today), reminded_at__isnull=True).order_by("pk")
    return sum(remind_overdue_milestone(milestone_id=pk, today=today) for pk in ids.values_list("pk", flat=True))
