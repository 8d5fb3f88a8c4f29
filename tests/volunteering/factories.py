import factory
from django.utils import timezone

from alliance.volunteering.models import DualReport, FeedbackSheet
from members.models import User
from tests.members.factories import PartyMemberFactory, UserFactory


class PartyMemberUserFactory(UserFactory):
    role = User.Role.PARTY_MEMBER
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class DualReportFactory(factory.django.DjangoModelFactory):
    """A report waiting for the community, pledging a volunteer role."""

    class Meta:
        model = DualReport
        skip_postgeneration_save = True

    member = factory.SubFactory(PartyMemberFactory, reported_on=None)
    community = factory.SelfAttribute("member.community")
    in_service = True
    party_organization = "区卫健局机关党支部"
    serve_times = ["weekends"]
    volunteer_role = "楼栋志愿者"
    status = DualReport.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class FeedbackSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSheet

    member = factory.SubFactory(PartyMemberFactory)
    year = 2025
    community = factory.SelfAttribute("member.community")
    unit = factory.SelfAttribute("member.unit")
    party_organization = "测试党支部"
    hours = 12
    services = 4
