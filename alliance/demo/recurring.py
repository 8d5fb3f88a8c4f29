"""Demo data of the two-way lists in services: recurring station services (常态化下沉服务) and a unit's own
activities at its venue.

Seed 004: "镇'法律明白人'工作室律师每月15日下沉到党群服务点，开展义务法律咨询、法律援助" — the lawyer comes
to the service point of 舜园社区 on the 15th of every month; 山东省千佛山医院 holds a health check there every
Wednesday; the demo unit (unit_operator's) repairs household appliances at the community's station every Saturday
and opens its staff room to residents for two activities. All through the actions, which also plan the next
30 days' occurrences. Idempotent: once the lawyer's service exists, nothing is done.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import MemberUnit, User
from services import actions
from services.models import Activity, RecurringService, Room, ServiceStation

LAWYER_TITLE = "义务法律咨询、法律援助"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed(stdout=None):
    if RecurringService.objects.filter(title=LAWYER_TITLE).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["community_admin", "unit_operator", "resident"])}
    admin, operator = users.get("community_admin"), users.get("unit_operator")
    if admin is None or operator is None or admin.grid_node is None:
        _say(stdout, "  alliance.demo.recurring: 缺少演示账号，跳过。")
        return
    community = admin.grid_node
    stations = ServiceStation.objects.filter(grid_node__path__startswith=community.path).order_by("kind", "pk")
    point = stations.filter(kind=ServiceStation.Kind.POINT).first() or stations.first()
    station = stations.filter(kind=ServiceStation.Kind.STATION).first() or point
    if point is None:
        _say(stdout, "  alliance.demo.recurring: 缺少党群服务站点，跳过。")
        return
    lawyer = actions.save_recurring_service(
        by=admin,
        station=point,
        title=LAWYER_TITLE,
        kind=Activity.Kind.VOLUNTEER,
        provider_name="“法律明白人”工作室 张律师",
        description="律师每月15日下沉到党群服务点，解答婚姻家庭、劳动争议、物业纠纷等法律问题，符合条件的协助申请法律援助。",
        frequency=RecurringService.Frequency.MONTHLY,
        day_of_month=15,
        starts_time=datetime.time(9),
        ends_time=datetime.time(11, 30),
        capacity=10,
    )
    hospital = MemberUnit.objects.filter(name="山东省千佛山医院").first()
    actions.save_recurring_service(
        by=admin,
        station=point,
        title="义诊体检（量血压、测血糖）",
        kind=Activity.Kind.HEALTH_CHECK,
        provider_unit=hospital,
        provider_name="" if hospital else "社区卫生服务中心医生",
        description="每周三上午医生到党群服务点量血压、测血糖，解答慢病用药问题。",
        frequency=RecurringService.Frequency.WEEKLY,
        weekday=RecurringService.Weekday.WEDNESDAY,
        starts_time=datetime.time(9),
        ends_time=datetime.time(11),
        capacity=20,
    )
    actions.save_recurring_service(
        by=operator,
        station=station,
        title="家电义务维修",
        kind=Activity.Kind.VOLUNTEER,
        description="单位党员志愿者每周六上午在党群服务站义务维修小家电，请居民报名后带上要修的电器。",
        frequency=RecurringService.Frequency.WEEKLY,
        weekday=RecurringService.Weekday.SATURDAY,
        starts_time=datetime.time(9),
        ends_time=datetime.time(11),
        capacity=8,
    )
    resident = users.get("resident")
    first = lawyer.occurrences.order_by("starts_at").first()
    if resident is not None and first is not None:
        actions.sign_up(by=resident, activity=first)
    made = _unit_activities(operator)
    _say(
        stdout,
        f"  alliance.demo.recurring: 3 项常态化下沉服务（{Activity.objects.filter(recurring_service__isnull=False).count()} "
        f"个场次）、{made} 场单位自办活动",
    )


UNIT_ACTIVITIES = [
    (Activity.Kind.LECTURE, "职工之家开放日·防诈骗知识讲座", 5, 30, "单位保卫部讲解常见电信诈骗手法，现场答疑。"),
    (Activity.Kind.VOLUNTEER, "党员志愿者进社区·智能手机教学", 12, 20, "手把手教老人用手机挂号、缴费、视频通话。"),
]


def _unit_activities(operator) -> int:
    """Two activities of the demo unit at its own room, in the evening after any demo booking."""
    room = Room.objects.filter(unit_id=operator.unit_id, is_active=True).order_by("pk").first()
    tz = timezone.get_current_timezone()
    made = 0
    for kind, title, days, capacity, text in UNIT_ACTIVITIES:
        day = timezone.localdate() + datetime.timedelta(days=days)
        for shift in range(5):  # the next free evening of the room
            start = datetime.datetime.combine(day + datetime.timedelta(days=shift), datetime.time(19), tzinfo=tz)
            try:
                actions.create_unit_activity(
                    by=operator,
                    title=title,
                    kind=kind,
                    room=room,
                    place="" if room else "单位职工活动室",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=1, minutes=30),
                    capacity=min(capacity, room.capacity) if room else capacity,
                    points=2,
                    description=text,
                )
            except ValidationError:
                continue
            made += 1
            break
    return made
