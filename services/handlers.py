"""What services do when their own events are heard (alliance.core.events): the notices of each step.

Each receiver runs after the action's transaction committed, in its own transaction; ``notify`` keys
are unique per recipient, so a receiver run twice sends nothing twice.
"""

from alliance.core import events
from alliance.core.notifications import notify, notify_many
from services import events as service_events
from services import selectors
from services.models import Issue


@events.receiver(service_events.order_accepted)
def tell_resident_order_accepted(instance, **kwargs):
    provider = instance.unit.name if instance.unit_id else instance.menu_item.provider_name
    notify(
        recipient=instance.resident,
        key=f"order:{instance.pk}:accepted",
        title=f"您的点单“{instance.title}”已被{provider}接单",
        url=f"/services/orders/{instance.pk}/",
    )


@events.receiver(service_events.order_served)
def ask_community_to_confirm(instance, **kwargs):
    notify_many(
        recipients=selectors.community_confirmers(instance),
        key=f"order:{instance.pk}:served",
        title=f"居民点单“{instance.title}”已服务，请确认送达",
        url="/workspace/services/orders/?status=served",
    )


@events.receiver(service_events.order_delivered)
def ask_resident_to_rate(instance, **kwargs):
    notify(
        recipient=instance.resident,
        key=f"order:{instance.pk}:delivered",
        title=f"您的点单“{instance.title}”已送达，请评价",
        url=f"/services/orders/{instance.pk}/",
    )


@events.receiver(service_events.issue_moved)
def ask_reporter_to_rate(instance, text="", **kwargs):
    if instance.status != Issue.Status.FEEDBACK:
        return
    notify(
        recipient=instance.reporter,
        key=f"issue:{instance.pk}:feedback:{int(instance.reopened)}",
        title=f"您反映的“{instance.title}”已有处理结果,请评价",
        body=text,
        url=f"/services/issues/{instance.pk}/",
    )


@events.receiver(service_events.issue_escalated)
def tell_next_level(instance, reason="", **kwargs):
    notify_many(
        recipients=selectors.escalation_recipients(instance),
        key=f"issue:{instance.pk}:escalate:{instance.level}",
        title=f"事项“{instance.title}”已上报至{Issue.Level(instance.level).label}办理",
        body=reason,
        url=f"/workspace/services/issues/{instance.pk}/",
    )


@events.receiver(service_events.issue_rated)
def tell_handler_issue_reopened(instance, **kwargs):
    # A rating of 1–2 stars sends the issue back to handling (once): its handler hears why.
    if instance.status != Issue.Status.HANDLING or not instance.handler_id:
        return
    notify(
        recipient=instance.handler,
        key=f"issue:{instance.pk}:reopened",
        title=f"居民对“{instance.title}”不满意,事项已退回重办",
        body=instance.rating_comment,
        url=f"/workspace/services/issues/{instance.pk}/",
    )


@events.receiver(service_events.activity_cancelled)
def tell_participants_activity_cancelled(instance, reason="", **kwargs):
    notify_many(
        recipients=selectors.signed_up_people(instance),
        key=f"activity:{instance.pk}:cancelled",
        title=f"活动“{instance.title}”已取消",
        body=f"取消原因:{reason}",
        url=f"/services/activities/{instance.pk}/",
    )
