"""Matching (SPEC §3): suggest resources, units and party members for open needs.

Never all pairs. Candidates are blocked by (street, root category): a need only meets the
resources of its own street whose category shares its root. A bucket bigger than
``MAX_CANDIDATES`` is cut down per need to the resources of its own community first, then the
best of the rest by their need-independent score, so the work per need is bounded and the job
scales linearly with the size of the district. Party members are blocked by street and by the
words of their skills (an inverted index of character bigrams).

Scores (0–1) add up: category fit, grid distance (same micro-grid > community > street, as ``GridNode.distance_to``),
capacity and availability, the unit's recent rating and current load, and the similarity of
the Chinese texts (character bigrams: Chinese has no spaces and we want no segmenter). Each
suggestion carries its reasons in words ("同社区 · 类别一致 · 近期评分4.8").

Everything the scoring needs is read once per run with ``values_list`` and turned into tuples
and frozensets; the suggestions are written with one ``bulk_create(ignore_conflicts=True)`` per
batch on the unique (need, kind, target): a re-run adds nothing and never touches a dismissed
or accepted suggestion.
"""

from __future__ import annotations

import heapq
import io
import queue
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

# How many resources one need is compared with at most (bounds the work per need).
MAX_CANDIDATES = 400
# Rows per INSERT where COPY is not available (SQLite): stays well under the parameter limit.
BATCH_SIZE = 500
TOP_UNITS = 2
TOP_MEMBERS = 3
MIN_SCORE = 0.3

W_CATEGORY, W_GRID, W_CAPACITY, W_UNIT, W_TEXT = 0.25, 0.25, 0.10, 0.15, 0.25
GRID_WORDS = {1.0: "同网格", 0.7: "同社区", 0.4: "同街道", 0.0: "跨街道"}

_CJK = re.compile(r"[\u4e00-\u9fff]+|[a-zA-Z0-9]+")
# Common characters that say nothing about what is needed.
_STOP = set("的了和与及在为是有等对把被个们一")


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the Chinese runs of ``text`` (and whole Latin words/numbers)."""
    grams: set[str] = set()
    for run in _CJK.findall(text or ""):
        if run.isascii():
            grams.add(run.lower())
            continue
        run = "".join(ch for ch in run if ch not in _STOP)
        if len(run) == 1:
            grams.add(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams)


def similarity(a: frozenset, b: frozenset) -> float:
    """Dice coefficient of two bigram sets."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def split_path(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in path.strip("/").split("/") if p)


def grid_score(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Closeness of two grid paths: same node 1.0 > same community 0.7 > same street 0.4 > elsewhere 0."""
    if a == b:
        return 1.0
    if a[:2] == b[:2]:
        return 0.7
    return 0.4 if a[0] == b[0] else 0.0


@dataclass(slots=True)
class NeedItem:
    id: int
    category_id: int
    root_id: int
    path: tuple[int, ...]
    grams: frozenset
    people: int = 0
    mask: int = 0  # the bigrams as bits of one int: intersections become an AND and a popcount


@dataclass(slots=True)
class ResourceItem:
    id: int
    category_id: int
    root_id: int
    path: tuple[int, ...]
    grams: frozenset
    unit_id: int
    static: float  # need-independent part of the score: capacity/availability and the unit
    static_reasons: tuple[str, ...] = ()
    mask: int = 0


@dataclass(slots=True)
class UnitItem:
    id: int
    path: tuple[int, ...]
    grams: set = field(default_factory=set)
    categories: set = field(default_factory=set)
    static: float = 0.0
    static_reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class MemberItem:
    id: int
    path: tuple[int, ...]
    grams: frozenset
    skills: str


@dataclass(slots=True)
class Suggestion:
    need_id: int
    kind: str
    target_id: int
    score: float
    reasons: str


def unit_factor(rating: float | None, stars: int, load: int) -> tuple[float, tuple[str, ...]]:
    """The unit's part: its recent community rating (or star rating) discounted by its current load."""
    reasons: list[str] = []
    if rating:
        quality = rating / 5
        reasons.append(f"近期评分{rating:.1f}")
    elif stars:
        quality = stars / 5
        if stars >= 4:
            reasons.append(f"{stars}星单位")
    else:
        quality = 0.6
    if load == 0:
        reasons.append("当前任务少")
    return quality / (1 + load / 3), tuple(reasons)


def score_pair(need: NeedItem, res: ResourceItem) -> tuple[float, list[str]]:
    reasons: list[str] = []
    grid = grid_score(need.path, res.path)
    reasons.append(GRID_WORDS[grid])
    if need.category_id == res.category_id:
        category = 1.0
        reasons.append("类别一致")
    else:
        category = 0.6
        reasons.append("同类服务")
    text = similarity(need.grams, res.grams)
    if text >= 0.15:
        reasons.append("内容相近")
    score = W_CATEGORY * category + W_GRID * grid + W_TEXT * min(text * 2, 1.0) + res.static
    reasons.extend(res.static_reasons)
    return score, reasons


def _root_map() -> dict[int, int]:
    from projects.models import Category

    return {pk: parent or pk for pk, parent in Category.objects.values_list("pk", "parent_id")}


def _unit_stats(unit_ids) -> tuple[dict, dict]:
    """Recent average community rating and current load (claims being worked on) per unit."""
    from projects.models import Claim

    since = timezone.now() - timedelta(days=365)
    ratings = dict(
        Claim.objects.filter(unit_id__in=unit_ids, rating__isnull=False, evaluated_at__gte=since)
        .values("unit_id")
        .annotate(r=Avg("rating"))
        .values_list("unit_id", "r")
    )
    loads = dict(
        Claim.objects.filter(
            unit_id__in=unit_ids,
            status__in=[Claim.Status.PENDING, Claim.Status.APPROVED, Claim.Status.IN_PROGRESS],
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return ratings, loads


def load_needs(qs, roots: dict[int, int]) -> list[NeedItem]:
    return [
        NeedItem(pk, cat, roots[cat], split_path(path), bigrams(f"{title} {title} {desc}"), people)
        for pk, cat, path, title, desc, people in qs.values_list(
            "pk", "category_id", "grid_node__path", "title", "description", "people_affected"
        ).iterator(chunk_size=5000)
    ]


def load_resources(qs, roots: dict[int, int]) -> tuple[list[ResourceItem], dict[int, UnitItem]]:
    rows = list(
        qs.values_list(
            "pk",
            "category_id",
            "grid_node__path",
            "title",
            "description",
            "unit_id",
            "unit__grid_node__path",
            "unit__star_rating",
            "quantity",
            "available_until",
        ).iterator(chunk_size=5000)
    )
    ratings, loads = _unit_stats({r[5] for r in rows})
    today = timezone.localdate()
    units: dict[int, UnitItem] = {}
    resources = []
    for pk, cat, path, title, desc, unit_id, unit_path, stars, quantity, until in rows:
        unit = units.get(unit_id)
        if unit is None:
            factor, unit_reasons = unit_factor(ratings.get(unit_id), stars, loads.get(unit_id, 0))
            unit = units[unit_id] = UnitItem(
                unit_id, split_path(unit_path), static=W_UNIT * factor, static_reasons=unit_reasons
            )
        capacity = 1.0 if until is None or until >= today + timedelta(days=30) else 0.5
        capacity *= min(quantity, 5) / 5 * 0.5 + 0.5
        reasons = unit.static_reasons + (("名额充足",) if quantity >= 3 else ())
        grams = bigrams(f"{title} {title} {desc}")
        resources.append(
            ResourceItem(
                pk, cat, roots[cat], split_path(path), grams, unit_id, W_CAPACITY * capacity + unit.static, reasons
            )
        )
        unit.grams |= grams
        unit.categories.add(cat)
    for unit in units.values():
        unit.grams = frozenset(unit.grams)
    return resources, units


def suggest(needs: list[NeedItem], resources: list[ResourceItem], units: dict[int, UnitItem], top_k: int):
    """Top-K resources and top units per need, bucket by bucket. Pure: no database."""
    return [s for chunk in iter_suggest(needs, resources, units, top_k) for s in chunk]


def iter_suggest(needs, resources, units, top_k: int, chunk: int = 2000):
    """``suggest`` in chunks of ``chunk`` needs, so that saving one chunk overlaps scoring the next."""
    buckets: dict[tuple[int, int], list[ResourceItem]] = defaultdict(list)
    for res in resources:
        buckets[(res.path[0], res.root_id)].append(res)
    # Within a bucket: resources of each community, and the rest in order of their static score.
    by_community: dict[tuple[int, int, int], list[ResourceItem]] = defaultdict(list)
    for key, items in buckets.items():
        items.sort(key=lambda r: -r.static)
        for res in items:
            if len(res.path) > 1:
                by_community[(*key, res.path[1])].append(res)
    vocabulary: dict[str, int] = {}
    for item in (*resources, *needs):
        mask = 0
        for gram in item.grams:
            bit = vocabulary.get(gram)
            if bit is None:
                bit = vocabulary[gram] = len(vocabulary)
            mask |= 1 << bit
        item.mask = mask
    out: list[Suggestion] = []
    for number, need in enumerate(needs, start=1):
        if number % chunk == 0:
            yield out
            out = []
        key = (need.path[0], need.root_id)
        pool = buckets.get(key)
        if not pool:
            continue
        if len(pool) > MAX_CANDIDATES:
            local = by_community.get((*key, need.path[1]), []) if len(need.path) > 1 else []
            pool = local[:MAX_CANDIDATES] + pool[: max(MAX_CANDIDATES - len(local), 0)]
            pool = list({res.id: res for res in pool}.values())
        # The inner loop of the job: _fast_score inlined (a call per pair costs a third of the time).
        m1, a, cat = need.mask, need.path, need.category_id
        a2, n1 = a[:2], len(need.grams)
        scored = []
        for res in pool:
            b = res.path
            grid = 1.0 if a == b else 0.7 if a2 == b[:2] else 0.4 if a[0] == b[0] else 0.0
            both = (m1 & res.mask).bit_count()
            text = 2 * both / (n1 + len(res.grams)) if both else 0.0
            scored.append(
                (
                    W_CATEGORY * (1.0 if cat == res.category_id else 0.6)
                    + W_GRID * grid
                    + W_TEXT * (text * 2 if text < 0.5 else 1.0)
                    + res.static,
                    res,
                )
            )
        ranked = heapq.nlargest(top_k * 3, scored, key=lambda t: t[0])
        for score, res in ranked[:top_k]:
            if score < MIN_SCORE:
                continue
            _, reasons = score_pair(need, res)
            out.append(Suggestion(need.id, "resource", res.id, round(score, 4), " · ".join(reasons)[:200]))
        # Units: the providers of the best resources in the bucket, scored on their whole profile.
        unit_best: dict[int, float] = {}
        for score, res in ranked:
            unit_best.setdefault(res.unit_id, score)
        for unit_id in heapq.nlargest(TOP_UNITS, unit_best, key=unit_best.get):
            unit = units[unit_id]
            grid = grid_score(need.path, unit.path)
            text = similarity(need.grams, unit.grams)
            category = 1.0 if need.category_id in unit.categories else 0.6
            score = W_CATEGORY * category + W_GRID * grid + W_TEXT * min(text * 2, 1.0) + unit.static + W_CAPACITY * 0.5
            if score < MIN_SCORE:
                continue
            reasons = [GRID_WORDS[grid], "类别一致" if category == 1.0 else "同类服务"]
            reasons += [*unit.static_reasons, "有同类资源"]
            out.append(Suggestion(need.id, "unit", unit_id, round(score, 4), " · ".join(reasons)[:200]))
    yield out


def suggest_members(needs: list[NeedItem]) -> list[Suggestion]:
    """Party members by skill: blocked by street and by the bigrams of their skills."""
    from members.models import PartyMember

    streets = {n.path[0] for n in needs}
    if not streets:
        return []
    q = Q()
    for street in streets:
        q |= Q(community__path__startswith=f"{street}/")
    members: dict[int, MemberItem] = {}
    skills: dict[int, list[str]] = defaultdict(list)
    rows = (
        PartyMember.objects.filter(q, is_active=True)
        .exclude(availability=PartyMember.Availability.UNAVAILABLE)
        .filter(skills__isnull=False)
        .values_list("pk", "community__path", "skills__name")
    )
    paths = {}
    for pk, path, skill in rows:
        paths[pk] = path
        skills[pk].append(skill)
    index: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, names in skills.items():
        text = " ".join(names)
        item = members[pk] = MemberItem(pk, split_path(paths[pk]), bigrams(text), "、".join(names))
        for gram in item.grams:
            index[(item.path[0], gram)].append(pk)
    out = []
    for need in needs:
        candidates = {pk for gram in need.grams for pk in index.get((need.path[0], gram), ())}
        scored = []
        for pk in candidates:
            member = members[pk]
            shared = need.grams & member.grams
            text = len(shared) / len(member.grams)
            grid = grid_score(need.path, member.path)
            score = 0.5 * text + 0.4 * grid + 0.1
            scored.append((score, pk, grid))
        for score, pk, grid in heapq.nlargest(TOP_MEMBERS, scored):
            if score < MIN_SCORE:
                continue
            reasons = f"{GRID_WORDS[grid]} · 特长:{members[pk].skills}"[:200]
            out.append(Suggestion(need.id, "member", pk, round(score, 4), reasons))
    return out


def save(suggestions: list[Suggestion]) -> int:
    """Bulk insert; an existing pair (suggested, accepted or dismissed) is left exactly as it is."""
    from django.db import connection, transaction

    from projects.models import Match

    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING: several times faster than
        # bulk_create for 100,000+ rows (no model instances, no per-row parameters).
        buf = io.StringIO()
        for s in suggestions:
            reasons = s.reasons.replace("\\", " ").replace("\t", " ").replace("\n", " ")
            buf.write(f"{s.need_id}\t{s.kind}\t{s.target_id}\t{s.score}\t{reasons}\n")
        buf.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            # Inside an outer transaction (the demo seed, tests) an earlier run's table is still there.
            cursor.execute("DROP TABLE IF EXISTS projects_match_in")
            cursor.execute(
                "CREATE TEMPORARY TABLE projects_match_in (need_id bigint, kind varchar(10), target_id bigint,"
                " score double precision, reasons varchar(200)) ON COMMIT DROP"
            )
            cursor.cursor.copy_expert("COPY projects_match_in FROM STDIN", buf)
            cursor.execute(
                "INSERT INTO projects_match (need_id, kind, target_id, resource_id, unit_id, member_id, score,"
                " reasons, status, created_at)"
                " SELECT need_id, kind, target_id,"
                " CASE WHEN kind = 'resource' THEN target_id END,"
                " CASE WHEN kind = 'unit' THEN target_id END,"
                " CASE WHEN kind = 'member' THEN target_id END,"
                " score, reasons, %s, %s FROM projects_match_in"
                " ON CONFLICT (need_id, kind, target_id) DO NOTHING",
                [Match.Status.SUGGESTED.value, now],
            )
        return len(suggestions)
    objs = []
    for s in suggestions:
        obj = Match(
            need_id=s.need_id, kind=s.kind, target_id=s.target_id, score=s.score, reasons=s.reasons, created_at=now
        )
        setattr(obj, f"{s.kind}_id", s.target_id)
        objs.append(obj)
    for start in range(0, len(objs), BATCH_SIZE):
        Match.objects.bulk_create(objs[start : start + BATCH_SIZE], ignore_conflicts=True)
    return len(objs)


def _open_needs():
    from projects.models import Need

    return Need.objects.filter(status__in=Need.OPEN_STATUSES)


def _available_resources():
    from members.models import MemberUnit
    from projects.models import Resource

    today = timezone.localdate()
    return Resource.objects.filter(status=Resource.Status.AVAILABLE, unit__status=MemberUnit.Status.ACTIVE).filter(
        Q(available_until__isnull=True) | Q(available_until__gte=today)
    )


def _top_k() -> int:
    from projects.models import ListSettings

    return ListSettings.get().match_top_k


def _resources_for(needs: list[NeedItem], roots: dict[int, int]):
    """Resources in the buckets of ``needs`` only."""
    keys = {(n.path[0], n.root_id) for n in needs}
    q = Q()
    for street, root in keys:
        cats = [c for c, r in roots.items() if r == root]
        q |= Q(grid_node__path__startswith=f"{street}/", category_id__in=cats)
    return _available_resources().filter(q) if keys else _available_resources().none()


def run(needs_qs, resources_qs=None, *, members: bool = True) -> int:
    """Match the needs of ``needs_qs``; returns the number of suggestions computed."""
    roots = _root_map()
    needs = load_needs(needs_qs, roots)
    if not needs:
        return 0
    resources, units = load_resources(resources_qs if resources_qs is not None else _resources_for(needs, roots), roots)
    saved = save(suggest_members(needs)) if members else 0
    top_k = _top_k()
    # Scoring (Python, in a thread) overlaps saving (PostgreSQL, on this thread's connection and transaction):
    # while this thread waits for the database it releases the GIL and the scorer runs, so the job uses
    # both the Python process and the database backend at once.
    chunks: queue.Queue = queue.Queue(maxsize=3)

    def score() -> None:
        try:
            for part in iter_suggest(needs, resources, units, top_k):
                chunks.put(part)
        except BaseException as exc:  # noqa: BLE001 - handed to the saving thread, which raises it
            chunks.put(exc)
        chunks.put(None)

    scorer = threading.Thread(target=score, name="matching-scorer", daemon=True)
    scorer.start()
    try:
        while (part := chunks.get()) is not None:
            if isinstance(part, BaseException):
                raise part
            saved += save(part)
    finally:
        scorer.join()
    return saved


def run_all() -> int:
    """Nightly: every open need against every available resource."""
    return run(_open_needs(), _available_resources())


def run_for_needs(need_ids) -> int:
    return run(_open_needs().filter(pk__in=need_ids))


def run_for_resource(resource_id: int) -> int:
    """A new resource: re-match the open needs of its bucket (existing pairs stay as they are)."""
    from projects.models import Resource

    try:
        resource = Resource.objects.select_related("grid_node", "category").get(pk=resource_id)
    except Resource.DoesNotExist:
        return 0
    roots = _root_map()
    root = roots[resource.category_id]
    street = resource.grid_node.path.split("/")[0]
    cats = [c for c, r in roots.items() if r == root]
    needs = _open_needs().filter(grid_node__path__startswith=f"{street}/", category_id__in=cats)
    return run(needs, members=False)
