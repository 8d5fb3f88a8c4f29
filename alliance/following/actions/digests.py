"""The daily and weekly digests: gather each follower's items since their last digest, write ONE digest per
person per period, send it by e-mail or WeChat.

A run works through the followers of one frequency in chunks of ``CHUNK`` people, one transaction per chunk:
1 query for the chunk's people, 1 for those already served this period, 1 for their follows (with the area and
the person), the feed sources once per distinct (area, topics, since) — followers of one community digested by
the same run share their window, so ten thousand followers of a hundred communities cost a few hundred source
queries, not ten thousand — 1 insert of the digests, 1 read of those this run wrote, 1 update of the follows.

Exactly once: ``Digest`` is unique per (user, frequency, period). The insert ignores rows that exist, and the run
then reads back only the rows carrying its own ``run`` token, so two runs at the same time, or a retried task,
write and send one digest. Sending claims the row (pending → sending) with a conditional UPDATE first.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.core import feeds
from alliance.core.inputs import clean_line
from alliance.core.models import NotificationPreference
from alliance.core.senders import get_sender
from alliance.following.models import Digest, DigestChannel, Follow, Frequency

log = logging.getLogger(__name__)

# People per transaction: each chunk holds its follows and items in memory (a few hundred kB for 500 people).
CHUNK = 500
ITEMS_PER_AREA = 30  # a digest lists at most this many items of one followed area (the page links to more)
WINDOW: dict[str, datetime.timedelta] = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


def period_of(frequency: str, now: datetime.datetime) -> datetime.date:
    """The day (daily) or the week's Monday (weekly), local time, that a run at ``now`` serves."""
    day = timezone.localdate(now)
    return day if frequency == Frequency.DAILY else day - datetime.timedelta(days=day.weekday())


def _item_row(item: feeds.FeedItem) -> dict:
    return {
        "key": item.key,
        "topic": item.topic,
        "title": item.title,
        "summary": item.summary,
        "url": item.url,
        "at": item.at.isoformat(),
        "area": item.area,
    }


def _chunk_digests(follows: list[Follow], *, frequency: str, period, now, run: str, cache: dict):
    """The digests of one chunk's people (only those with something new) and the follows they include."""
    by_user: dict[int, list[Follow]] = {}
    for f in follows:
        by_user.setdefault(f.user_id, []).append(f)
    rows: list[Digest] = []
    included: list[Follow] = []
    for user_id, own in by_user.items():
        sections: list[dict] = []
        seen: set[str] = set()
        starts: list[datetime.datetime] = []
        channels: set[str] = set()
        for f in own:
            since = f.digested_until or now - WINDOW[frequency]
            key = (f.node_id, tuple(f.topics), since)
            if key not in cache:
                cache[key] = feeds.collect([f.node], f.topics, since, now, limit=ITEMS_PER_AREA)
            items = [_item_row(i) for i in cache[key] if i.key not in seen]
            if not items:
                continue
            seen.update(i["key"] for i in items)
            sections.append({"area": f.node.name, "node": f.node_id, "items": items})
            starts.append(since)
            channels.add(f.channel)
            included.append(f)
        if sections:
            rows.append(
                Digest(
                    user_id=user_id,
                    frequency=frequency,
                    period=period,
                    channels=sorted(channels),
                    items=sections,
                    item_count=sum(len(section["items"]) for section in sections),
                    window_start=min(starts),
                    window_end=now,
                    run=run,
                )
            )
    return rows, included


def prepare_digests(*, frequency: str, now: datetime.datetime | None = None) -> list[int]:
    """Write this period's digests of everyone due (nothing for a person with nothing new); their ids."""
    now = now or timezone.now()
    period = period_of(frequency, now)
    run = uuid.uuid4().hex
    written: list[int] = []
    cache: dict = {}
    cursor = 0
    while True:
        people = list(
            Follow.objects.filter(frequency=frequency, user_id__gt=cursor)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:CHUNK]
        )
        if not people:
            return written
        cursor = people[-1]
        with transaction.atomic():
            served = set(
                Digest.objects.filter(user_id__in=people, frequency=frequency, period=period).values_list(
                    "user_id", flat=True
                )
            )
            due = [p for p in people if p not in served]
            follows = list(
                Follow.objects.filter(frequency=frequency, user_id__in=due)
                .select_related("node")
                .order_by("user_id", "node__path", "pk")
            )
            rows, included = _chunk_digests(follows, frequency=frequency, period=period, now=now, run=run, cache=cache)
            Digest.objects.bulk_create(rows, ignore_conflicts=True)  # another run's row for a person stays theirs
            mine = dict(Digest.objects.filter(run=run, user_id__in=due).values_list("user_id", "pk"))
            done = [f for f in included if f.user_id in mine]
            for f in done:
                f.digested_until = now
            Follow.objects.bulk_update(done, ["digested_until"])
            written.extend(mine.values())


def _text(digest: Digest) -> tuple[str, str, str]:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    areas = _("、").join(s["area"] for s in digest.items[:3])
    if len(digest.items) > 3:
        areas = _("%(areas)s等") % {"areas": areas}
    subject = clean_line(
        ngettext("%(areas)s有%(n)s条新动态", "%(areas)s有%(n)s条新动态", digest.item_count)
        % {"areas": areas, "n": digest.item_count}
    )
    context = {"digest": digest, "site": site, "subject": subject, "topics": dict(feeds.Topic.choices)}
    text = render_to_string("following/digest_email.txt", context)
    html = render_to_string("following/digest_email.html", context)
    return subject, text, html


def _send_email(digest: Digest, address: str) -> None:
    subject, text, html = _text(digest)
    message = EmailMultiAlternatives(subject, text, None, [address])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def _send_wechat(digest: Digest, openid: str) -> None:
    subject, _text_body, _html = _text(digest)
    body = _("；").join(
        ngettext("%(area)s%(n)s条", "%(area)s%(n)s条", len(s["items"])) % {"area": s["area"], "n": len(s["items"])}
        for s in digest.items
    )
    get_sender("wechat").send(
        address=openid, title=subject, body=body, url=f"/follow/digests/{digest.pk}/", kind="following:digest"
    )


def send_digest(digest_id: int) -> str:
    """Send one digest on its channels (once: the row is claimed first); returns sent, failed or skipped."""
    claimed = Digest.objects.filter(pk=digest_id, status=Digest.Status.PENDING).update(status=Digest.Status.SENDING)
    if not claimed:
        return "skipped"  # sent already, or being sent by another run
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    errors, sent = [], 0
    for channel in digest.channels:
        try:
            if channel == DigestChannel.EMAIL:
                if not digest.user.email:
                    raise ValueError("未填写电子邮箱")
                _send_email(digest, digest.user.email)
            else:
                pref = NotificationPreference.objects.filter(user_id=digest.user_id).first()
                if pref is None or not pref.wechat_openid:
                    raise ValueError("未绑定微信")
                _send_wechat(digest, pref.wechat_openid)
            sent += 1
        except Exception as exc:  # noqa: BLE001 - a channel's failure is recorded on the digest, never raised
            log.warning("digest %s (%s): %s", digest.pk, channel, exc)
            errors.append(f"{channel}: {type(exc).__name__}: {exc}")
    digest.status = Digest.Status.SENT if sent else Digest.Status.FAILED
    digest.sent_at = timezone.now() if sent else None
    digest.last_error = "；".join(errors)[:500]
    digest.save(update_fields=["status", "sent_at", "last_error"])
    return "sent" if sent else "failed"


def send_digests(*, frequency: str, now: datetime.datetime | None = None) -> dict:
    """The job: write the period's digests, then send every one of the period still pending (this run's, and
    any a crashed run left); returns counts per outcome."""
    now = now or timezone.now()
    prepare_digests(frequency=frequency, now=now)
    pending = Digest.objects.filter(
        frequency=frequency, period=period_of(frequency, now), status=Digest.Status.PENDING
    ).values_list("pk", flat=True)
    counts: dict[str, int] = {}
    for pk in list(pending):
        outcome = send_digest(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
