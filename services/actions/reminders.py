"""Sweeps run by the beat schedule. Each selects by the rows' current state and sends through
notify(), whose unique (recipient, key) makes a rerun or a retry send nothing twice. So their commits do not wait
for the disk (``commits_not_awaited``, alliance.core.commits): what a crash of the database loses, the next run
sends, once.

A reminder's whole purpose is its notice, so these call notify directly; an overdue issue goes up
through ``escalate_issue``, whose event brings the notice (services.handlers).
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliance.core.commits import commits_not_awaited
from alliance.core.notifications import notify_many
from members.models import User
from members.selectors import unit_operators_of
from services import selectors
from services.actions._common import _now
from services.actions.issues import escalate_issue
from services.deadlines import issue_deadline, order_deadline, overdue_q
from services.models import Activity, Issue, Order, OrderEvent, ServiceSettings
from services.stored import stored
from services.workdays import WorkCalendar, add_working_days

# Rows per sweep batch: each order/issue costs ~4 queries, so 500 keep one run well under a minute.
SWEEP_BATCH = 500
# Orders per chunk task of the order sweeps (services/tasks.py): a chunk reads its orders, offers and recipients
# in ~5 queries, then costs ~3 queries per order plus ~4 per notice, a few seconds of one worker process. Small
# enough that every worker process gets a share of a sweep (and a killed worker redoes little), large enough
# that the dispatch (one message per chunk) stays a fraction of the work.
SWEEP_CHUNK = 200


def _clock(now) -> tuple[datetime.datetime, ServiceSettings, WorkCalendar]:
    # The whole holiday calendar (a few dozen rows a year), read once for every order of a sweep or chunk.
    return _now(now), ServiceSettings.load(), WorkCalendar(datetime.date.min, datetime.date.max)


def chunks(ids: list[int], size: int | None = None) -> list[list[int]]:
    size = size or SWEEP_CHUNK  # read when called: a test may make the chunks small
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def due_unaccepted_orders(*, now=None) -> list[int]:
    """Ids of the submitted orders past their first limit (remind or escalate), in id order.

    One query on the (status, submitted_at) index: the working-day limit as ranges of ``submitted_at``."""
    now, conf, calendar = _clock(now)
    first = min(conf.order_remind_days, conf.order_escalate_days)
    due = Order.objects.filter(Q(status=Order.Status.SUBMITTED) & overdue_q("submitted_at", first, now, calendar))
    return list(due.order_by("pk").values_list("pk", flat=True))


@commits_not_awaited()
def remind_unaccepted_orders(*, now=None, ids: list[int] | None = None) -> dict:
    """Orders nobody accepted in time: remind the units offered them, later escalate to the community admin.

    ``ids`` limits the sweep to those orders (one chunk of the job: services.remind_unaccepted_orders_chunk);
    each is checked again by its current state, so a chunk run twice, or beside another, sends nothing twice."""
    now, conf, calendar = _clock(now)
    ids = due_unaccepted_orders(now=now) if ids is None else sorted(ids)
    sent = {"reminded": 0, "escalated": 0}
    for batch in chunks(ids, SWEEP_BATCH):
        _remind_unaccepted_batch(batch, now=now, conf=conf, calendar=calendar, sent=sent)
    return sent


def _by(rows, attr: str) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attr)].append(row)
    return grouped


def _remind_unaccepted_batch(ids, *, now, conf, calendar, sent: dict) -> None:
    """The orders of ``ids`` still submitted: their offers and recipients read at once, then one transaction each."""
    orders = list(
        Order.objects.filter(pk__in=ids, status=Order.Status.SUBMITTED)
        .select_related("menu_item", "category", "grid_node")
        .order_by("pk")
    )
    offered = selectors.units_offered_many(orders)
    # Recipients in id order, so two runs on one order insert its notices in the same order (no deadlock).
    operators = _by(unit_operators_of({u for units in offered.values() for u in units}), "unit_id")
    communities = {order.pk: _community_id(order) for order in orders}
    admins = _by(
        User.objects.filter(
            role=User.Role.COMMUNITY_ADMIN, grid_node_id__in=set(communities.values()), is_active=True
        ).order_by("pk"),
        "grid_node_id",
    )
    for order in orders:
        with transaction.atomic():
            deadline = order_deadline(order, conf=conf, calendar=calendar)  # submitted: the time to accept
            if deadline is not None and deadline <= now:
                unit_ids = offered[order.pk]
                n = notify_many(
                    recipients=[op for unit_id in unit_ids for op in operators.get(unit_id, ())],
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
            if add_working_days(order.submitted_at, conf.order_escalate_days, calendar) <= now:
                n = notify_many(
                    recipients=admins.get(communities[order.pk], ()),
                    key=f"order:{order.pk}:escalate",
                    title=stored("居民点单“%(title)s”超时无人接单，请社区协调", title=order.title),
                    url=f"/admin/services/order/{order.pk}/change/",
                )
                if n:
                    sent["escalated"] += n
                    order.record_timeline(OrderEvent.Kind.ESCALATED, by=None, at=now, note=stored("超时上报社区"))


def _community_id(order: Order) -> int:
    ids = order.grid_node.ancestor_ids
    return ids[1] if len(ids) > 1 else ids[0]


def due_unconfirmed_deliveries(*, now=None) -> list[int]:
    """Ids of the served orders past their limit for the community's confirmation (one indexed query)."""
    now, conf, calendar = _clock(now)
    due = Order.objects.filter(
        Q(status=Order.Status.SERVED) & overdue_q("served_at", conf.order_remind_days, now, calendar)
    )
    return list(due.order_by("pk").values_list("pk", flat=True))


@commits_not_awaited()
def remind_unconfirmed_deliveries(*, now=None, ids: list[int] | None = None) -> int:
    """Orders a unit marked served that the community has not confirmed in time: remind the grid's staff once.

    Same limit as an unaccepted order's reminder (``order_remind_days`` working days after serving); ``ids``
    limits it to those orders (a chunk), each checked again by its current state.
    """
    now, conf, calendar = _clock(now)
    ids = due_unconfirmed_deliveries(now=now) if ids is None else sorted(ids)
    sent = 0
    for batch in chunks(ids, SWEEP_BATCH):
        orders = Order.objects.filter(pk__in=batch, status=Order.Status.SERVED).select_related("grid_node")
        for order in orders.order_by("pk"):
            deadline = order_deadline(order, conf=conf, calendar=calendar)
            if deadline is None or deadline > now:
                continue
            with transaction.atomic():
                n = notify_many(
                    recipients=selectors.community_confirmers(order).order_by("pk"),
                    key=f"order:{order.pk}:confirm-remind",
                    title=stored("居民点单“%(title)s”已服务多日，请尽快确认送达", title=order.title),
                    url="/workspace/services/orders/?status=served",
                )
                if n:
                    sent += n
                    order.record_timeline(OrderEvent.Kind.REMINDED, by=None, at=now, note=stored("提醒社区确认送达"))
    return sent


@commits_not_awaited()
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


@commits_not_awaited()
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
