"""What services do when their own events are heard (alliance.core.events): the notices of each step.

Each receiver runs after the action's transaction committed, in its own transaction; ``notify`` keys
are unique per recipient, so a receiver run twice sends nothing twice. The dispatch of a new order or issue
(派单: a notice to each handler, with its deliveries) runs in the worker (``in_worker``, alliance.core.events),
so the resident's request ends at its commit; it runs in the request when the broker is down.
"""

from django.urls import reverse
from django.utils import timezone

from alliance.core import events
from alliance.core.notifications import notify_many
from alliance.core.waiting import moment
from members.selectors import resident_call
from services import events as service_events
from services import selectors
from services.deadlines import issue_deadline, order_deadline
from services.models import Issue
from services.stored import stored


def _tell(recipients, instance, step: str, title: str, url: str, body: str = "") -> None:
    """One notice of a step of ``instance`` to each of ``recipients``, keyed ``<model>:<pk>:<step>``."""
    key = f"{instance._meta.model_name}:{instance.pk}:{step}"
    notify_many(recipients=recipients, key=key, title=title, body=body, url=url)


@events.receiver(service_events.order_submitted, in_worker=True)
def dispatch_order(instance, by=None, **kwargs):
    """派单: a new order goes at once to who takes it (selectors.order_dispatch), by their own channels."""
    order = instance
    who = resident_call(order.resident, order.contact_phone)
    if order.menu_item_id:
        title = stored("新的点单：%(who)s预约了“%(item)s”", who=who, item=order.menu_item.title)
        body = ""
    else:
        title = stored("新的点单：%(who)s需要“%(category)s”服务", who=who, category=order.category.name)
        body = stored("需求：%(need)s。", need=order.title)
    if order.wanted_on:
        body += stored("期望日期：%(month)s月%(day)s日。", month=order.wanted_on.month, day=order.wanted_on.day)
    deadline = order_deadline(order)
    if deadline is not None:
        body += stored(
            "请于%(deadline)s前接单。" if order.menu_item_id else "请于%(deadline)s前协调接单。",
            deadline=moment(deadline),
        )
    for recipients, url in selectors.order_dispatch(order):
        _tell([r for r in recipients if r.pk != order.resident_id], order, "submitted", title, url, body)


@events.receiver(service_events.order_declined)
def reoffer_declined_order(instance, by=None, **kwargs):
    """A unit declined: the order goes to the other units that serve its category there, once to each."""
    order = instance
    who = resident_call(order.resident, order.contact_phone)
    title = stored("新的点单：%(who)s需要“%(category)s”服务", who=who, category=order.category.name)
    body = stored("需求：%(need)s。", need=order.title) + stored("原服务单位无法提供，现向同类服务单位开放接单。")
    recipients = selectors.reoffer_dispatch(order, getattr(by, "unit_id", None))
    _tell(recipients, order, "offered", title, reverse("services_ws:orders"), body)


@events.receiver(service_events.issue_reported, in_worker=True)
def dispatch_issue(instance, by=None, **kwargs):
    """派单: a new issue goes at once to the grid worker of its micro-grid (selectors.issue_dispatch)."""
    issue = instance
    who = resident_call(issue.reporter, issue.contact_phone)
    title = stored("新的居民说事：%(who)s反映“%(title)s”", who=who, title=issue.title)
    body = stored("地点：%(place)s。", place=issue.grid_node.name + (f"，{issue.location}" if issue.location else ""))
    deadline = issue_deadline(issue)
    if deadline is not None:
        body += stored("请于%(deadline)s前处理。", deadline=moment(deadline))
    url = reverse("services_ws:issue", args=[issue.pk])
    # Whoever reported it (a grid worker recording a visit) knows already.
    recipients = [r for r in selectors.issue_dispatch(issue) if r.pk != issue.reporter_id]
    _tell(recipients, issue, "reported", title, url, body)


@events.receiver(service_events.order_accepted)
def tell_resident_order_accepted(instance, **kwargs):
    provider = instance.unit.name if instance.unit_id else instance.menu_item.provider_name
    title = stored("您的点单“%(title)s”已被%(provider)s接单", title=instance.title, provider=provider)
    _tell([instance.resident], instance, "accepted", title, url=f"/services/orders/{instance.pk}/")


@events.receiver(service_events.order_served)
def ask_community_to_confirm(instance, **kwargs):
    title = stored("居民点单“%(title)s”已服务，请确认送达", title=instance.title)
    _tell(
        selectors.community_confirmers(instance), instance, "served", title, "/workspace/services/orders/?status=served"
    )


@events.receiver(service_events.order_delivered)
def ask_resident_to_rate(instance, **kwargs):
    title = stored("您的点单“%(title)s”已送达，请评价", title=instance.title)
    _tell([instance.resident], instance, "delivered", title, url=f"/services/orders/{instance.pk}/")


@events.receiver(service_events.issue_moved)
def ask_reporter_to_rate(instance, text="", **kwargs):
    if instance.status == Issue.Status.FEEDBACK:
        title = stored("您反映的“%(title)s”已有处理结果，请评价", title=instance.title)
        step = f"feedback:{int(instance.reopened)}"
        _tell([instance.reporter], instance, step, title, url=f"/services/issues/{instance.pk}/", body=text)


@events.receiver(service_events.issue_moved)
def tell_me_too_people(instance, **kwargs):
    """Who said “同样遇到” hears when the result is given (once per round: a reopened issue tells them again).
    The reply itself is the reporter's: it may name them, so the notice only points to the public page."""
    if instance.status == Issue.Status.FEEDBACK:
        title = stored("您也遇到的“%(title)s”已有处理结果", title=instance.title)
        url = reverse("services:board_issue", args=[instance.pk]) if instance.is_public else ""
        step = f"me_too:{int(instance.reopened)}"
        _tell(selectors.me_too_people(instance), instance, step, title, url)


@events.receiver(service_events.issue_taken_down)
def tell_reporter_taken_down(instance, **kwargs):
    """The reporter hears why their issue left the board; it is still handled as before."""
    title = stored("您公开的“%(title)s”已撤下说事墙", title=instance.title)
    body = stored("原因：%(reason)s。事项照常办理。", reason=instance.takedown_reason.rstrip("。"))
    _tell([instance.reporter], instance, "taken_down", title, reverse("services:issue", args=[instance.pk]), body)


@events.receiver(service_events.issue_escalated)
def tell_next_level(instance, reason="", **kwargs):
    title = stored(
        "事项“%(title)s”已上报至%(level)s办理", title=instance.title, level=Issue.Level(instance.level).label
    )
    url = f"/workspace/services/issues/{instance.pk}/"
    _tell(selectors.escalation_recipients(instance), instance, f"escalate:{instance.level}", title, url, body=reason)


@events.receiver(service_events.issue_rated)
def tell_handler_issue_reopened(instance, **kwargs):
    # A rating of 1–2 stars sends the issue back to handling (once): its handler hears why.
    if instance.status == Issue.Status.HANDLING and instance.handler_id:
        title = stored("居民对“%(title)s”不满意，事项已退回重办", title=instance.title)
        url = f"/workspace/services/issues/{instance.pk}/"
        _tell([instance.handler], instance, "reopened", title, url, body=instance.rating_comment)


@events.receiver(service_events.activity_cancelled)
def tell_participants_activity_cancelled(instance, reason="", **kwargs):
    title = stored("活动“%(title)s”已取消", title=instance.title)
    url = f"/services/activities/{instance.pk}/"
    _tell(
        selectors.signed_up_people(instance),
        instance,
        "cancelled",
        title,
        url,
        body=stored("取消原因：%(reason)s", reason=reason),
    )


def _booking_when(booking) -> str:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    return f"{start:%m}月{start:%d}日 {start:%H:%M}–{end:%H:%M}"


@events.receiver(service_events.booking_confirmed)
def tell_resident_booking_confirmed(instance, **kwargs):
    title = stored("您预约的“%(room)s”已确认", room=instance.room.name)
    body = stored("%(when)s，用途：%(purpose)s。请按时使用。", when=_booking_when(instance), purpose=instance.purpose)
    _tell([instance.booked_by], instance, "confirmed", title, url="/services/bookings/", body=body)


@events.receiver(service_events.booking_declined)
def tell_resident_booking_declined(instance, **kwargs):
    title = stored("您预约的“%(room)s”未通过", room=instance.room.name)
    body = stored("%(when)s。原因：%(reason)s", when=_booking_when(instance), reason=instance.decline_reason)
    _tell([instance.booked_by], instance, "declined", title, url="/services/bookings/", body=body)
