"""Sweeps run by the beat schedule. Each selects by the rows' current state and sends through
notify(), whose unique (recipient, key) makes a rerun or a retry send nothing twice.

A reminder's whole purpose is its notice, so these call notify directly; an overdue issue goes up
through ``escalate_issue``, whose event brings the notice (services.handlers).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.core.notifications import notify_many
from members.models import User
from services import selectors
from services.actions._common import _now
from services.actions.issues import escalate_issue
from services.deadlines import issue_deadline, order_deadline
from services.models import Activity, Issue, Order, OrderEvent, ServiceSettings
from services.stored import stored
from services.workdays import add_working_days

# Rows per sweep batch: each order/issue costs ~4 queries, so 500 keep one run well under a minute.
SWEEP_BATCH = 500


def remind_unaccepted_orders(*, now=None) -> dict:
    """Orders nobody accepted in time: remind the units offered them, later escalate to the community admin."""
    now = _now(now)
    conf = ServiceSettings.load()
    first = min(conf.order_remind_days, conf.order_escalate_days)
    # Working days are never fewer than calendar days, so this prefilter never misses a due order.
    due = (
        Order.objects.filter(status=Order.Status.SUBMITTED, submitted_at__lte=now - datetime.timedelta(days=first))
        .select_related("menu_item", "category", "grid_node", "resident")
        .order_by("pk")
    )
    sent = {"reminded": 0, "escalated": 0}
    last_pk = 0
    while True:
        batch = list(due.filter(pk__gt=last_pk)[:SWEEP_BATCH])
        if not batch:
            return sent
        for order in batch:
            last_pk = order.pk
            with transaction.atomic():
                deadline = order_deadline(order, conf=conf)  # submitted: the time to accept
                if deadline is not None and deadline <= now:
                    unit_ids = selectors.units_offered(order)
                    operators = User.objects.filter(role=User.Role.UNIT_OPERATOR, unit_id__in=unit_ids, is_active=True)
                    n = notify_many(
                        recipients=operators,
                        key=f"order:{order.pk}:remind",
                        title=stored("居民点单“%(title)s”待接单，请尽快处理", title=order.title),
                        url="/workspace/services/orders/",
                    )
                    if n:
                        sent["reminded"] += n
                        order.record_timeline(
                            OrderEvent.Kind.REMINDED,
                            by=None,
                            at=now,
                            note=stored("提醒%(count)s家单位", count=len(unit_ids)),
                        )
                if add_working_days(order.submitted_at, conf.order_escalate_days) <= now:
                    ids = order.grid_node.ancestor_ids
                    admins = User.objects.filter(
                        role=User.Role.COMMUNITY_ADMIN, grid_node_id=ids[1] if len(ids) > 1 else ids[0], is_active=True
                    )
                    n = notify_many(
                        recipients=admins,
                        key=f"order:{order.pk}:escalate",
                        title=stored("居民点单“%(title)s”超时无人接单，请社区协调", title=order.title),
                        url=f"/admin/services/order/{order.pk}/change/",
                    )
                    if n:
                        sent["escalated"] += n
                        order.record_timeline(OrderEvent.Kind.ESCALATED, by=None, at=now, note=stored("超时上报社区"))


def remind_unconfirmed_deliveries(*, now=None) -> int:
    """Orders a unit marked served that the community has not confirmed in time: remind the grid's staff once.

    Same limit as an unaccepted order's reminder (``order_remind_days`` working days after serving).
    """
    now = _now(now)
    conf = ServiceSettings.load()
    due = (
        Order.objects.filter(
            status=Order.Status.SERVED, served_at__lte=now - datetime.timedelta(days=conf.order_remind_days)
        )
        .select_related("menu_item", "grid_node")
        .order_by("pk")
    )
    sent = 0
    for order in due.iterator(chunk_size=SWEEP_BATCH):
        deadline = order_deadline(order, conf=conf)
        if deadline is None or deadline > now:
            continue
        with transaction.atomic():
            n = notify_many(
                recipients=selectors.community_confirmers(order),
                key=f"order:{order.pk}:confirm-remind",
                title=stored("居民点单“%(title)s”已服务多日，请尽快确认送达", title=order.title),
                url="/workspace/services/orders/?status=served",
            )
            if n:
                sent += n
                order.record_timeline(OrderEvent.Kind.REMINDED, by=None, at=now, note=stored("提醒社区确认送达"))
    return sent


def escalate_overdue_issues(*, now=None) -> int:
    """Issues left at a step longer than its limit go up one level (once per level: the step restarts)."""
    now = _now(now)
    conf = ServiceSettings.load()
    escalated = 0
    for status in (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING):
        limit = conf.issue_limit(status)
        due = Issue.objects.filter(
            status=status,
            level__lt=Issue.Level.DEPARTMENT,
            step_started_at__lte=now - datetime.timedelta(days=limit),
        ).order_by("pk")
        for issue in due.iterator(chunk_size=SWEEP_BATCH):
            deadline = issue_deadline(issue, conf=conf)
            if deadline is None or deadline > now:
                continue
            label = Issue.Status(status).label
            try:
                escalate_issue(
                    by=None,
                    issue=issue,
                    reason=stored("%(step)s环节超过%(limit)s个工作日未办结，自动上报", step=label, limit=limit),
                    now=now,
                    automatic=True,
                )
            except ValidationError:
                continue  # moved on meanwhile
            escalated += 1
    return escalated


def remind_activities_day_before(*, now=None) -> int:
    """Tomorrow's activities: remind everyone signed up (once per activity and person)."""
    now = _now(now)
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    sent = 0
    activities = Activity.objects.filter(
        status=Activity.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    for activity in activities:
        sent += notify_many(
            recipients=selectors.signed_up_people(activity),
            key=f"activity:{activity.pk}:remind",
            title=stored(
                "明天%(time)s：%(title)s", time=f"{timezone.localtime(activity.starts_at):%H:%M}", title=activity.title
            ),
            body=stored("地点：%(place)s", place=activity.place),
            url=f"/services/activities/{activity.pk}/",
        )
    return sent
