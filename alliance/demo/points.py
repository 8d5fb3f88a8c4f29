"""Demo points (党员积分): six past months of themed party days and volunteer services in each street,
the dual-reported members who took part, last month's ranking published, and a 24-hour yearly
service target per street. Idempotent: a second run finds the first month's activity and returns.

Each past activity is a real ``Activity``; a participant's entries name that activity as their
source (the demo has no sign-up rows for members without accounts), so the once-per-source rule
holds for the demo as it does for live awards.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.points import awards, rankings
from alliance.points.models import PointsEntry, PointsKind, PointsRanking, ServiceHoursTarget
from grids.models import GridNode
from members.models import PartyMember
from services.models import Activity

MONTHS = 6
THEMES = ["学习贯彻党的二十大精神主题党日", "“我为群众办实事”主题党日", "重温入党誓词主题党日"]
VOLUNTEER = ["文明城市创建志愿服务", "老旧小区环境整治志愿服务", "关爱独居老人志愿服务"]


def _month_start(today: datetime.date, back: int) -> datetime.date:
    year, month = today.year, today.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def seed(*, stdout) -> None:

    streets = list(GridNode.objects.streets().order_by("sort_order", "id"))
    if not streets or Activity.objects.filter(title__startswith="【往期】").exists():
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    activity_type = ContentType.objects.get_for_model(Activity)
    entries = []
    for street in streets:
        members = list(
            PartyMember.objects.filter(community__street_id=street.pk, is_active=True, reported_on__isnull=False)
            .select_related("community")
            .order_by("id")[:120]
        )
        if not members:
            continue
        for back in range(MONTHS, 0, -1):
            first = _month_start(today, back)
            for kind, titles, day in ((Activity.Kind.THEME_DAY, THEMES, 1), (Activity.Kind.VOLUNTEER, VOLUNTEER, 15)):
                start = timezone.make_aware(datetime.datetime.combine(first.replace(day=day), datetime.time(9)))
                activity = Activity.objects.create(
                    title=f"【往期】{first.month}月{rng.choice(titles)}",
                    kind=kind,
                    organiser=f"{street.name}大工委",
                    grid_node=street,
                    place=f"{street.name}党群服务中心",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3),
                    capacity=200,
                    description="往期活动，党员签到后按积分规则计分。",
                )
                for member in rng.sample(members, k=min(len(members), rng.randint(25, 60))):
                    common = {
                        "member": member,
                        "grid_node": member.community,
                        "street": street,
                        "source_type": activity_type,
                        "source_id": activity.pk,
                        "occurred_on": start.date(),
                    }
                    entries.append(
                        PointsEntry(
                            kind=PointsKind.ACTIVITY_CHECKIN,
                            points=awards.DEFAULT_RULES[PointsKind.ACTIVITY_CHECKIN],
                            reason=f"参加活动签到：{activity.title}",
                            **common,
                        )
                    )
                    if kind == Activity.Kind.VOLUNTEER:
                        entries.append(
                            PointsEntry(
                                kind=PointsKind.VOLUNTEER_HOURS,
                                points=3,
                                hours=Decimal(3),
                                reason=f"志愿服务 3 小时：{activity.title}",
                                **common,
                            )
                        )
        ServiceHoursTarget.objects.get_or_create(street=street, year=today.year, defaults={"hours": Decimal(24)})
    PointsEntry.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)
    year, month = rankings.previous_month(today)
    for street in streets:
        if not PointsRanking.objects.filter(street=street, year=year, month=month, status="published").exists():
            rankings.publish_ranking(by=None, street=street, year=year, month=month)
    stdout.write(f"  alliance.demo.points: {len(entries)} 条积分记录，已发布 {year}年{month}月排行")
