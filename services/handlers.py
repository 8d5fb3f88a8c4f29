"""What services do when their own events are heard (alliance.core.events): the notices of each step.

Each receiver runs after the action's transaction committed, in its own transaction; ``notify`` keys
are unique per recipient, so a receiver run twice sends nothing twice.
"""

from alliance.core import events
from alliance.core.notifications import notify_many
from services import events as service_events
from services import selectors
from services.models import Issue


def _tell(recipients, instance, step: str, title: str, url: str, body: str = "") -> None:
    """One notice of a step of ``instance`` to each of ``recipients``, keyed ``<model>:<pk>:<step>``."""
    key = f"{instance._meta.model_name}:{instance.pk}:{step}"
    notify_many(recipients=recipients, key=key, title=title, body=body, url=url)


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
