"""Factories of the selections (评选): a selection voting now in a community, with candidates."""

import datetime

import factory
from django.utils import timezone

from alliance.surveys.models import Candidate, Selection, Vote


class SelectionFactory(factory.django.DjangoModelFactory):
    """A selection voting now (opened an hour ago, closing in a week) in its community."""

    class Meta:
        model = Selection

    title = factory.Sequence(lambda n: f"2026年度“最美家庭”评选（{n}）")
    description = "每户限投一票，得票最多的前三名当选。"
    grid_node = factory.SubFactory("tests.grids.factories.CommunityFactory")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    places = 3
    status = Selection.Status.VOTING
    opened_at = factory.LazyFunction(timezone.now)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    selection = factory.SubFactory(SelectionFactory)
    name = factory.Sequence(lambda n: f"候选家庭{n}")
    story = "夫妻和睦，孝老爱亲，热心邻里。"
    community = factory.LazyAttribute(
        lambda o: o.selection.grid_node if o.selection.grid_node.level == 2 else o.selection.grid_node.children.first()
    )
    position = factory.Sequence(lambda n: n)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    candidate = factory.SubFactory(CandidateFactory)
    selection = factory.SelfAttribute("candidate.selection")
    voter = factory.SubFactory(
        "tests.members.factories.ResidentFactory", grid_node=factory.SelfAttribute("..candidate.community")
    )


def voting_selection(node, candidates: int = 3, **kwargs) -> Selection:
    selection = SelectionFactory(grid_node=node, **kwargs)
    community = node if node.level == 2 else node.children.order_by("pk").first()
    for i in range(candidates):
        CandidateFactory(selection=selection, community=community, name=f"候选家庭{i + 1}", position=i)
    return selection
