"""A resident opens a service point's page on a phone, sees the lawyer's next visits (律师每月15日下沉到党群服务点)
and the weekly health check, and signs up to the next health check with the activities' sign-up."""

import datetime

import pytest

from services import actions
from services.models import ActivitySignup, RecurringService, ServiceStation
from tests.browser_support import shot, sign_in
from tests.services.factories import RecurringServiceFactory, ServiceStationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_sees_the_next_occurrences_on_a_station_page_and_signs_up(new_page, resident, community):
    point = ServiceStationFactory(
        name="舜园3号楼微网格党建服务点", kind=ServiceStation.Kind.POINT, grid_node=community, address="舜园小区3号楼下"
    )
    RecurringServiceFactory(station=point, title="义务法律咨询、法律援助", provider_name="“法律明白人”工作室 张律师")
    RecurringServiceFactory(
        station=point,
        title="义诊体检（量血压、测血糖）",
        kind="health_check",
        provider_name="社区卫生服务中心医生",
        frequency=RecurringService.Frequency.WEEKLY,
        day_of_month=None,
        weekday=RecurringService.Weekday.WEDNESDAY,
        starts_time=datetime.time(9),
        ends_time=datetime.time(11),
        capacity=20,
    )
    actions.generate_occurrences()

    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto(f"/services/stations/{point.pk}/")
    section = phone.locator("section[aria-labelledby=recurring-title]")
    section.get_by_text("每月15日").first.wait_for()
    assert section.locator("a.row", has_text="每周三").count() >= 4
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    section.scroll_into_view_if_needed()
    shot(phone, "recurring_station_page_phone")

    section.locator("a.row", has_text="义诊体检").first.click()
    phone.get_by_role("button", name="我要报名").click()
    phone.get_by_text("报名成功").wait_for()
    signup = ActivitySignup.objects.get(user=resident)
    assert signup.activity.recurring_service.title == "义诊体检（量血压、测血糖）"
