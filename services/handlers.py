"""What services do when their own events are heard (alliance.core.events): the notices of each step.

Each receiver runs after the action's transaction committed, in its own transaction; ``notify`` keys
are unique per recipient, so a receiver run twice sends nothing twice.
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


def _tell(recipients, instance, step: str, title: str, url: str, body: str = "") -> None:
    """One notice of a step of ``instance`` to each of ``recipients``, keyed ``<model>:<pk>:<step>``."""
    key = f"{instance._meta.model_name}:{instance.pk}:{step}"
    notify_many(recipients=recipients, key=key, title=title, body=body, url=url)


@events.receiver(service_events.order_submitted)
def dispatch_order(instance, by=None, **kwargs):
    """派单: a new order goes at once to who takes it (selectors.order_dispatch), by their own channels."""
    order = instance
    who = resident_call(order.resident, order.contact_phone)
    if order.menu_item_id:
        title = f"新的点单：{who}预约了“{order.menu_item.title}”"
        body = ""
    else:
        title = f"新的点单：{who}需要“{order.category.name}”服务"
        body = f"需求：{order.title}。"
    if order.wanted_on:
        body += f"期望日期：{order.wanted_on.month}月{order.wanted_on.day}日。"
    deadline = order_deadline(order)
    if deadline is not None:
        body += f"请于{moment(deadline)}前接单。" if order.menu_item_id else f"请于{moment(deadline)}前协调接单。"
    for recipients, url in selectors.order_dispatch(order):
        _tell([r for r in recipients if r.pk != order.resident_id], order, "submitted", title, url, body)


@events.receiver(service_events.order_declined)
def reoffer_declined_order(instance, by=None, **kwargs):
    """A unit declined: the order goes to the other units that serve its category there, once to each."""
    order = instance
    who = resident_call(order.resident, order.contact_phone)
    title = f"新的点单：{who}需要“{order.category.name}”服务"
    body = f"需求：{order.title}。原服务单位无法提供，现向同类服务单位开放接单。"
    recipients = selectors.reoffer_dispatch(order, getattr(by, "unit_id", None))
    _tell(recipients, order, "offered", title, reverse("services_ws:orders"), body)


@events.receiver(service_events.issue_reported)
def dispatch_issue(instance, by=None, **kwargs):
    """派单: a new issue goes at once to the grid worker of its micro-grid (selectors.issue_dispatch)."""
    issue = instance
    who = resident_call(issue.reporter, issue.contact_phone)
    title = f"新的居民说事：{who}反映“{issue.title}”"
    body = f"地点：{issue.grid_node.name}{('，' + issue.location) if issue.location else ''}。"
    deadline = issue_deadline(issue)
    if deadline is not None:
        body += f"请于{moment(deadline)}前处理。"
    url = reverse("services_ws:issue", args=[issue.pk])
    # Whoever reported it (a grid worker recording a visit) knows already.
    recipients = [r for r in selectors.issue_dispatch(issue) if r.pk != issue.reporter_id]
    _tell(recipients, issue, "reported", title, url, body)


@events.receiver(service_events.order_accepted)
def tell_resident_order_accepted(instance, **kwargs):
    provider = instance.unit.name if instance.unit_id else instance.menu_item.provider_name
    title = f"您的点单“{instance.title}”已被{provider}接单"
    _tell([instance.resident], instance, "accepted", title, url=f"/services/orders/{instance.pk}/")


@events.receiver(service_events.order_served)
def ask_community_to_confirm(instance, **kwargs):
    title = f"居民点单“{instance.title}”已服务，请确认送达"
    _tell(
        selectors.community_confirmers(instance), instance, "served", title, "/workspace/services/orders/?status=served"
    )


@events.receiver(service_events.order_delivered)
def ask_resident_to_rate(instance, **kwargs):
    title = f"您的点单“{instance.title}”已送达，请评价"
    _tell([instance.resident], instance, "delivered", title, url=f"/services/orders/{instance.pk}/")


@events.receiver(service_events.issue_moved)
def ask_reporter_to_rate(instance, text="", **kwargs):
    if instance.status == Issue.Status.FEEDBACK:
        title = f"您反映的“{instance.title}”已有处理结果，请评价"
        step = f"feedback:{int(instance.reopened)}"
        _tell([instance.reporter], instance, step, title, url=f"/services/issues/{instance.pk}/", body=text)


@events.receiver(service_events.issue_moved)
def tell_me_too_people(instance, **kwargs):
    """Who said “同样遇到” hears when the result is given (once per round: a reopened issue tells them again).
    The reply itself is the reporter's: it may name them, so the notice only points to the public page."""
    if instance.status == Issue.Status.FEEDBACK:
        title = f"您也遇到的“{instance.title}”已有处理结果"
        url = reverse("services:board_issue", args=[instance.pk]) if instance.is_public else ""
        step = f"me_too:{int(instance.reopened)}"
        _tell(selectors.me_too_people(instance), instance, step, title, url)


@events.receiver(service_events.issue_taken_down)
def tell_reporter_taken_down(instance, **kwargs):
    """The reporter hears why their issue left the board; it is still handled as before."""
    title = f"您公开的“{instance.title}”已撤下说事墙"
    body = f"原因：{instance.takedown_reason.rstrip('。')}。事项照常办理。"
    _tell([instance.reporter], instance, "taken_down", title, reverse("services:issue", args=[instance.pk]), body)


@events.receiver(service_events.issue_escalated)
def tell_next_level(instance, reason="", **kwargs):
    title = f"事项“{instance.title}”已上报至{Issue.Level(instance.level).label}办理"
    url = f"/workspace/services/issues/{instance.pk}/"
    _tell(selectors.escalation_recipients(instance), instance, f"escalate:{instance.level}", title, url, body=reason)


@events.receiver(service_events.issue_rated)
def tell_handler_issue_reopened(instance, **kwargs):
    # A rating of 1–2 stars sends the issue back to handling (once): its handler hears why.
    if instance.status == Issue.Status.HANDLING and instance.handler_id:
        title = f"居民对“{instance.title}”不满意，事项已退回重办"
        url = f"/workspace/services/issues/{instance.pk}/"
        _tell([instance.handler], instance, "reopened", title, url, body=instance.rating_comment)


@events.receiver(service_events.activity_cancelled)
def tell_participants_activity_cancelled(instance, reason="", **kwargs):
    title = f"活动“{instance.title}”已取消"
    url = f"/services/activities/{instance.pk}/"
    _tell(selectors.signed_up_people(instance), instance, "cancelled", title, url, body=f"取消原因：{reason}")


def _booking_when(booking) -> str:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    return f"{start:%m月%d日 %H:%M}–{end:%H:%M}"


@events.receiver(service_events.booking_confirmed)
def tell_resident_booking_confirmed(instance, **kwargs):
    title = f"您预约的“{instance.room.name}”已确认"
    body = f"{_booking_when(instance)}，用途：{instance.purpose}。请按时使用。"
    _tell([instance.booked_by], instance, "confirmed", title, url="/services/bookings/", body=body)


@events.receiver(service_events.booking_declined)
def tell_resident_booking_declined(instance, **kwargs):
    title = f"您预约的“{instance.room.name}”未通过"
    body = f"{_booking_when(instance)}。原因：{instance.decline_reason}"
    _tell([instance.booked_by], instance, "declined", title, url="/services/bookings/", body=body)
