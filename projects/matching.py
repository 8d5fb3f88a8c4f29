"""Matching (SPEC §3): suggest resources, units and party members for open needs.

Never all pairs. Candidates are blocked by (street, root category): a need only meets the
resources of its own street whose category shares its root. A bucket bigger than
``MAX_CANDIDATES`` is cut down per need to the resources of its own community first, then the
best of the rest by their need-independent score, so the work per need is bounded and the job
scales linearly with the size of the district. Party members are blocked by street and by the
words of their skills (an inverted index of character bigrams).

The scores and the pure scoring (no database) are in ``projects.scoring``.

The job goes street by street, since no candidate crosses a street: it reads one street's resources,
units and party members once (``values_list``, turned into tuples and frozensets), then that street's
needs ``CHUNK_SIZE`` at a time, and saves each chunk's suggestions with one COPY and
``INSERT … ON CONFLICT DO NOTHING`` on the unique (need, kind, target): a re-run adds nothing and never
touches a dismissed or accepted suggestion. So its memory is bounded by the biggest street, not by the
district, and it reports its progress (needs done of the total) after each chunk.
"""

from __future__ import annotations

import heapq
import io
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from grids.models import GridNode
from members.models import MemberUnit, PartyMember
from projects.models import Category, Claim, ListSettings, Match, Need, Resource
from projects.scoring import (  # MAX_CANDIDATES, similarity, suggest: re-exported, as before the split
    GRID_WORDS,
    MAX_CANDIDATES,  # noqa: F401
    MIN_SCORE,
    TOP_MEMBERS,
    W_CAPACITY,
    W_UNIT,
    MemberItem,
    NeedItem,
    ResourceIndex,
    ResourceItem,
    Suggestion,
    UnitItem,
    bigrams,
    grid_score,
    similarity,  # noqa: F401
    split_path,
    suggest,  # noqa: F401
    unit_factor,
)

# Rows per INSERT where COPY is not available (SQLite): stays well under the parameter limit.
BATCH_SIZE = 500
# Needs read, scored and saved per pass. A pass holds its needs (their bigram sets: ~2 KB each) and their
# suggestions (up to top_k + 2 each) three times over (read, scored, saved); 2,000 keeps that to a few tens of MB
# while one COPY of ~10,000 rows per pass keeps the round trips few.
CHUNK_SIZE = 2000


def _root_map() -> dict[int, int]:
    return {pk: parent or pk for pk, parent in Category.objects.values_list("pk", "parent_id")}


def _unit_stats(unit_ids) -> tuple[dict, dict]:
    """Recent average community rating and current load (claims being worked on) per unit."""
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


def load_resources(qs, roots: dict[int, int], elsewhere=None) -> tuple[list[ResourceItem], dict[int, UnitItem]]:
    """The resources of ``qs`` and their units; a unit's profile also takes its resources of ``elsewhere``."""
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
        reasons = unit.static_reasons + ((gettext_noop("名额充足"),) if quantity >= 3 else ())
        grams = bigrams(f"{title} {title} {desc}")
        resources.append(
            ResourceItem(
                pk, cat, roots[cat], split_path(path), grams, unit_id, W_CAPACITY * capacity + unit.static, reasons
            )
        )
        unit.grams |= grams
        unit.categories.add(cat)
    if elsewhere is not None and units:
        # A unit that also offers resources in another street: its profile is all of them, as in one pass.
        rows = elsewhere.filter(unit_id__in=list(units)).values_list("unit_id", "category_id", "title", "description")
        for unit_id, cat, title, desc in rows.iterator(chunk_size=5000):
            units[unit_id].grams |= bigrams(f"{title} {title} {desc}")
            units[unit_id].categories.add(cat)
    for unit in units.values():
        unit.grams = frozenset(unit.grams)
    return resources, units


def load_members(street_nodes: list[int]) -> tuple[dict[int, MemberItem], dict[tuple[int, str], list[int]]]:
    """Active party members with skills in these grid nodes, and their index by (street, bigram of a skill)."""
    members: dict[int, MemberItem] = {}
    skills: dict[int, list[str]] = defaultdict(list)
    rows = (
        PartyMember.objects.filter(community_id__in=street_nodes, is_active=True)
        .exclude(availability=PartyMember.Availability.UNAVAILABLE)
        .filter(skills__isnull=False)
        .values_list("pk", "community__path", "skills__name")
        # The reasons list the skills in one order whatever plan the join takes (it was the join's order).
        .order_by("pk", "skills__pk")
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
    return members, index


def member_suggestions(needs: list[NeedItem], members: dict[int, MemberItem], index) -> list[Suggestion]:
    """Party members by skill: blocked by street and by the bigrams of their skills."""
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
            reasons = (GRID_WORDS[grid] + " · " + gettext_noop("特长：%(skills)s") % {"skills": members[pk].skills})[
                :200
            ]
            out.append(Suggestion(need.id, "member", pk, round(score, 4), reasons))
    return out


def suggest_members(needs: list[NeedItem]) -> list[Suggestion]:
    """Party members by skill for needs of any streets (the job itself loads them street by street)."""
    streets = {n.path[0] for n in needs}
    if not streets:
        return []
    nodes = GridNode.objects.filter(street_id__in=streets).values_list("pk", flat=True)
    return member_suggestions(needs, *load_members(list(nodes)))


def save(suggestions: list[Suggestion]) -> int:
    """Bulk insert; an existing pair (suggested, accepted or dismissed) is left exactly as it is."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING: several times faster than
        # bulk_create for 100,000+ rows (no model instances, no per-row parameters).
        buf = io.StringIO()
        for s in suggestions:
            reasons = s.reasons.replace("\\", " ").replace("\t", " ").replace("\n", " ")
            buf.write(f"{s.need_id}\t{s.kind}\t{s.target_id}\t{s.score}\t{reasons}\n")
        size = buf.tell()
        buf.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            # Inside an outer transaction (the demo seed, tests) an earlier run's table is still there.
            cursor.execute("DROP TABLE IF EXISTS projects_match_in")
            cursor.execute(
                "CREATE TEMPORARY TABLE projects_match_in (need_id bigint, kind varchar(10), target_id bigint,"
                " score double precision, reasons varchar(200)) ON COMMIT DROP"
            )
            # Read in one piece: psycopg2 reads the file ``size`` bytes at a time (8 kB unless told) and takes the
            # GIL back for each read, which the scoring thread holds (run) for up to the switch interval, 5 ms, each
            # time: 75 reads for a chunk's 10,000 suggestions.
            cursor.cursor.copy_expert("COPY projects_match_in FROM STDIN", buf, size=max(size, 8192))
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
    return Need.objects.filter(status__in=Need.OPEN_STATUSES)


def _available_resources():
    today = timezone.localdate()
    return Resource.objects.filter(status=Resource.Status.AVAILABLE, unit__status=MemberUnit.Status.ACTIVE).filter(
        Q(available_until__isnull=True) | Q(available_until__gte=today)
    )


def _top_k() -> int:
    return ListSettings.get().match_top_k


def _resources_for(keys: set[tuple[int, int]], roots: dict[int, int]):
    """Available resources in the buckets (street, root category) ``keys`` only."""
    q = Q()
    for street, root in keys:
        cats = [c for c, r in roots.items() if r == root]
        q |= Q(grid_node__path__startswith=f"{street}/", category_id__in=cats)
    return _available_resources().filter(q) if keys else _available_resources().none()


def _street_nodes() -> dict[int, list[int]]:
    """The grid nodes of each street: a street's needs and resources are found through the indexed grid_node_id."""
    nodes: dict[int, list[int]] = defaultdict(list)
    for pk, street in GridNode.objects.order_by().values_list("pk", "street_id"):
        nodes[street].append(pk)
    return nodes


def _chunks(qs, roots: dict[int, int], size: int):
    """The needs of ``qs`` in primary-key order, ``size`` at a time (a key cursor: no offset, no open cursor)."""
    last = 0
    while True:
        needs = load_needs(qs.filter(pk__gt=last).order_by("pk")[:size], roots)
        if needs:
            yield needs
        if len(needs) < size:
            return
        last = needs[-1].id


def score_chunk(index: Future, people, needs: list[NeedItem], top_k: int) -> list[Suggestion]:
    """One chunk's suggestions (in the scoring thread): resources and units, then party members."""
    out = index.result().suggest(needs, top_k)
    if people is not None:
        out += member_suggestions(needs, *people)
    return out


def run(needs_qs, resources_qs=None, *, members: bool = True, progress=None, chunk_size: int = CHUNK_SIZE) -> int:
    """Match the needs of ``needs_qs``; returns the number of suggestions computed.

    Street by street (a need only meets its own street), ``chunk_size`` needs at a time: the job holds one
    street's resources and members and a few chunks of needs, whatever the size of the district.
    ``progress(done, total, stage)`` is called before the first chunk and after each chunk is saved.
    """
    roots = _root_map()
    top_k = _top_k()
    if resources_qs is None:
        keys = {(street, roots[cat]) for street, cat in needs_qs.values_list("grid_node__street_id", "category_id")}
        resources_qs = _resources_for(keys, roots)
    total = needs_qs.count()
    if not total:
        return 0
    if progress:
        progress(0, total, "matching")
    nodes = _street_nodes()
    streets = sorted(set(needs_qs.order_by().values_list("grid_node__street_id", flat=True).distinct()))
    saved = done = 0
    # Scoring (Python, in a thread) overlaps reading and saving (PostgreSQL, on this thread's connection and
    # transaction): while this thread waits for the database it releases the GIL and the scorer runs. One
    # chunk is scored while the one before it is saved and the one after it is read.
    pending: deque[tuple[Future, int]] = deque()

    def save_oldest() -> None:
        nonlocal saved, done
        future, count = pending.popleft()
        saved += save(future.result())
        done += count
        if progress:
            progress(done, max(total, done), "matching")

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="matching-scorer") as scorer:
        try:
            for street in streets:
                in_street = nodes.get(street, [])
                resources, units = load_resources(
                    resources_qs.filter(grid_node_id__in=in_street),
                    roots,
                    elsewhere=resources_qs.exclude(grid_node_id__in=in_street),
                )
                index = scorer.submit(ResourceIndex, resources, units)
                people = load_members(in_street) if members else None
                del resources, units
                for needs in _chunks(needs_qs.filter(grid_node_id__in=in_street), roots, chunk_size):
                    pending.append((scorer.submit(score_chunk, index, people, needs, top_k), len(needs)))
                    while len(pending) > 1:
                        save_oldest()
            while pending:
                save_oldest()
        except BaseException:
            scorer.shutdown(wait=True, cancel_futures=True)
            raise
    return saved


def run_all(*, progress=None, chunk_size: int = CHUNK_SIZE) -> int:
    """Nightly: every open need against every available resource."""
    return run(_open_needs(), _available_resources(), progress=progress, chunk_size=chunk_size)


def run_for_needs(need_ids) -> int:
    return run(_open_needs().filter(pk__in=need_ids))


def run_for_resource(resource_id: int) -> int:
    """A new resource: re-match the open needs of its bucket (existing pairs stay as they are)."""
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
