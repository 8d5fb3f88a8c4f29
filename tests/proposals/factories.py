import datetime

import factory
from django.utils import timezone

from alliance.proposals.models import Comment, Proposal, ProposalRule, Support
from tests.grids.factories import CommunityFactory
from tests.members.factories import ResidentFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal waiting for review unless told otherwise (a published one gets its support window)."""

    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"楼道灯不亮，建议换声控灯{n}")
    text = "3号楼2单元的楼道灯坏了半个月，老人晚上下楼只能摸黑。"
    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(ResidentFactory, grid_node=factory.SelfAttribute("..community"))
    submitted_at = factory.LazyFunction(timezone.now)
    status = Proposal.Status.SUBMITTED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status != Proposal.Status.SUBMITTED else None)
    supports_close_at = factory.LazyAttribute(
        lambda o: timezone.now() + datetime.timedelta(days=30) if o.status == Proposal.Status.PUBLISHED else None
    )


class ProposalRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalRule

    community = factory.SubFactory(CommunityFactory)
    threshold = 3


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.PUBLISHED)
    person = factory.SubFactory(ResidentFactory)
    created_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.PUBLISHED)
    author = factory.SubFactory(ResidentFactory)
    text = "赞成，早就该修了。"
    created_at = factory.LazyFunction(timezone.now)
