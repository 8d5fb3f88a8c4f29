import datetime

import factory
from django.utils import timezone

from projects.models import Category
from services.models import Activity, Booking, Issue, MenuItem, Order, RecurringService, Room, ServiceStation
from tests.grids.factories import CommunityFactory
from tests.members.factories import MemberUnitFactory, ResidentFactory

SEEDED = {
    "elderly": ("养老服务", None),
    "elderly-1": ("助餐送餐", "elderly"),
    "elderly-2": ("居家照护", "elderly"),
    "housing_safety": ("百姓安居", None),
    "health": ("医疗卫生", None),
}


def category(code="elderly-1"):
    """A category seeded by projects migration 0002 (养老服务 · 助餐送餐 by default).

    Recreated if missing: a transactional test's flush empties the table for the tests after it.
    """
    found = Category.objects.filter(code=code).first()
    if found:
        return found
    name, parent = SEEDED[code]
    return Category.objects.create(code=code, name=name, parent=category(parent) if parent else None)


class ServiceStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStation

    name = factory.Sequence(lambda n: f"舜园社区党群服务站{n}")
    kind = ServiceStation.Kind.STATION
    grid_node = factory.SubFactory(CommunityFactory)
    address = "舜玉路12号"
    head_name = "刘店长"
    star_rating = 4


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"多功能厅{n}")
    station = factory.SubFactory(ServiceStationFactory)
    capacity = 30


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    title = factory.Sequence(lambda n: f"老年助餐送餐{n}")
    category = factory.LazyFunction(category)
    description = "为辖区高龄、独居老人提供午餐送餐上门服务"
    provider_unit = factory.SubFactory(MemberUnitFactory)
    grid_scope = factory.SelfAttribute("provider_unit.grid_node")
    capacity_per_day = 10


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    resident = factory.SubFactory(ResidentFactory)
    menu_item = factory.SubFactory(MenuItemFactory)
    category = factory.SelfAttribute("menu_item.category")
    grid_node = factory.SelfAttribute("resident.grid_node")
    contact_phone = "13912345678"
    address = "舜玉小区3号楼2单元501"
    submitted_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = "楼道堆放杂物"
    text = "3号楼2单元楼道长期堆放杂物,存在消防隐患。"
    reporter = factory.SubFactory(ResidentFactory)
    grid_node = factory.SelfAttribute("reporter.grid_node")
    contact_phone = "13912345678"
    location = "舜玉小区3号楼2单元"
    level = Issue.Level.COMMUNITY
    step_started_at = factory.LazyFunction(timezone.now)
    reported_at = factory.LazyFunction(timezone.now)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"“七一”主题党日活动{n}")
    kind = Activity.Kind.THEME_DAY
    organiser = "舜园社区党委"
    grid_node = factory.SubFactory(CommunityFactory)
    place = "舜园社区党群服务站二楼"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    capacity = 30


class RecurringServiceFactory(factory.django.DjangoModelFactory):
    """律师每月15日下沉到党群服务点 (seed 004): monthly on the 15th, 9:00–11:30."""

    class Meta:
        model = RecurringService

    station = factory.SubFactory(ServiceStationFactory)
    title = "法律咨询"
    kind = Activity.Kind.VOLUNTEER
    provider_name = "王律师"
    description = "律师下沉到党群服务点，解答居民婚姻家庭、劳动纠纷、物业合同等法律问题。"
    frequency = RecurringService.Frequency.MONTHLY
    day_of_month = 15
    starts_time = datetime.time(9)
    ends_time = datetime.time(11, 30)
    capacity = 10


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    room = factory.SubFactory(RoomFactory)
    booked_by = factory.SubFactory(ResidentFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    purpose = "楼组议事会"
