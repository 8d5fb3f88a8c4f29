"""The proposals' public items for followers of an area (alliance.core.feeds, topic RESULTS): a proposal raised
to a committee, and a raised proposal's result (resolved or deferred). No names: the title, the place, the body."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from alliance.core.feeds import FeedItem, FeedSource, Topic
from alliance.proposals.models import Proposal


def _in(nodes) -> Q:
    q = Q(pk__in=[])
    for node in nodes:
        q |= Q(community__path__startswith=node.path) | Q(micro_grid__path__startswith=node.path)
    return q


def proposal_results(nodes, since, until, limit) -> list[FeedItem]:
    """Two queries whatever the number of items: the raised proposals, the results of raised ones."""
    if not nodes:
        return []
    rows = Proposal.objects.filter(_in(nodes), status=Proposal.Status.RAISED).select_related(
        "community", "matter__committee"
    )
    items = []
    for p in rows.filter(raised_at__gte=since, raised_at__lt=until).order_by("-raised_at")[:limit]:
        committee = p.matter.committee.name if p.matter else ""
        items.append(
            FeedItem(
                topic=Topic.RESULTS,
                key=f"proposal:{p.pk}:raised",
                title=_("微建议提交议事：%(title)s") % {"title": p.title},
                summary=_("%(n)d位居民支持，已提交%(body)s研究。") % {"n": p.support_count, "body": committee},
                url=p.get_absolute_url(),
                at=p.raised_at,
                area=p.community.name,
            )
        )
    decided = rows.filter(
        Q(matter__status="resolved", matter__resolved_at__gte=since, matter__resolved_at__lt=until)
        | Q(matter__status="deferred", matter__deferred_at__gte=since, matter__deferred_at__lt=until)
    )
    for p in decided.order_by(Coalesce("matter__resolved_at", "matter__deferred_at").desc())[:limit]:
        m = p.matter
        if m.status == "resolved":
            summary, at, what = m.resolution[:200], m.resolved_at, "resolved"
            title = _("微建议已议决：%(title)s") % {"title": p.title}
        else:
            summary, at, what = m.defer_reason[:200], m.deferred_at, "deferred"
            title = _("微建议暂缓：%(title)s") % {"title": p.title}
        items.append(
            FeedItem(
                topic=Topic.RESULTS,
                key=f"proposal:{p.pk}:{what}",
                title=title,
                summary=summary,
                url=p.get_absolute_url(),
                at=at,
                area=p.community.name,
            )
        )
    return sorted(items, key=lambda i: i.at, reverse=True)[:limit]


SOURCE = FeedSource(topic=Topic.RESULTS, name="proposals.results", items=proposal_results)
