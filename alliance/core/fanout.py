"""Fan-out: one message to everybody of an area (a notice to a whole street, or to the whole district), in batches.

``broadcast`` records the job (``Broadcast``: the message, the audience and its area) once per key and enqueues
``core.start_broadcast`` after commit. The start (``start``) splits the audience by ranges of primary keys
(keyset: every ``batch_size``-th key is a boundary, one query) into ``BroadcastBatch`` rows and enqueues one task
per batch. A batch (``run_batch``) is one transaction: it locks its row, writes the inbox rows of its range with
one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` and the deliveries of exactly those rows with one
``INSERT … SELECT`` (both in one statement), and marks itself done. Nothing runs per person in Python.

Resumable: a batch committed is never redone (its done mark, and the unique (recipient, key) of the inbox
rows); a batch whose worker was killed rolled back and is redone, by Celery's redelivery (``acks_late``) or by the
sweep (``sweep``, every minute), which sends again every batch not done after its lease and finishes a
job whose batches are all done. The job shows its progress (batches and people done of the total) and its end.

Deliveries are not enqueued one task each: they are written pending (due now), and after a batch commits one
task sends that batch's pending deliveries one by one through ``notifications.deliver`` (which locks each with
``skip_locked``, so the periodic ``send_due_deliveries`` meeting it sends nothing twice).

Who the audience is belongs to the apps above: each registers a function ``area -> queryset of accounts`` in
``AUDIENCES`` from its ``audiences.py`` (imported at start-up by ``CoreConfig.ready``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from alliance.core.commits import commits_not_awaited
from alliance.core.enqueue import attempt, enqueue_on_commit
from alliance.core.models import Broadcast, BroadcastBatch, Notification, NotificationDelivery, NotificationPreference
from alliance.core.notifications import MISSING_ADDRESS, deliver_each

START_TASK = "core.start_broadcast"
BATCH_TASK = "core.run_broadcast_batch"
SEND_TASK = "core.send_broadcast_batch"
# People per batch: one transaction writes this many inbox rows (and their deliveries), about 0.1–0.3 s of the
# database's time; small enough that a killed batch costs little to redo and two workers share the work evenly,
# large enough that the per-task overhead (a broker round trip, a lock, a commit) stays a few per cent.
DEFAULT_BATCH_SIZE = 2000
# A batch not done this long after it was sent was lost with its worker (a task may run ten minutes at most).
LEASE = datetime.timedelta(minutes=15)

AUDIENCES: dict[str, Callable[[str], QuerySet]] = {}


def register_audience(name: str, accounts: Callable[[str], QuerySet]) -> None:
    """``accounts(area)``: the accounts a broadcast to ``area`` reaches ("" for the whole district)."""
    AUDIENCES[name] = accounts


def batch_size() -> int:
    return int(getattr(settings, "FANOUT_BATCH_SIZE", DEFAULT_BATCH_SIZE))


def broadcast(
    *,
    key: str,
    audience: str,
    area: str = "",
    area_name: str = "",
    title: str,
    body: str = "",
    url: str = "",
    by=None,
    start_at: datetime.datetime | None = None,
    size: int | None = None,
) -> Broadcast:
    """Record the broadcast ``key`` (once: the same key again is that job) and start it after commit.

    A job whose ``start_at`` lies ahead is started by the sweep once its time has come."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    now = timezone.now()
    job, created = Broadcast.objects.get_or_create(
        key=key[:120],
        defaults={
            "audience": audience,
            "area": area,
            "area_name": area_name[:100],
            "title": " ".join(str(title).split())[:200],  # one line: an e-mail subject refuses line breaks
            "body": body,
            "url": url[:300],
            "batch_size": size or batch_size(),
            "created_by": by if getattr(by, "pk", None) else None,
            "start_at": start_at or now,
        },
    )
    if created and job.start_at <= now:
        enqueue_on_commit(START_TASK, job.pk)
    return job


def _audience(job: Broadcast) -> QuerySet:
    return AUDIENCES[job.audience](job.area)


def start(broadcast_id: int, *, now: datetime.datetime | None = None) -> str:
    """Split the audience into batches and send one task per batch; a job already started is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if job is None or job.status != Broadcast.Status.PENDING:
            return "skipped"
        if job.start_at > now:
            return "not yet"
        bounds = _boundaries(_audience(job), job.batch_size)
        total = sum(people for _pk, people in bounds)
        batches = [
            BroadcastBatch(
                broadcast=job,
                number=i,
                first_pk=None if i == 0 else first,
                next_pk=bounds[i + 1][0] if i + 1 < len(bounds) else None,
                people=people,
                lease_until=now + LEASE,
            )
            for i, (first, people) in enumerate(bounds)
        ]
        BroadcastBatch.objects.bulk_create(batches)
        job.status = Broadcast.Status.RUNNING if batches else Broadcast.Status.DONE
        job.people_total, job.batches_total, job.started_at = total, len(batches), now
        job.finished_at = None if batches else now
        job.save(update_fields=["status", "people_total", "batches_total", "started_at", "finished_at"])
        ids = [batch.pk for batch in batches]
        transaction.on_commit(lambda: _send_batches(ids))
    return f"{len(batches)} batches"


def _send_batches(ids: list[int]) -> None:
    """One task per batch, published through one broker connection; if the broker is down, the sweep sends them
    once their lease has run out."""
    for pk in ids:  # the process's kept broker connection, one for them all
        if not attempt(BATCH_TASK, (pk,), "batch %s and those after it left to the sweep", pk):
            return


def _sql(accounts: QuerySet) -> tuple[str, tuple] | None:
    """The query's SQL and parameters; None for a query that can match nothing (``.none()``)."""
    try:
        return accounts.query.sql_with_params()
    except EmptyResultSet:
        return None


def _boundaries(accounts: QuerySet, size: int) -> list[tuple[int, int]]:
    """(first primary key, people) of each batch of ``size`` accounts in key order: one pass over the audience."""
    compiled = _sql(accounts.order_by().values("pk"))
    if compiled is None:
        return []
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT pk, n, total FROM (
                SELECT a.pk, row_number() OVER (ORDER BY a.pk) AS n, count(*) OVER () AS total
                FROM ({sql}) AS a (pk)
            ) AS numbered
            WHERE (n - 1) %% %s = 0
            ORDER BY pk
            """,  # noqa: S608 - the inner SQL is the ORM's; every value goes in as a parameter
            [*params, size],
        )
        rows = cursor.fetchall()
    return [(pk, min(size, total - n + 1)) for pk, n, total in rows]


def _batch_accounts(job: Broadcast, batch: BroadcastBatch) -> QuerySet:
    accounts = _audience(job).order_by()
    if batch.first_pk is not None:
        accounts = accounts.filter(pk__gte=batch.first_pk)
    if batch.next_pk is not None:
        accounts = accounts.filter(pk__lt=batch.next_pk)
    return accounts.values("pk")


def _write_rows(job: Broadcast, batch: BroadcastBatch, now: datetime.datetime) -> tuple[int, int, int]:
    """One statement: the inbox rows of the batch's range that are new, and the deliveries of exactly those rows
    through the channels each person chose. Returns (notifications, deliveries, pending deliveries)."""
    compiled = _sql(_batch_accounts(job, batch))
    if compiled is None:
        return 0, 0, 0
    sql, params = compiled
    note, delivery = Notification._meta.db_table, NotificationDelivery._meta.db_table
    preference = NotificationPreference._meta.db_table
    user = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH audience AS ({sql}),
            inserted AS (
                INSERT INTO {note} (recipient_id, key, title, body, url, status, attempts, created_at, sent_at)
                SELECT a.pk, %s, %s, %s, %s, 'sent', 1, %s, %s FROM audience AS a (pk)
                ON CONFLICT (recipient_id, key) DO NOTHING
                RETURNING id, recipient_id
            ),
            chosen AS (
                SELECT i.id, c.channel, c.address FROM inserted i
                JOIN {preference} p ON p.user_id = i.recipient_id
                JOIN {user} u ON u.id = i.recipient_id
                CROSS JOIN LATERAL (VALUES ('email', p.email, u.email), ('sms', p.sms, u.phone),
                                           ('wechat', p.wechat, p.wechat_openid)) AS c (channel, wanted, address)
                WHERE c.wanted
            ),
            written AS (
                INSERT INTO {delivery} (notification_id, channel, address, status, attempts, last_error,
                                        next_attempt_at, created_at, provider_message_id)
                SELECT id, channel, address,
                       CASE WHEN address <> '' THEN 'pending' ELSE 'failed' END, 0,
                       CASE WHEN address <> '' THEN '' WHEN channel = 'email' THEN %s
                            WHEN channel = 'sms' THEN %s ELSE %s END,
                       CASE WHEN address <> '' THEN %s::timestamptz END, %s, ''
                FROM chosen
                RETURNING status
            )
            SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM written),
                   (SELECT count(*) FROM written WHERE status = 'pending')
            """,  # noqa: S608 - the audience's SQL is the ORM's, the tables the models'; values are parameters
            [
                *params,
                job.key,
                job.title,
                job.body,
                job.url,
                now,
                now,
                MISSING_ADDRESS["email"],
                MISSING_ADDRESS["sms"],
                MISSING_ADDRESS["wechat"],
                now,
                now,
            ],
        )
        return cursor.fetchone()


@commits_not_awaited()  # should the database crash just after, the batch is lost whole and the sweep writes it again
def run_batch(batch_id: int, *, now: datetime.datetime | None = None) -> str:
    """Write one batch in one transaction and mark it done there; a batch done already is not redone."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock makes a second run of the same batch (redelivered while the first still runs) wait,
        # then find it done.
        batch = BroadcastBatch.objects.select_for_update(of=("self",)).select_related("broadcast").get(pk=batch_id)
        if batch.done_at is not None:
            return "done already"
        notes, deliveries, pending = _write_rows(batch.broadcast, batch, now)
        batch.done_at = timezone.now()
        batch.notifications_created, batch.deliveries_created = notes, deliveries
        batch.save(update_fields=["done_at", "notifications_created", "deliveries_created"])
        if pending:
            enqueue_on_commit(SEND_TASK, batch.pk)
    finish(batch.broadcast_id)
    return f"{notes} notifications, {deliveries} deliveries"


def finish(broadcast_id: int) -> bool:
    """Mark a running job done once all its batches are, with its totals (once: a conditional update)."""
    batches = BroadcastBatch.objects.filter(broadcast_id=broadcast_id)
    if batches.filter(done_at__isnull=True).exists():
        return False
    totals = batches.aggregate(notes=Sum("notifications_created"), deliveries=Sum("deliveries_created"))
    return bool(
        Broadcast.objects.filter(pk=broadcast_id, status=Broadcast.Status.RUNNING).update(
            status=Broadcast.Status.DONE,
            notifications_created=totals["notes"] or 0,
            deliveries_created=totals["deliveries"] or 0,
            finished_at=timezone.now(),
        )
    )


def send_batch(batch_id: int, *, now: datetime.datetime | None = None) -> dict:
    """Send the pending deliveries of one batch's inbox rows (each under its own lock: see ``deliver``)."""
    now = now or timezone.now()
    batch = BroadcastBatch.objects.select_related("broadcast").filter(pk=batch_id).first()
    if batch is None:
        return {}
    rows = NotificationDelivery.objects.filter(
        notification__key=batch.broadcast.key,
        notification__recipient_id__in=_batch_accounts(batch.broadcast, batch),
        status=NotificationDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    )
    return deliver_each(rows.order_by("pk").values_list("pk", flat=True), now=now)


def sweep(*, now: datetime.datetime | None = None) -> dict:
    """Start jobs whose start was never sent, send again batches lost with their worker, finish what is done."""
    now = now or timezone.now()
    open_jobs = Broadcast.objects.exclude(status=Broadcast.Status.DONE)
    started = 0
    # A pending job whose time has come: scheduled for later, or its start lost with the broker (a start sent
    # twice does nothing the second time).
    for pk in open_jobs.filter(status=Broadcast.Status.PENDING, start_at__lte=now).values_list("pk", flat=True):
        enqueue_on_commit(START_TASK, pk)
        started += 1
    resent = 0
    with transaction.atomic():
        lost = list(
            BroadcastBatch.objects.select_for_update(skip_locked=True)
            .filter(done_at__isnull=True, lease_until__lt=now, broadcast__status=Broadcast.Status.RUNNING)
            .values_list("pk", flat=True)
        )
        BroadcastBatch.objects.filter(pk__in=lost).update(lease_until=now + LEASE)
        for pk in lost:
            enqueue_on_commit(BATCH_TASK, pk)
            resent += 1
    finished = sum(
        finish(pk)
        for pk in open_jobs.filter(status=Broadcast.Status.RUNNING)
        .annotate(open=Count("batches", filter=Q(batches__done_at__isnull=True)))
        .filter(open=0)
        .values_list("pk", flat=True)
    )
    return {"started": started, "resent": resent, "finished": finished}


def progress(job: Broadcast) -> dict:
    """Batches and people done of the total, from the batches (one query)."""
    done = job.batches.filter(done_at__isnull=False).aggregate(batches=Count("pk"), people=Sum("people"))
    return {
        "batches_done": done["batches"] or 0,
        "batches_total": job.batches_total,
        "people_done": done["people"] or 0,
        "people_total": job.people_total,
    }
