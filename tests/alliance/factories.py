import datetime

import factory
from django.utils import timezone

from alliance.committee.models import Committee, Matter, Meeting, Seat
from tests.grids.factories import StreetFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"测试{n}街道大工委")
    kind = Committee.Kind.STREET_JOINT
    grid_node = factory.SubFactory(StreetFactory)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    committee = factory.SubFactory(CommitteeFactory)
    person_name = factory.Sequence(lambda n: f"委员{n}")
    role = Seat.Role.FULL_TIME
    term_start = datetime.date(2025, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"第{n}次联席会议")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "街道党群服务中心三楼会议室"
    summary = "研究辖区停车难问题"


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"议题{n}:老旧小区加装电梯")
    description = "居民反映强烈,需协调多方资源"
