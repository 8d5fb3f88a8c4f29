"""Demo dual reporting (双报到): in each community of 舜玉路街道, reports in every state (most confirmed, some
waiting, one returned with its reason, one corrected and resubmitted), the demo party member 孙立华's own
confirmed report, and last year's feedback sheets (报到反馈单) of the confirmed members, evaluated by the
community. Idempotent: the reports are keyed by member, the sheets by member and year.

Wording from the seeds (004): “引导党员亮明身份、亮出特长、亮清责任”, “关系在单位、活动在社区、奉献双岗位”."""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.points.models import PointsEntry, PointsKind
from alliance.volunteering import selectors
from alliance.volunteering.models import DualReport, FeedbackSheet, ServeTime
from grids.models import GridNode, Team
from members.models import PartyMember, Skill, User
from services.models import Activity, MenuItem

ROLES = ["楼栋志愿者", "文明劝导员", "政策宣讲员", "法律咨询志愿者", "助老志愿者", "垃圾分类督导员"]
NEW_NAMES = ["韩振东", "冯晓梅", "高建国", "宋丽娟", "邵明远", "崔海燕", "陆文博", "任雪芹"]
LAST_YEAR = ["春节前走访慰问困难群众", "“学雷锋”便民服务集市", "文明城市创建志愿服务", "冬季独居老人安全巡查"]
RETURN_REASON = "所填微网格与居住地址不符，请核对后重新提交。"
CONFIRMED_PER_COMMUNITY = 6
COMMENTS = {
    FeedbackSheet.Evaluation.EXCELLENT: "亮明身份、亮出特长、亮清责任，全年积极参加社区志愿服务，表现突出。",
    FeedbackSheet.Evaluation.GOOD: "能按认领岗位参加社区活动，关系在单位、活动在社区、奉献双岗位。",
    FeedbackSheet.Evaluation.FAIR: "参加社区活动次数偏少，希望今后多亮身份、多作奉献。",
}


def _post(rng, index: int, community, teams, menu) -> dict:
    choice = index % 3
    if choice == 0 and teams.get(community.pk):
        return {"team": teams[community.pk]}
    if choice == 1 and menu:
        return {"menu_item": menu[index % len(menu)]}
    return {"volunteer_role": rng.choice(ROLES)}


def _times(rng) -> list[str]:
    return rng.sample(list(ServeTime.values[:4]), rng.randint(1, 2))


def _last_year_services(rng, street, reports: list[DualReport], year: int) -> None:
    """Four volunteer services of last year (one a quarter) with the hours of the confirmed members who served."""
    activity_type = ContentType.objects.get_for_model(Activity)
    entries = []
    for quarter, title in enumerate(LAST_YEAR, start=1):
        start = timezone.make_aware(datetime.datetime(year, 3 * quarter - 1, 15, 9))
        activity = Activity.objects.create(
            title=f"【往年】{title}",
            kind=Activity.Kind.VOLUNTEER,
            organiser=f"{street.name}大工委",
            grid_node=street,
            place=f"{street.name}党群服务中心",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            capacity=200,
            description="往年志愿服务，在职党员到社区报到后参加，按时长记入服务记录。",
        )
        for r in reports:
            if rng.random() < 0.3:
                continue
            common = {
                "member": r.member,
                "grid_node": r.community,
                "street": street,
                "source_type": activity_type,
                "source_id": activity.pk,
                "occurred_on": start.date(),
            }
            entries.append(
                PointsEntry(
                    kind=PointsKind.ACTIVITY_CHECKIN, points=2, reason=f"参加活动签到：{activity.title}", **common
                )
            )
            entries.append(
                PointsEntry(
                    kind=PointsKind.VOLUNTEER_HOURS,
                    points=3,
                    hours=Decimal(3),
                    reason=f"志愿服务 3 小时：{activity.title}",
                    **common,
                )
            )
    PointsEntry.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)


def seed(stdout=None) -> None:
    street = GridNode.objects.filter(code="SY").first()
    if street is None or DualReport.objects.filter(community__street=street).exists():
        return
    rng = random.Random(20260316)
    now = timezone.now()
    admin = User.objects.filter(username="community_admin").first()
    communities = list(GridNode.objects.filter(street=street, level=GridNode.Level.COMMUNITY).order_by("path"))
    micro: dict[int, list[GridNode]] = {}
    for node in GridNode.objects.filter(street=street, level=GridNode.Level.MICRO).order_by("path"):
        micro.setdefault(node.parent_id, []).append(node)
    teams = {t.node_id: t for t in Team.objects.filter(node__in=communities, kind=Team.Kind.VOLUNTEER).order_by("pk")}
    menu = list(MenuItem.objects.filter(grid_scope__street=street, is_active=True).order_by("pk")[:6])
    skills = list(Skill.objects.order_by("name"))
    confirmed: list[DualReport] = []
    seq = 0

    def report(member, community, status, index, **extra):
        days = rng.randint(2, 20)
        fields = {
            "member": member,
            "community": community,
            "micro_grid": rng.choice(micro[community.pk]) if micro.get(community.pk) else None,
            "in_service": member.unit_id is not None,
            "unit": member.unit,
            "party_organization": f"{member.unit.name}党支部" if member.unit_id else "",
            "serve_times": _times(rng),
            "serve_note": rng.choice(["", "每月第二个周六上午", "下班后19:00以后"]),
            "status": status,
            "submitted_at": now - datetime.timedelta(days=days),
            **_post(rng, index, community, teams, menu),
            **extra,
        }
        made = DualReport.objects.create(**fields)
        if skills:
            made.skills.set(rng.sample(skills, min(len(skills), rng.randint(1, 3))))
        return made

    for community in communities:
        members = list(
            PartyMember.objects.filter(community__path__startswith=community.path, reported_on__isnull=False)
            .exclude(dual_reports__isnull=False)
            .select_related("unit")
            .order_by("pk")[:CONFIRMED_PER_COMMUNITY]
        )
        for i, member in enumerate(members):
            on = member.reported_on or timezone.localdate()
            at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
            confirmed.append(
                report(
                    member,
                    community,
                    DualReport.Status.CONFIRMED,
                    i,
                    submitted_at=at - datetime.timedelta(days=3),
                    confirmed_at=at,
                    confirmed_by=admin,
                )
            )
        # New members who reported recently: waiting, returned, resubmitted.
        states = [
            (DualReport.Status.SUBMITTED, {}),
            (DualReport.Status.SUBMITTED, {}),
            (DualReport.Status.RETURNED, {"return_reason": RETURN_REASON, "returned_at": now, "returned_by": admin}),
            (DualReport.Status.RESUBMITTED, {"resubmitted_at": now - datetime.timedelta(days=1)}),
        ]
        for j, (status, extra) in enumerate(states):
            seq += 1
            phone = f"1365310{seq:04d}"
            member, _ = PartyMember.objects.get_or_create(
                phone=phone,
                defaults={"name": NEW_NAMES[seq % len(NEW_NAMES)], "community": community, "unit": None},
            )
            if not member.dual_reports.exists():
                report(member, community, status, j, in_service=False, **extra)

    # The demo party member (孙立华) has reported and been confirmed.
    own = PartyMember.objects.filter(user__username="party_member").select_related("unit", "community").first()
    if own is not None and not own.dual_reports.exists():
        community = own.community if own.community.level == GridNode.Level.COMMUNITY else own.community.parent
        at = now - datetime.timedelta(days=200)
        confirmed.append(
            report(own, community, DualReport.Status.CONFIRMED, 2, submitted_at=at, confirmed_at=at, confirmed_by=admin)
        )

    # Last year's feedback sheets, evaluated by the community (from last year's services, recorded as points).
    year = timezone.localdate().year - 1
    _last_year_services(rng, street, confirmed, year)
    records = selectors.records_of([r.member_id for r in confirmed], year)
    grades = (
        [FeedbackSheet.Evaluation.EXCELLENT] + [FeedbackSheet.Evaluation.GOOD] * 4 + [FeedbackSheet.Evaluation.FAIR]
    )
    sheets = []
    for i, r in enumerate(confirmed):
        record = records[r.member_id]
        grade = grades[i % len(grades)]
        sheets.append(
            FeedbackSheet(
                member=r.member,
                year=year,
                community=r.community,
                unit=r.unit,
                party_organization=r.party_organization,
                hours=record.hours,
                services=record.count,
                evaluation=grade,
                comment=COMMENTS[grade],
                created_by=admin,
                evaluated_at=now,
                evaluated_by=admin,
            )
        )
    FeedbackSheet.objects.bulk_create(sheets, ignore_conflicts=True)
    if stdout is not None:
        stdout.write(f"  双报到：{len(confirmed)}名党员已报到，{len(sheets)}份{year}年度报到反馈单。")
