"""The Django side of the writes bench (tests/bench/writes.py): run inside ``manage.py shell`` on the bench database.

``prepare`` makes the accounts the load writes as (bench residents and one operator per bench unit, each with an
API token: the rate limits of a deployment stay on, so no person orders more than their allowance), the bench
projects that units claim, and the requests themselves, one line per request (token, path, JSON body), each
distinct: the first few free days of the menu items, free slots of the rooms, unclaimed (unit, project) pairs.
``pending`` tells how many deliveries of the run still wait for the worker; ``check`` counts what dispatch wrote
for the run's orders, issues and claims against what its rules say, and the rules that must hold under load
(no project over capacity, no overlapping confirmed booking).
"""

import datetime
import json
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alliance.core.authentication import is_expired
from alliance.core.models import Notification, NotificationDelivery, NotificationPreference
from alliance.core.ratelimit import redis_client
from grids.models import GridNode
from members.models import MemberUnit, User
from projects import selectors as project_selectors
from projects.actions import create_project
from projects.actions.claims import PLACE_HOLDING
from projects.models import Category, Claim, Project
from services import selectors as service_selectors
from services.models import Booking, Issue, MenuItem, Order, Room

RESIDENT = "bench-writer-{:05d}"
OPERATOR = "bench-operator-{}"
UNITS = 200  # bench units: one operator each; a bench project takes claims from all but a tenth of them
PER_RUN = 2  # writes of one scope per resident and run (the rate limits allow 20-30 an hour)
PASSWORD_FREE = "!bench"  # an unusable password: the accounts sign in by token only


def _throttle_used(scope: str, users: list) -> dict[int, int]:
    """How many creates of ``scope`` each user made within the throttle's window (alliance.core.ratelimit keeps
    their times: a sorted set on Redis)."""
    rate = settings.RATE_LIMITS.get(scope)
    if not rate:
        return {}
    period = {"s": 1, "m": 60, "h": 3600, "d": 86400}[rate.split("/")[1][0]]
    client = redis_client()
    if client is None:
        return {}
    now = time.time()
    pipe = client.pipeline(transaction=False)
    for user in users:
        pipe.zcount(cache.make_and_validate_key(f"throttle:{scope}:{user.pk}"), now - period, "+inf")
    return {user.pk: n for user, n in zip(users, pipe.execute(), strict=True) if n}


def _allowance(scope: str) -> int:
    rate = settings.RATE_LIMITS.get(scope)
    return int(rate.split("/")[0]) if rate else 10**6


def _tokens(users) -> dict[int, str]:
    tokens = {t.user_id: t for t in Token.objects.filter(user__in=users)}
    stale = [t.pk for t in tokens.values() if is_expired(t)]
    Token.objects.filter(pk__in=stale).delete()
    missing = [Token(user=u, key=Token.generate_key()) for u in users if u.pk not in tokens or tokens[u.pk].pk in stale]
    Token.objects.bulk_create(missing)
    return {t.user_id: t.key for t in Token.objects.filter(user__in=users)}


def _micro_grids_with_items() -> list[GridNode]:
    """Micro-grids (of the first streets) in the scope of at least one active menu item."""
    scopes = set(MenuItem.objects.filter(is_active=True).values_list("grid_scope__path", flat=True).distinct())
    grids = GridNode.objects.filter(level=GridNode.Level.MICRO).order_by("pk").only("id", "path")[:2000]
    return [g for g in grids if any(g.path.startswith(s) for s in scopes)][:200]


def _residents(count: int) -> list[User]:
    """At least ``count`` bench residents (made once, kept for later runs), spread over the micro-grids."""
    existing = list(User.objects.filter(username__startswith="bench-writer-").order_by("username"))
    if len(existing) < count:
        grids = _micro_grids_with_items()
        new = [
            User(
                username=RESIDENT.format(i),
                password=PASSWORD_FREE,
                role=User.Role.RESIDENT,
                display_name=f"压测居民{i}",
                grid_node_id=grids[i % len(grids)].pk,
            )
            for i in range(len(existing), count)
        ]
        User.objects.bulk_create(new)
        existing = list(User.objects.filter(username__startswith="bench-writer-").order_by("username"))
    return existing


def _operators() -> list[User]:
    """One operator of each bench unit, reachable by e-mail, SMS and WeChat (no quiet hours of their own): the
    notices they receive go through every channel and the worker delivers each."""
    units = list(MemberUnit.objects.filter(grid_node__isnull=False).order_by("pk")[:UNITS])
    existing = {u.unit_id: u for u in User.objects.filter(username__startswith="bench-operator-")}
    new = []
    for unit in units:
        if unit.pk not in existing:
            new.append(
                User(
                    username=OPERATOR.format(unit.pk),
                    password=PASSWORD_FREE,
                    role=User.Role.UNIT_OPERATOR,
                    unit=unit,
                    grid_node_id=unit.grid_node_id,
                    display_name=f"压测联络员{unit.pk}",
                    email=f"bench-operator-{unit.pk}@example.com",
                    phone=f"199{unit.pk:08d}"[-11:],  # a range the demo and city seeds do not use
                )
            )
    User.objects.bulk_create(new)
    operators = list(User.objects.filter(username__startswith="bench-operator-").order_by("unit_id"))
    have = set(NotificationPreference.objects.filter(user__in=operators).values_list("user_id", flat=True))
    midnight = datetime.time(0, 0)
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            user=o,
            email=True,
            sms=True,
            wechat=True,
            wechat_openid=f"o-bench-{o.pk}",
            quiet_start=midnight,
            quiet_end=midnight,
        )
        for o in operators
        if o.pk not in have
    )
    return operators


def _spread(residents: list[User], scope: str, count: int) -> list[User]:
    """``count`` writers of ``scope``, each at most PER_RUN times and within what their rate limit has left."""
    used = _throttle_used(scope, residents)
    left = {u.pk: min(PER_RUN, _allowance(scope) - used.get(u.pk, 0) - 1) for u in residents}
    out = []
    for round_ in range(PER_RUN):
        out += [u for u in residents if left[u.pk] > round_]
    return out[:count]


def _order_lines(residents, tokens, count, run) -> list:
    today = timezone.localdate()
    items = list(MenuItem.objects.filter(is_active=True).select_related("grid_scope").order_by("pk"))
    days = [today + datetime.timedelta(days=d) for d in range(1, 31)]
    taken = {
        (row["menu_item"], row["wanted_on"]): row["n"]
        for row in Order.objects.filter(menu_item__in=items, wanted_on__in=days)
        .exclude(status=Order.Status.CANCELLED)
        .values("menu_item", "wanted_on")
        .annotate(n=Count("pk"))
    }
    paths = {g.pk: g.path for g in GridNode.objects.filter(pk__in={r.grid_node_id for r in residents})}
    by_scope: dict[int, list] = {}
    lines = []
    for i, resident in enumerate(_spread(residents, "order", count)):
        path = paths[resident.grid_node_id]
        mine = by_scope.setdefault(resident.grid_node_id, [m for m in items if path.startswith(m.grid_scope.path)])
        for attempt in range(len(mine) * len(days)):
            item = mine[(i + attempt) % len(mine)]
            day = days[(i + attempt) // len(mine) % len(days)]
            if taken.get((item.pk, day), 0) < item.capacity_per_day:
                taken[(item.pk, day)] = taken.get((item.pk, day), 0) + 1
                body = {"menu_item": item.pk, "wanted_on": day.isoformat(), "address": f"压测{run}号楼{i}室"}
                lines.append((tokens[resident.pk], "/api/v1/orders/", body))
                break
    return lines


def _issue_lines(residents, tokens, count, run) -> list:
    return [
        (
            tokens[r.pk],
            "/api/v1/issues/",
            {"title": f"压测说事{run}-{i}", "text": f"压测：楼道灯不亮（第{i}条）。", "location": f"{i}号楼"},
        )
        for i, r in enumerate(_spread(residents, "issue", count))
    ]


def _claim_lines(operators, tokens, count, run) -> list:
    """Bench projects, each claimable by every bench unit and with places for nine in ten of them: the units
    claim them one project after the other (16 at once fall on 16 projects), and the last claims of a project
    hear 409 (full), as they would."""
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    category = Category.objects.filter(parent__isnull=False).order_by("pk").first() or Category.objects.first()
    node = operators[0].unit.grid_node
    node = GridNode.objects.get(pk=node.ancestor_ids[: GridNode.Level.COMMUNITY][-1])
    places = max(1, len(operators) * 9 // 10)
    projects = [
        create_project(
            by=admin,
            title=f"压测项目{run}-{k}",
            category=category,
            grid_node=node,
            capacity=places,
            publish=True,
            description="压测用项目",
        )
        for k in range(max(16, math.ceil(count / len(operators))))
    ]
    return [
        (tokens[op.pk], f"/api/v1/projects/{p.pk}/claim/", {"note": f"压测认领{run}"})
        for op in operators
        for p in projects
    ][:count]


def _booking_lines(residents, tokens, count, run) -> list:
    rooms = list(Room.objects.filter(is_active=True, needs_approval=False).order_by("pk"))
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    horizon = start + datetime.timedelta(days=365)
    held = {}
    for b in Booking.objects.filter(room__in=rooms, status=Booking.Status.CONFIRMED, ends_at__gt=start):
        held.setdefault(b.room_id, []).append((b.starts_at, b.ends_at))
    lines = []
    day = start
    while len(lines) < count and day < horizon:
        for hour in range(24):
            for room in rooms:
                slot_start = timezone.make_aware(
                    datetime.datetime.combine(timezone.localtime(day).date(), datetime.time(hour))
                )
                slot_end = slot_start + datetime.timedelta(hours=1)
                local = timezone.localtime(slot_start).time(), timezone.localtime(slot_end).time()
                if local[0] < room.opens_at or local[1] > room.closes_at or local[1] == datetime.time(0):
                    continue
                if any(s < slot_end and e > slot_start for s, e in held.get(room.pk, ())):
                    continue
                resident = residents[len(lines) % len(residents)]
                body = {
                    "room": room.pk,
                    "starts_at": slot_start.isoformat(),
                    "ends_at": slot_end.isoformat(),
                    "purpose": f"压测预约{run}",
                    "attendees": 1,
                }
                lines.append((tokens[resident.pk], "/api/v1/bookings/", body))
        day += datetime.timedelta(days=1)
    return lines[:count]


def prepare(out: str, counts: dict) -> None:
    """Write to ``out`` the request lines of each target (``counts``: how many of each) and the run's marks."""
    run = timezone.now().strftime("%H%M%S")
    need = max(counts.get("order", 0), counts.get("issue", 0)) // PER_RUN + 50
    residents = _residents(max(need, 200))
    while len(_spread(residents, "order", counts.get("order", 0))) < counts.get("order", 0) or len(
        _spread(residents, "issue", counts.get("issue", 0))
    ) < counts.get("issue", 0):
        residents = _residents(len(residents) + 200)  # earlier runs this hour used up some allowances
    operators = _operators()
    tokens = _tokens(residents + operators)
    builders = {
        "ceiling": lambda n: [
            (tokens[r.pk], "/bench/write/", {"text": f"ceiling {run} {i}"})
            for i, r in enumerate(residents[i % len(residents)] for i in range(n))
        ],
        "order": lambda n: _order_lines(residents, tokens, n, run),
        "issue": lambda n: _issue_lines(residents, tokens, n, run),
        "claim": lambda n: _claim_lines(operators, tokens, n, run),
        "booking": lambda n: _booking_lines(residents, tokens, n, run),
    }
    result = {"lines": {name: builders[name](n) for name, n in counts.items()}, "marks": marks()}
    with open(out, "w") as f:
        json.dump(result, f, ensure_ascii=False)


def marks() -> dict:
    """The last id of each table the run writes to: the run's rows are those after it."""
    return {
        name: model.objects.aggregate(m=Max("pk"))["m"] or 0
        for name, model in (("order", Order), ("issue", Issue), ("claim", Claim), ("booking", Booking))
    }


def _expected(marks: dict) -> dict[tuple[int, str], None]:
    """(recipient, key) of every dispatch notice the rules call for, for the run's orders, issues and claims."""
    expected: dict[tuple[int, str], None] = {}
    orders = Order.objects.filter(pk__gt=marks["order"], resident__username__startswith="bench-writer-")
    for order in orders.select_related("menu_item", "grid_node", "resident"):
        for recipients, _url in service_selectors.order_dispatch(order):
            for r in recipients:
                if r.pk != order.resident_id:
                    expected[(r.pk, f"order:{order.pk}:submitted")] = None
    issues = Issue.objects.filter(pk__gt=marks["issue"], reporter__username__startswith="bench-writer-")
    for issue in issues.select_related("grid_node"):
        for r in service_selectors.issue_dispatch(issue):
            if r.pk != issue.reporter_id:
                expected[(r.pk, f"issue:{issue.pk}:reported")] = None
    claims = Claim.objects.filter(pk__gt=marks["claim"], claimed_by__username__startswith="bench-operator-")
    for claim in claims.select_related("project__grid_node"):
        for r in project_selectors.claim_approvers(claim):
            expected[(r.pk, f"claim:{claim.pk}:submitted")] = None
    return expected


def _run_notifications(marks: dict):
    order_ids = Order.objects.filter(pk__gt=marks["order"], resident__username__startswith="bench-writer-")
    issue_ids = Issue.objects.filter(pk__gt=marks["issue"], reporter__username__startswith="bench-writer-")
    claim_ids = Claim.objects.filter(pk__gt=marks["claim"], claimed_by__username__startswith="bench-operator-")
    keys = [f"order:{pk}:submitted" for pk in order_ids.values_list("pk", flat=True)]
    keys += [f"issue:{pk}:reported" for pk in issue_ids.values_list("pk", flat=True)]
    keys += [f"claim:{pk}:submitted" for pk in claim_ids.values_list("pk", flat=True)]
    return Notification.objects.filter(key__in=keys)


def pending_count(marks: dict) -> int:
    """How many tasks wait in the broker plus how many of the run's deliveries are due and not sent yet."""
    from alliance.celery import app  # the worker's broker, as configured

    with app.connection_for_write() as connection:
        try:
            queued = connection.default_channel.queue_declare("celery", passive=True).message_count
        except connection.channel_errors:  # Redis keeps no empty queue
            queued = 0
    due = NotificationDelivery.objects.filter(
        notification__in=_run_notifications(marks),
        status=NotificationDelivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
    )
    return queued + due.count()


def forget_ceiling_rows() -> None:
    """The ceiling's rows of the admin log (alliance.site.bench_writes) go once the run is over."""
    from django.contrib.admin.models import LogEntry

    from alliance.site.bench_writes import BENCH_REPR

    LogEntry.objects.filter(object_repr=BENCH_REPR, content_type__isnull=True).delete()


def check(marks: dict) -> None:
    """Print, as JSON, the notices and deliveries expected and found for the run, and the rules under load."""
    expected = _expected(marks)
    notes = _run_notifications(marks)
    found_pairs = list(notes.values_list("recipient_id", "key"))
    found = set(found_pairs)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in={r for r, _ in found})}
    expected_deliveries = sum(len(prefs[r].channels()) for r, _ in found if r in prefs)
    deliveries = NotificationDelivery.objects.filter(notification__in=notes)
    by_status = dict(deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    twice = deliveries.filter(attempts__gt=1).count()
    duplicate_channels = deliveries.values("notification_id", "channel").annotate(n=Count("pk")).filter(n__gt=1).count()
    bench_projects = Project.objects.filter(title__startswith="压测项目")
    over_capacity = bench_projects.filter(active_claims__gt=F("capacity")).count()
    miscounted = (
        bench_projects.annotate(holding=Count("claims", filter=Q(claims__status__in=PLACE_HOLDING)))
        .exclude(holding=F("active_claims"))
        .count()
    )
    bookings = Booking.objects.filter(pk__gt=marks["booking"], status=Booking.Status.CONFIRMED)
    overlapping = sum(
        service_selectors.overlapping_bookings(b.room, b.starts_at, b.ends_at).exclude(pk=b.pk).count()
        for b in bookings.select_related("room")[:5000]
    )
    print(
        "CHECK "
        + json.dumps(
            {
                "expected": len(expected),
                "found": len(found_pairs),
                "missing": len(set(expected) - found),
                "unexpected": len(found - set(expected)),
                "duplicates": len(found_pairs) - len(found),
                "deliveries_expected": expected_deliveries,
                "deliveries": sum(by_status.values()),
                "deliveries_by_status": by_status,
                "deliveries_retried": twice,
                "deliveries_duplicate": duplicate_channels,
                "over_capacity": over_capacity,
                "miscounted": miscounted,
                "overlapping": overlapping,
                "writes": {
                    "order": Order.objects.filter(pk__gt=marks["order"]).count(),
                    "issue": Issue.objects.filter(pk__gt=marks["issue"]).count(),
                    "claim": Claim.objects.filter(pk__gt=marks["claim"]).count(),
                    "booking": bookings.count(),
                },
            }
        )
    )
