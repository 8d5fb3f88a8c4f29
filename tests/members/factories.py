import datetime

import factory

from alliance.core.validators import make_credit_code
from members.models import MemberUnit, Pairing, PartyMember, PartyOrganization, User
from tests.grids.factories import CommunityFactory, StreetFactory


class UserFactory(factory.django.DjangoModelFactory):
    """A resident unless told otherwise; password is "pass-word-123"."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = User.Role.RESIDENT
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StreetAdminFactory(UserFactory):
    role = User.Role.STREET_ADMIN
    grid_node = factory.SubFactory(StreetFactory)


class CommunityAdminFactory(UserFactory):
    role = User.Role.COMMUNITY_ADMIN
    grid_node = factory.SubFactory(CommunityFactory)


class GridWorkerFactory(UserFactory):
    role = User.Role.GRID_WORKER
    grid_node = factory.SubFactory(CommunityFactory)


class ResidentFactory(UserFactory):
    role = User.Role.RESIDENT
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    grid_node = factory.SubFactory(CommunityFactory)


class MemberUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberUnit

    name = factory.Sequence(lambda n: f"测试成员单位{n}")
    kind = MemberUnit.Kind.STATE_FIRM
    credit_code = factory.Sequence(lambda n: make_credit_code(f"91370100{n:09d}"))
    address = "舜玉路1号"
    grid_node = factory.SubFactory(CommunityFactory)
    contact_name = "李联络"
    contact_phone = factory.Sequence(lambda n: f"138{n:08d}")
    joined_on = datetime.date(2024, 3, 1)


class UnitOperatorFactory(UserFactory):
    role = User.Role.UNIT_OPERATOR
    unit = factory.SubFactory(MemberUnitFactory)
    grid_node = factory.SelfAttribute("unit.grid_node")


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    unit = factory.SubFactory(MemberUnitFactory)
    name = factory.LazyAttribute(lambda o: f"{o.unit.name}党支部")
    kind = PartyOrganization.Kind.BRANCH
    secretary = "赵书记"
    member_count = 12


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    name = factory.Sequence(lambda n: f"党员{n}")
    phone = factory.Sequence(lambda n: f"136{n:08d}")
    unit = factory.SubFactory(MemberUnitFactory)
    community = factory.SubFactory(CommunityFactory)
    reported_on = datetime.date(2025, 1, 10)


class PairingFactory(factory.django.DjangoModelFactory):
    """A unit paired with its own community, active this year and the next."""

    class Meta:
        model = Pairing

    unit = factory.SubFactory(MemberUnitFactory)
    community = factory.SelfAttribute("unit.grid_node")
    starts_on = factory.Sequence(
        lambda n: datetime.date(datetime.date.today().year - 1, 2, 1) + datetime.timedelta(days=n % 250)
    )
    ends_on = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year + 1, 12, 31))
