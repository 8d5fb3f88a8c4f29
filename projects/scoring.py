"""Scoring of the matching job (projects.matching): pure Python, no database.

Scores (0–1) add up: category fit, grid distance (same micro-grid > community > street, as ``GridNode.distance_to``),
capacity and availability, the unit's recent rating and current load, and the similarity of
the Chinese texts (character bigrams: Chinese has no spaces and we want no segmenter). Each
suggestion carries its reasons in words ("同社区 · 类别一致 · 近期评分4.8").
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

# How many resources one need is compared with at most (bounds the work per need).
MAX_CANDIDATES = 400
TOP_UNITS = 2
TOP_MEMBERS = 3
MIN_SCORE = 0.3

W_CATEGORY, W_GRID, W_CAPACITY, W_UNIT, W_TEXT = 0.25, 0.25, 0.10, 0.15, 0.25
GRID_WORDS = {
    1.0: gettext_noop("同网格"),
    0.7: gettext_noop("同社区"),
    0.4: gettext_noop("同街道"),
    0.0: gettext_noop("跨街道"),
}

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
        reasons.append(gettext_noop("近期评分%(rating)s") % {"rating": f"{rating:.1f}"})
    elif stars:
        quality = stars / 5
        if stars >= 4:
            reasons.append(gettext_noop("%(stars)s星单位") % {"stars": stars})
    else:
        quality = 0.6
    if load == 0:
        reasons.append(gettext_noop("当前任务少"))
    return quality / (1 + load / 3), tuple(reasons)


def score_pair(need: NeedItem, res: ResourceItem) -> tuple[float, list[str]]:
    reasons: list[str] = []
    grid = grid_score(need.path, res.path)
    reasons.append(GRID_WORDS[grid])
    if need.category_id == res.category_id:
        category = 1.0
        reasons.append(gettext_noop("类别一致"))
    else:
        category = 0.6
        reasons.append(gettext_noop("同类服务"))
    text = similarity(need.grams, res.grams)
    if text >= 0.15:
        reasons.append(gettext_noop("内容相近"))
    score = W_CATEGORY * category + W_GRID * grid + W_TEXT * min(text * 2, 1.0) + res.static
    reasons.extend(res.static_reasons)
    return score, reasons


def suggest(needs: list[NeedItem], resources: list[ResourceItem], units: dict[int, UnitItem], top_k: int):
    """Top-K resources and top units per need, bucket by bucket. Pure: no database."""
    return ResourceIndex(resources, units).suggest(needs, top_k)


class ResourceIndex:
    """Resources ready to be scored against needs: blocked by (street, root category), each bucket in order of the
    resources' need-independent score, the same per community, and every text as the bits of one int.

    The matching job builds one per street (a need only meets the resources of its own street), so what it holds
    is bounded by the biggest street, not by the district.
    """

    def __init__(self, resources: list[ResourceItem], units: dict[int, UnitItem]):
        self.units = units
        self.buckets: dict[tuple[int, int], list[ResourceItem]] = defaultdict(list)
        for res in resources:
            self.buckets[(res.path[0], res.root_id)].append(res)
        # Within a bucket: resources of each community, and the rest in order of their static score.
        self.by_community: dict[tuple[int, int, int], list[ResourceItem]] = defaultdict(list)
        for key, items in self.buckets.items():
            items.sort(key=lambda r: -r.static)
            for res in items:
                if len(res.path) > 1:
                    self.by_community[(*key, res.path[1])].append(res)
        # A bigram no resource has never counts in an intersection: needs take only the bits of these.
        self.vocabulary: dict[str, int] = {}
        for res in resources:
            mask = 0
            for gram in res.grams:
                bit = self.vocabulary.get(gram)
                if bit is None:
                    bit = self.vocabulary[gram] = len(self.vocabulary)
                mask |= 1 << bit
            res.mask = mask

    def suggest(self, needs: list[NeedItem], top_k: int) -> list[Suggestion]:
        vocabulary, units = self.vocabulary, self.units
        out: list[Suggestion] = []
        for need in needs:
            key = (need.path[0], need.root_id)
            pool = self.buckets.get(key)
            if not pool:
                continue
            if len(pool) > MAX_CANDIDATES:
                local = self.by_community.get((*key, need.path[1]), []) if len(need.path) > 1 else []
                pool = local[:MAX_CANDIDATES] + pool[: max(MAX_CANDIDATES - len(local), 0)]
                pool = list({res.id: res for res in pool}.values())
            m1 = 0
            for gram in need.grams:
                bit = vocabulary.get(gram)
                if bit is not None:
                    m1 |= 1 << bit
            need.mask = m1
            # The inner loop of the job: _fast_score inlined (a call per pair costs a third of the time).
            a, cat = need.path, need.category_id
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
                score = (
                    W_CATEGORY * category + W_GRID * grid + W_TEXT * min(text * 2, 1.0) + unit.static + W_CAPACITY * 0.5
                )
                if score < MIN_SCORE:
                    continue
                reasons = [GRID_WORDS[grid], gettext_noop("类别一致") if category == 1.0 else gettext_noop("同类服务")]
                reasons += [*unit.static_reasons, gettext_noop("有同类资源")]
                out.append(Suggestion(need.id, "unit", unit_id, round(score, 4), " · ".join(reasons)[:200]))
        return out


# The reasons are stored in Chinese (the nightly job has no reader's language); they are put into the reader's
# language when shown, part by part: a fixed phrase, or one of the patterns that carry a value.
_REASON_PATTERNS = (
    (re.compile(r"^近期评分(?P<rating>[\d.]+)$"), gettext_noop("近期评分%(rating)s")),
    (re.compile(r"^(?P<stars>\d+)星单位$"), gettext_noop("%(stars)s星单位")),
    (re.compile(r"^特长：(?P<skills>.*)$", re.S), gettext_noop("特长：%(skills)s")),
)


def reasons_display(reasons: str) -> str:
    """Stored reasons ("同社区 · 类别一致 · 近期评分4.8") in the active language; unknown parts stay as they are."""
    parts = []
    for part in reasons.split(" · "):
        for pattern, message in _REASON_PATTERNS:
            found = pattern.match(part)
            if found:
                parts.append(gettext(message) % found.groupdict())
                break
        else:
            parts.append(gettext(part) if part else part)
    return " · ".join(parts)
