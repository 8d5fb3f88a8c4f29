"""Versioned caches of what many visitors see alike: public pages, their fragments and API lists.

Every cached thing names the *groups* of data it is made of (``GROUPS``: each group is a set of models).
A group has a version in the cache; every save or delete of one of its models, and every bulk write that
``changed()`` is told of, replaces the version, so the next request builds afresh: a change shows on the
very next page: an entry is stored with the versions it was built under and served only while they are
current. Keys carry the language, the viewer's *audience* and the query string, so nothing cached for one
audience is served to another.

A version is replaced when the transaction that changed it commits: once per transaction, in one round trip,
whatever it changed. Inside the transaction the writer's own cached reads see the change at once (and tests,
which run inside one transaction): a read first replaces the versions of the groups the transaction changed
since its last read; the commit replaces them again, so nothing built from rows not yet committed outlives
it. Outside a transaction a change is forgotten once, at once. Entries also expire after their TTL, which
bounds what time alone changes
(a deadline passing). When the cache server is down everything is built live: the cache is an optimisation
and no page depends on it.
"""

import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language
from rest_framework.response import Response

from alliance.core import replica
from alliance.core.scoping import sees_all

log = logging.getLogger(__name__)

# What each group is made of. A page or list that shows a unit's name on a project card depends on both
# "lists" and "units": it names both groups.
GROUPS: dict[str, tuple[str, ...]] = {
    "grid": ("grids.GridNode", "grids.GridRole", "grids.Team", "grids.TeamMember"),
    "units": (
        "members.MemberUnit",
        "members.PartyOrganization",
        "members.PartyMember",
        "members.Pairing",
        "members.PairingCommitment",
        "members.PairingService",
        "members.PairingReview",
        "members.EnterpriseAlliance",
        "members.EnterpriseAllianceMembership",
    ),
    "lists": (
        "projects.Category",
        "projects.Resource",
        "projects.Need",
        "projects.Project",
        "projects.Claim",
        "projects.Pledge",
        "projects.Expenditure",
        "projects.Wish",
    ),
    "menu": ("services.MenuItem", "services.ServiceStation", "services.Activity", "projects.Category"),
    "committee": (
        "alliance.Committee",
        "alliance.Seat",
        "alliance.ChairRotation",
        "alliance.Meeting",
        "alliance.AgendaItem",
        "alliance.Matter",
        "alliance.Milestone",
    ),
    "news": ("alliance.Article", "alliance.ArticleAttachment"),
    # The walls (公示) of stations and points: points, stars and the kept monthly snapshots.
    "wall": ("points.PointsEntry", "points.StarRating", "points.WallSnapshot", "points.WallSnapshotRow"),
    # A resident's own orders and issues (their 我的, cached per person).
    "cases": ("services.Order", "services.Issue"),
    # The rows the staff's to-do lines count and show (alliance.site.workbench; the apps' todo.py).
    "todo": (
        "services.Order",
        "services.Issue",
        "services.Booking",
        "projects.Claim",
        "projects.Wish",
        "projects.Need",
        "projects.Match",
        "volunteering.DualReport",
        "proposals.Proposal",
        "surveys.Survey",
        "surveys.Selection",
        "alliance.Meeting",
        "alliance.Matter",
        "alliance.Milestone",
        "core.NotificationDelivery",
    ),
}
DEFAULT_TTL = 300
_PREFIX = "v1"


def _version_key(group: str) -> str:
    return f"{_PREFIX}:version:{group}"


def _new_version() -> str:
    """A new version, starting with the time it was made (ms, hex): a fill reads from the replica only once the
    newest change it depends on has had time to reach it (``_changed_at``, ``replica.settled``)."""
    return f"{int(time.time() * 1000):x}-{uuid.uuid4().hex[:8]}"


def _changed_at(versions: str) -> float | None:
    """When the newest of ``versions`` (as ``_current_versions`` joins them) was made; None if none says."""
    times = []
    for version in versions.split("."):
        stamp, dash, _rest = version.partition("-")
        if dash:
            with contextlib.suppress(ValueError):
                times.append(int(stamp, 16) / 1000)
    return max(times, default=None)


def _current_versions(groups, found: dict) -> str:
    """The versions of ``groups`` as one string, from ``found`` (read with the entry) or set afresh."""
    keys = [_version_key(g) for g in sorted(set(groups))]
    missing = {k: _new_version() for k in keys if k not in found}
    if missing:  # first use, or evicted: any new value will do, as long as every process agrees on it
        for key, value in missing.items():
            cache.add(key, value, None)
        found = {**found, **cache.get_many(list(missing))}
    return ".".join(str(found.get(k, "")) for k in keys)


def _forget(groups: Iterable[str]) -> None:
    try:
        cache.set_many({_version_key(g): _new_version() for g in groups}, None)
    except Exception:  # entries then live out their TTL
        log.warning("cache unavailable: cannot forget %s", ",".join(groups), exc_info=True)


class _Changes:
    """The groups changed in the open transaction of this thread's connection: ``at_commit`` all of them,
    ``unread`` those not yet forgotten for the writer's own reads (``changed``, ``_forget_for_writer``)."""

    def __init__(self) -> None:
        self.at_commit: set[str] = set()
        self.unread: set[str] = set()

    def commit(self) -> None:
        groups, self.at_commit, self.unread = self.at_commit, set(), set()
        if groups:  # the first callback of the transaction forgets them all; the others find nothing left
            _forget(sorted(groups))


def _changes(connection) -> _Changes:
    changes = getattr(connection, "_cache_changes", None)
    if changes is None or not connection.run_on_commit:
        # No callback waits for this transaction's commit: what was noted is from one rolled back (or from a
        # savepoint rolled back, whose rows are gone too).
        changes = connection._cache_changes = _Changes()
    return changes


def changed(*groups: str) -> None:
    """What ``groups`` are made of changed: forget them when the transaction commits (at once outside one)."""
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown cache groups: {sorted(unknown)}")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _forget(groups)
        return
    changes = _changes(connection)
    changes.at_commit.update(groups)
    changes.unread.update(groups)
    # One callback per change (a savepoint rolled back drops its own), each forgetting what is left.
    transaction.on_commit(changes.commit)


def _forget_for_writer(groups: tuple[str, ...]) -> None:
    """Before a read inside a transaction: forget the groups it changed since its last read (the writer sees its
    own change; they are forgotten again at commit)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    changes = _changes(connection)
    unread = changes.unread.intersection(groups)
    if unread:
        changes.unread -= unread
        _forget(sorted(unread))


def forget_all() -> None:
    """A new version of every group (tests start from it; so can an operator after a bulk load)."""
    _forget(GROUPS)


def _groups_of_models() -> dict[type[Model], tuple[str, ...]]:
    by_model: dict[type[Model], list[str]] = {}
    for group, labels in GROUPS.items():
        for label in labels:
            by_model.setdefault(apps.get_model(label), []).append(group)
    return {model: tuple(groups) for model, groups in by_model.items()}


def connect_signals() -> None:
    """Every save, delete and many-to-many change of a grouped model forgets its groups (AppConfig.ready)."""
    for model, groups in _groups_of_models().items():

        def receiver(sender, groups=groups, **kwargs):
            if kwargs.get("raw"):  # loaddata
                return
            changed(*groups)

        uid = f"alliance.core.cache.{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                receiver, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}.{field.name}"
            )


def audience(user, *, per_user: bool = False) -> str:
    """Who sees the same thing. Everyone signed out, and residents and party members, see the public rows;
    a unit's operators also see their unit's own (a retired resource); staff see their subtree too.
    ``per_user``: the page shows each signed-in person their own rows (a wish waiting for review)."""
    if user is None or not user.is_authenticated:
        return "public"
    if per_user:
        return f"user{user.pk}"
    if getattr(user, "is_staff_role", False):
        return "all" if sees_all(user) else f"node{user.grid_node_id}"
    if getattr(user, "unit_id", None):
        return f"unit{user.unit_id}"
    return "public"


def request_key(request, name: str, *, per_user: bool = False) -> str:
    """The key of ``name`` as this request sees it: language, audience, scheme, host, path and query string."""
    query = urlencode(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    # The scheme and host too: API answers carry absolute links to their next and previous pages.
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(where.encode(), digest_size=12).hexdigest()
    return f"{name}:{get_language()}:{audience(request.user, per_user=per_user)}:{digest}"


def get_or_build(key: Callable[[], str] | str, groups: Iterable[str], build: Callable[[], object], *, ttl=DEFAULT_TTL):
    """The value kept under ``key`` for the current versions of ``groups``, or ``build()`` kept there.

    The entry is stored with the versions it was built under and read in the same round trip as the current
    versions: it is served only while they still match, so a change forgets it at once. When the cache is
    down the value is built live.
    """
    groups = tuple(groups)
    entry_key = f"{_PREFIX}:{key() if callable(key) else key}"  # outside the try: a bug here is no cache outage
    try:
        _forget_for_writer(groups)
        found = cache.get_many([entry_key, *(_version_key(g) for g in groups)])
        current = _current_versions(groups, found)
    except Exception:  # the cache is an optimisation; the page must not depend on it
        log.warning("cache unavailable: built live", exc_info=True)
        return build()
    entry = found.get(entry_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return entry[1]
    # Built on the replica when it has had time to replay the newest change of these groups: an entry built from
    # older rows would be kept under the new versions until the next change.
    if replica.settled(_changed_at(current)):
        value = replica.on_replica(build)
    else:
        with replica.reading_from_primary():  # also inside a page that reads from the replica
            value = build()
    if value is None:  # nothing worth keeping (an error answer)
        return value
    try:
        cache.set(entry_key, (current, value), ttl)
    except Exception:  # not kept: built again next time
        log.warning("cache unavailable: not stored", exc_info=True)
    return value


class CachedListMixin:
    """A DRF viewset whose list answers are cached per audience, language and query string.

    Set ``cache_groups`` to the groups the list's rows are made of. Only the list action is cached, and only
    successful answers; details and writes go through as before.
    """

    cache_groups: tuple[str, ...] = ()
    cache_ttl = DEFAULT_TTL

    def list(self, request, *args, **kwargs):
        built = {}

        def build():
            response = super(CachedListMixin, self).list(request, *args, **kwargs)
            built["response"] = response
            return response.data if response.status_code == 200 else None

        key = lambda: request_key(request, f"api:{self.basename}")  # noqa: E731
        data = get_or_build(key, self.cache_groups, build, ttl=self.cache_ttl)
        if "response" in built:
            return built["response"]
        return Response(data)
