"""Recurring station services (常态化下沉服务: 律师每月15日下沉到党群服务点): the rule's dates, the daily job that
makes the next 30 days' occurrences exactly once, sign-ups to an occurrence, who may keep a rule, and the pages."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import Notification
from services import actions
from services.models import Activity, ActivitySignup, RecurringService
from services.tasks import generate_recurring_occurrences_task
from tests.members.factories import MemberUnitFactory, UnitOperatorFactory
from tests.services.factories import RecurringServiceFactory, ServiceStationFactory
from tests.services.test_exports import rows_of, sheet_of

TZ = timezone.get_current_timezone()
# 10 January 2027, 08:00 in Shanghai: the next 30 days run to 9 February.
NOW = datetime.datetime(2027, 1, 10, 8, tzinfo=TZ)


def _dates(rule, first, last):
    return actions.occurrence_dates(rule, first, last)


def test_monthly_on_the_15th_and_weekly_on_tuesday():
    lawyer = RecurringService(frequency="monthly", day_of_month=15)
    assert _dates(lawyer, datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)) == [
        datetime.date(2027, 1, 15),
        datetime.date(2027, 2, 15),
        datetime.date(2027, 3, 15),
    ]
    health = RecurringService(frequency="weekly", weekday=RecurringService.Weekday.TUESDAY)
    assert _dates(health, datetime.date(2027, 1, 10), datetime.date(2027, 1, 31)) == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 1, 26),
    ]


def test_a_day_the_month_lacks_falls_on_its_last_day():
    # Decision: a monthly service comes every month; on the 31st, that is the 30th of April and the end of February.
    month_end = RecurringService(frequency="monthly", day_of_month=31)
    assert _dates(month_end, datetime.date(2027, 1, 1), datetime.date(2027, 4, 30)) == [
        datetime.date(2027, 1, 31),
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 31),
        datetime.date(2027, 4, 30),
    ]
    the_30th = RecurringService(frequency="monthly", day_of_month=30)
    assert _dates(the_30th, datetime.date(2028, 2, 1), datetime.date(2028, 3, 31)) == [
        datetime.date(2028, 2, 29),  # a leap year
        datetime.date(2028, 3, 30),
    ]


def test_the_job_makes_the_next_30_days_once(community):
    station = ServiceStationFactory(grid_node=community)
    lawyer = RecurringServiceFactory(station=station)
    health = RecurringServiceFactory(
        station=station,
        title="义诊体检",
        kind=Activity.Kind.HEALTH_CHECK,
        frequency="weekly",
        day_of_month=None,
        weekday=RecurringService.Weekday.TUESDAY,
        starts_time=datetime.time(14),
        ends_time=datetime.time(16),
        capacity=20,
    )
    assert actions.generate_occurrences(now=NOW) == 1 + 5
    assert actions.generate_occurrences(now=NOW) == 0  # idempotent
    assert sorted(lawyer.occurrences.values_list("occurs_on", flat=True)) == [datetime.date(2027, 1, 15)]
    assert sorted(health.occurrences.values_list("occurs_on", flat=True)) == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 1, 26),
        datetime.date(2027, 2, 2),
        datetime.date(2027, 2, 9),
    ]
    occurrence = lawyer.occurrences.get()
    assert timezone.localtime(occurrence.starts_at) == datetime.datetime(2027, 1, 15, 9, tzinfo=TZ)
    assert (occurrence.capacity, occurrence.place, occurrence.organiser) == (10, station.name, "王律师")
    # The next day's run adds what came into the 30 days: the lawyer's 15 February.
    assert actions.generate_occurrences(now=NOW + datetime.timedelta(days=7)) == 2  # 15 Feb and 16 Feb (Tuesday)


def test_an_inactive_or_ended_rule_makes_nothing(community):
    RecurringServiceFactory(station__grid_node=community, is_active=False)
    RecurringServiceFactory(station__grid_node=community, station__is_active=False)  # a closed station
    RecurringServiceFactory(station__grid_node=community, valid_until=datetime.date(2027, 1, 9))
    assert actions.generate_occurrences(now=NOW) == 0
    RecurringServiceFactory(station__grid_node=community, valid_until=datetime.date(2027, 1, 14))
    assert actions.generate_occurrences(now=NOW) == 0  # the 15th is past its end


def test_the_task_runs_the_job(community):
    RecurringServiceFactory(station__grid_node=community)
    assert generate_recurring_occurrences_task.apply(kwargs={"now": NOW.isoformat()}).get() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_never_double(community):
    RecurringServiceFactory(station__grid_node=community, frequency="weekly", day_of_month=None, weekday=0, capacity=5)
    barrier = threading.Barrier(2)
    made = []

    def run():
        try:
            barrier.wait()
            made.append(actions.generate_occurrences(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(made) == 5 and Activity.objects.count() == 5  # Mondays 11, 18, 25 Jan, 1, 8 Feb


def test_residents_sign_up_to_an_occurrence(community, resident):
    rule = RecurringServiceFactory(station__grid_node=community, capacity=1)
    actions.generate_occurrences()
    occurrence = rule.occurrences.order_by("starts_at").first()
    assert actions.sign_up(by=resident, activity=occurrence).status == ActivitySignup.Status.SIGNED_UP


def test_saving_a_rule_replans_its_future(community, community_admin, resident):
    rule = actions.save_recurring_service(
        by=community_admin,
        station=ServiceStationFactory(grid_node=community),
        title="法律咨询",
        provider_name="王律师",
        frequency="weekly",
        weekday=1,
        starts_time=datetime.time(9),
        ends_time=datetime.time(11),
        capacity=10,
        now=NOW,
    )
    assert rule.occurrences.count() == 5 and rule.created_by == community_admin
    kept = rule.occurrences.get(occurs_on=datetime.date(2027, 1, 19))
    ActivitySignup.objects.create(activity=kept, user=resident, signed_up_at=NOW)
    # Moved to Thursdays: the Tuesdays nobody signed up for go, the one with a sign-up stays.
    actions.save_recurring_service(by=community_admin, rule=rule, weekday=3, now=NOW)
    dates = set(rule.occurrences.filter(status="published").values_list("occurs_on", flat=True))
    assert datetime.date(2027, 1, 19) in dates and datetime.date(2027, 1, 12) not in dates
    assert datetime.date(2027, 1, 14) in dates
    # Stopped: the occurrence someone signed up for is cancelled and they hear why.
    actions.save_recurring_service(by=community_admin, rule=rule, is_active=False, now=NOW)
    kept.refresh_from_db()
    assert kept.status == Activity.Status.CANCELLED
    assert "已停止" in Notification.objects.get(recipient=resident).body
    assert not rule.occurrences.filter(status="published").exists()


def _rule_fields(station, **over):
    fields = {
        "station": station,
        "title": "法律咨询",
        "provider_name": "王律师",
        "frequency": "monthly",
        "day_of_month": 15,
        "starts_time": datetime.time(9),
        "ends_time": datetime.time(11, 30),
        "capacity": 10,
    }
    fields.update(over)
    return fields


@pytest.mark.parametrize("role", ["community_admin", "street_admin", "superuser"])
def test_admins_in_scope_keep_rules(request, role, community):
    station = ServiceStationFactory(grid_node=community)
    rule = actions.save_recurring_service(by=request.getfixturevalue(role), **_rule_fields(station))
    assert rule.pk


@pytest.mark.parametrize("role", ["other_community_admin", "grid_worker", "resident"])
def test_others_are_refused(request, role, community):
    station = ServiceStationFactory(grid_node=community)
    with pytest.raises(PermissionDenied):
        actions.save_recurring_service(by=request.getfixturevalue(role), **_rule_fields(station))


def test_the_provider_unit_keeps_its_own_rules_only(unit_operator, community, community_admin):
    station = ServiceStationFactory(grid_node=community)
    rule = actions.save_recurring_service(by=unit_operator, **_rule_fields(station, provider_name=""))
    assert rule.provider_unit == unit_operator.unit and rule.provider_label == unit_operator.unit.name
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community), grid_node=community)
    with pytest.raises(PermissionDenied):
        actions.save_recurring_service(by=other, rule=rule, capacity=3)
    theirs = actions.save_recurring_service(by=community_admin, **_rule_fields(station))
    with pytest.raises(PermissionDenied):
        actions.save_recurring_service(by=unit_operator, rule=theirs, capacity=3)
    elsewhere = ServiceStationFactory()  # another street
    with pytest.raises(PermissionDenied):
        actions.save_recurring_service(by=unit_operator, **_rule_fields(elsewhere))


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"day_of_month": None}, "day_of_month"),
        ({"day_of_month": 32}, "day_of_month"),
        ({"frequency": "weekly", "weekday": None}, "weekday"),
        ({"ends_time": datetime.time(8)}, "ends_time"),
        ({"title": " "}, "title"),
        ({"provider_name": ""}, "provider_name"),
    ],
)
def test_an_incomplete_rule_is_a_field_error(community_admin, community, over, field):
    with pytest.raises(ValidationError) as refused:
        actions.save_recurring_service(
            by=community_admin, **_rule_fields(ServiceStationFactory(grid_node=community), **over)
        )
    assert field in refused.value.message_dict


def test_station_page_lists_the_next_occurrences(client, community, django_assert_num_queries):
    station = ServiceStationFactory(grid_node=community)
    RecurringServiceFactory(station=station)
    actions.generate_occurrences()
    # station (+ grid node), rooms, menu items, occurrences with their rule and sign-up counts;
    # the wall (公示) of a community with no party organisation: the organisations, the stars
    with django_assert_num_queries(6):
        page = client.get(reverse("services:station", args=[station.pk]))
    body = page.content.decode()
    first = Activity.objects.filter(recurring_service__station=station).order_by("starts_at").first()
    assert "法律咨询" in body and "每月15日" in body and "09:00–11:30" in body
    assert reverse("services:activity", args=[first.pk]) in body
    RecurringServiceFactory(
        station=station, title="义诊体检", frequency="weekly", day_of_month=None, weekday=2, capacity=20
    )
    RecurringServiceFactory(station=station, title="心理疏导", frequency="weekly", day_of_month=None, weekday=4)
    actions.generate_occurrences()
    with django_assert_num_queries(6):  # the same, with three rules and their occurrences
        body = client.get(reverse("services:station", args=[station.pk])).content.decode()
    assert "义诊体检" in body and body.count('class="button small">报名') <= 8


def _form(station, **over):
    data = {
        "station": station.pk,
        "title": "家电义务维修",
        "kind": "volunteer",
        "provider_name": "",
        "description": "",
        "frequency": "weekly",
        "day_of_month": "",
        "weekday": "5",
        "starts_time": "09:00",
        "ends_time": "11:00",
        "capacity": "8",
        "is_active": "on",
        "valid_until": "",
    }
    data.update(over)
    return data


def test_workspace_recurring_pages(client, unit_operator, community, resident, django_assert_num_queries):
    station = ServiceStationFactory(grid_node=community)
    client.force_login(unit_operator)
    response = client.post(reverse("services_ws:recurring_new"), _form(station, ends_time="08:00"))
    assert "结束时间必须晚于开始时间" in response.content.decode()
    response = client.post(reverse("services_ws:recurring_new"), _form(station), follow=True)
    assert "常态化服务已保存" in response.content.decode()
    rule = RecurringService.objects.get()
    assert rule.provider_unit == unit_operator.unit and rule.occurrences.count() >= 4
    # session, user, count, page (with the station)
    with django_assert_num_queries(4):
        assert client.get(reverse("services_ws:recurring")).status_code == 200
    for _ in range(5):
        RecurringServiceFactory(station=station, provider_unit=unit_operator.unit)
    with django_assert_num_queries(4):
        assert client.get(reverse("services_ws:recurring")).status_code == 200
    client.post(reverse("services_ws:recurring_edit", args=[rule.pk]), _form(station, capacity="12"))
    rule.refresh_from_db()
    assert rule.capacity == 12
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community), grid_node=community)
    client.force_login(other)
    assert client.get(reverse("services_ws:recurring_edit", args=[rule.pk])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("services_ws:recurring")).status_code == 403


def test_admin_adds_a_rule_through_the_action(client, community_admin, other_community_admin, community):
    station = ServiceStationFactory(grid_node=community)
    client.force_login(community_admin)
    data = _form(station, provider_name="王律师", frequency="monthly", day_of_month="15", weekday="")
    data.update({"provider_unit": "", "occurrences-TOTAL_FORMS": "0", "occurrences-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:services_recurringservice_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = RecurringService.objects.get()
    assert rule.created_by == community_admin and rule.occurrences.exists()
    client.force_login(other_community_admin)
    assert client.get(reverse("admin:services_recurringservice_change", args=[rule.pk])).status_code == 404


def test_api_lists_the_running_rules(client, community, django_assert_num_queries):
    station = ServiceStationFactory(grid_node=community)
    RecurringServiceFactory(station=station)
    RecurringServiceFactory(station=station, is_active=False)
    with django_assert_num_queries(2):  # count, page with station and provider unit
        rows = client.get("/api/v1/recurring-services/").json()["results"]
    assert [row["rule_text"] for row in rows] == ["每月15日 09:00–11:30"]
    for _ in range(5):
        RecurringServiceFactory(station=station, provider_unit=MemberUnitFactory(grid_node=community))
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/recurring-services/").json()["results"]) == 6


def test_demo_shows_the_lawyer_the_health_check_and_the_units_activities(db):
    # Imported here: the demo modules need the app registry pytest-django sets up.
    import importlib
    import io

    from django.apps import apps

    from alliance.demo import grids, members, recurring
    from alliance.demo import services as services_demo

    importlib.import_module("projects.migrations.0002_seed_categories").seed(apps, None)
    out = io.StringIO()
    for module in (grids, members, services_demo, recurring):
        module.seed(stdout=out)
    rules = {r.title: r for r in RecurringService.objects.select_related("station")}
    lawyer = rules["义务法律咨询、法律援助"]
    assert lawyer.rule_text == "每月15日 09:00–11:30" and lawyer.station.kind == "point"
    assert rules["义诊体检（量血压、测血糖）"].rule_text == "每周三 09:00–11:00"
    assert rules["家电义务维修"].provider_unit.name == "中国铁建投资集团山东分公司"
    assert Activity.objects.filter(recurring_service__isnull=False).count() >= 4 + 4
    assert (
        Activity.objects.filter(organiser_unit__name="中国铁建投资集团山东分公司", recurring_service=None).count() == 2
    )
    before = Activity.objects.count()
    recurring.seed(stdout=out)
    assert Activity.objects.count() == before and RecurringService.objects.count() == 3


def test_admin_exports_the_communitys_rules(client, community_admin, community, other_community):
    RecurringServiceFactory(station__grid_node=community)
    RecurringServiceFactory(station__grid_node=other_community, title="心理疏导")
    client.force_login(community_admin)
    rows = rows_of(sheet_of(client.get(reverse("admin:services_recurringservice_export_excel"))))
    assert [(row["服务名称"], row["规则"]) for row in rows] == [("法律咨询", "每月15日 09:00–11:30")]
