import datetime
import importlib
from decimal import Decimal

import factory

from projects.models import Category, Claim, Match, Need, Pledge, Project, Resource, Wish
from tests.grids.factories import CommunityFactory
from tests.members.factories import MemberUnitFactory, ResidentFactory


def ensure_categories() -> None:
    """The categories of migration 0002 (a transactional test's flush removes them)."""
    if not Category.objects.exists():
        from django.apps import apps

        seed = importlib.import_module("projects.migrations.0002_seed_categories").seed
        seed(apps, None)


def category(code: str = "health-1") -> Category:
    """A seeded category: "health-1" is 医疗卫生 · 义诊体检."""
    ensure_categories()
    return Category.objects.get(code=code)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"义诊服务{n}")
    category = factory.LazyFunction(category)
    description = "每月组织医生到社区开展义诊和健康咨询"
    unit = factory.SubFactory(MemberUnitFactory)
    grid_node = factory.SelfAttribute("unit.grid_node")
    quantity = 2
    availability = "每周六上午"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"老年人义诊需求{n}")
    category = factory.LazyFunction(category)
    description = "小区老人多,希望有医生上门义诊、测量血压"
    grid_node = factory.SubFactory(CommunityFactory)
    people_affected = 40


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"社区义诊项目{n}")
    category = factory.LazyFunction(category)
    description = "联合驻区医院为社区老人开展义诊"
    grid_node = factory.SubFactory(CommunityFactory)
    capacity = 3
    status = Project.Status.PUBLISHED
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    status = Claim.Status.PENDING

    @factory.post_generation
    def _count(obj, create, extracted, **kwargs):
        if create and obj.status != Claim.Status.REJECTED:
            Project.objects.filter(pk=obj.project_id).update(active_claims=obj.project.active_claims + 1)
            obj.project.active_claims += 1


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    project = factory.SubFactory(ProjectFactory, crowdfunding_target=Decimal("10000"))
    unit = factory.SubFactory(MemberUnitFactory)
    amount = Decimal("1000")


class WishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wish

    title = factory.Sequence(lambda n: f"想要一副老花镜{n}")
    grid_node = factory.SubFactory(CommunityFactory)
    resident = factory.SubFactory(ResidentFactory, grid_node=factory.SelfAttribute("..grid_node"))
    status = Wish.Status.PUBLISHED


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    need = factory.SubFactory(NeedFactory)
    resource = factory.SubFactory(ResourceFactory)
    kind = Match.Kind.RESOURCE
    target_id = factory.SelfAttribute("resource.pk")
    score = 0.8
    reasons = "同社区 · 类别一致"


class PersonClaimFactory(ClaimFactory):
    """A person's claim (a party member's account unless told otherwise) holding one of the individual places."""

    project = factory.SubFactory(ProjectFactory, allows_individuals=True, individual_capacity=5)
    unit = None
    person = factory.SubFactory(ResidentFactory, role="party_member")

    @factory.post_generation
    def _count(obj, create, extracted, **kwargs):
        if create and obj.status != Claim.Status.REJECTED:
            taken = obj.project.active_individual_claims + 1
            Project.objects.filter(pk=obj.project_id).update(active_individual_claims=taken)
            obj.project.active_individual_claims = taken
