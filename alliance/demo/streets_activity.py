"""Activity in every street (no street at zero on the figures page), and the district's seed figures.

The demo's richest street (舜玉路街道) is built by the other steps through actions; a street with nothing yet
(西站街道, the streets of ``seed_city``) gets a year of history here, created in bulk with consistent stamps and
statuses: its community big party committees, joint-committee and community meetings with resolved matters,
residents' orders (accepted, served, delivered, rated), issues with their timeline, the three lists and claims.

Then the district's figures since 2018 are brought to the seed report's (seed 003): "七里河区召开街道大工委联席
会议43次,研究和解决辖区重大事项20余项,召开社区大党委联席会议326次,研究和解决各类事项100余项". What exists
is counted first and only the difference is added (historic meetings and matters before the last twelve months),
so running the step twice changes nothing and the totals land exactly whatever the other steps made.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance.committee.models import Committee, Matter, Meeting
from grids.models import District, GridNode
from members.models import MemberUnit, User
from projects.models import Category, Claim, Need, Project, Resource
from services.models import Issue, IssueEvent, Order

SINCE = datetime.date(2018, 1, 1)
# The seed report's figures since 2018: held meetings exactly; resolved matters "20余项" and "100余项".
TARGETS = {
    Committee.Kind.STREET_JOINT: {"meetings": 43, "matters": 24},
    Committee.Kind.COMMUNITY_PARTY: {"meetings": 326, "matters": 108},
}
DISTRICT = ("七里河区", "620103")

ORDER_TEXTS = ["老人助餐送餐上门", "上门理发", "家电维修", "代缴水电费", "心理疏导", "法律咨询", "健康体检"]
ISSUE_TEXTS = [
    ("楼道堆放杂物", "单元楼道长期堆放杂物，存在消防隐患。"),
    ("路灯不亮", "小区东门路灯坏了一周，晚上出行不便。"),
    ("下水道堵塞", "楼下下水道堵塞，污水外溢。"),
    ("车辆乱停", "消防通道经常被私家车占用。"),
    ("噪音扰民", "夜间广场舞音响声音过大。"),
]
MATTER_TITLES = [
    "老旧小区加装电梯协调",
    "背街小巷环境整治",
    "社区养老服务站建设",
    "停车难问题共治",
    "辖区学校周边交通安全",
    "垃圾分类示范小区创建",
    "困难群众结对帮扶",
    "便民市场规范提升",
]


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _months_back(today: datetime.date, n: int) -> datetime.date:
    year, month = divmod(today.year * 12 + today.month - 1 - n, 12)
    return datetime.date(year, month + 1, 1)


# --- a year of history in a quiet street ---------------------------------------------------------------


def _committees(street: GridNode) -> tuple[Committee, list[Committee]]:
    """The street's joint committee and a big party committee for each community (created when missing)."""
    joint = Committee.objects.filter(grid_node=street, kind=Committee.Kind.STREET_JOINT).first()
    if joint is None:
        joint = Committee.objects.create(
            name=f"{street.name}大工委", kind=Committee.Kind.STREET_JOINT, grid_node=street
        )
    communities = list(
        GridNode.objects.filter(parent=street, level=GridNode.Level.COMMUNITY).order_by("sort_order", "id")
    )
    have = set(
        Committee.objects.filter(grid_node__in=communities, kind=Committee.Kind.COMMUNITY_PARTY).values_list(
            "grid_node_id", flat=True
        )
    )
    for community in communities:
        if community.pk not in have:
            Committee.objects.create(
                name=f"{community.name}大党委",
                kind=Committee.Kind.COMMUNITY_PARTY,
                grid_node=community,
                parent=joint,
                description=f"{community.name}党委与驻社区单位党组织组成的大党委。",
            )
    return joint, list(
        Committee.objects.filter(grid_node__in=communities, kind=Committee.Kind.COMMUNITY_PARTY).order_by(
            "grid_node__path"
        )
    )


def _meeting(committee: Committee, held_at: datetime.datetime, title: str) -> Meeting:
    joint = committee.kind == Committee.Kind.STREET_JOINT
    return Meeting(
        committee=committee,
        kind=Meeting.Kind.PLENARY if joint else Meeting.Kind.GRID,
        title=title,
        summary="研究辖区共驻共建事项和居民诉求。",
        starts_at=held_at - datetime.timedelta(hours=2),
        ends_at=held_at,
        place=f"{committee.grid_node.name}党群服务中心",
        deliberation_month=held_at.date().replace(day=1) if joint else None,
        status=Meeting.Status.HELD,
        minutes="会议通报上次议定事项落实情况，研究本次议题。",
        held_at=held_at,
    )


def _matter(committee: Committee, resolved_at: datetime.datetime, title: str) -> Matter:
    return Matter(
        committee=committee,
        title=title,
        description="成员单位和社区提出，经联席会议研究。",
        status=Matter.Status.RESOLVED,
        studied_at=resolved_at - datetime.timedelta(hours=1),
        resolution="会议议定由相关成员单位牵头落实，街道督办。",
        resolved_at=resolved_at,
        progress=100,
    )


def _recent_committee_work(street, joint, community_committees, today, rng) -> None:
    """Monthly joint meetings and quarterly community meetings of the last twelve months, each resolving a matter."""
    meetings, matters = [], []
    for n in range(1, 12):
        held = _aware(_months_back(today, n).replace(day=25), 11)
        meetings.append(_meeting(joint, held, f"{street.name}大工委{held:%Y年%m月}联席会议"))
        if n % 2:
            matters.append(_matter(joint, held, rng.choice(MATTER_TITLES)))
    for committee in community_committees:
        for n in (1, 4, 7, 10):
            held = _aware(_months_back(today, n).replace(day=18), 16)
            meetings.append(_meeting(committee, held, f"{committee.name}{held:%Y年%m月}联席会议"))
            if n in (1, 7):
                matters.append(_matter(committee, held, rng.choice(MATTER_TITLES)))
    bulk_create_with_history(meetings, Meeting)
    bulk_create_with_history(matters, Matter)


def _residents(street, communities) -> list[User]:
    password = make_password(None)
    people = []
    for i, community in enumerate(communities):
        user, _created = User.objects.get_or_create(
            username=f"demo_{street.code.lower()}_resident_{i + 1:02d}",
            defaults={
                "password": password,
                "role": User.Role.RESIDENT,
                "grid_node": community,
                "phone": f"139{street.pk % 1000:03d}{i + 1:05d}",
            },
        )
        people.append(user)
    return people


def _orders_and_issues(street, communities, units, today, rng) -> None:
    """Two orders and one issue a month in each community for a year, each as far along as its age allows."""
    categories = list(Category.objects.filter(parent__isnull=False).order_by("id")[:7]) or list(
        Category.objects.all()[:1]
    )
    residents = _residents(street, communities)
    now = timezone.now()
    orders, issues = [], []
    for community, resident in zip(communities, residents, strict=True):
        for n in range(12):
            first = _months_back(today, n)
            for k in range(2):
                submitted = _aware(first + datetime.timedelta(days=3 + 11 * k), 9)
                if submitted >= now:
                    continue
                accepted = submitted + datetime.timedelta(hours=rng.randint(1, 10))
                delivered = accepted + datetime.timedelta(hours=rng.randint(12, 60))
                done = n > 0 or k == 0
                rated = done and rng.random() < 0.8
                orders.append(
                    Order(
                        resident=resident,
                        category=rng.choice(categories),
                        text=rng.choice(ORDER_TEXTS),
                        grid_node=community,
                        contact_phone=resident.phone,
                        address=f"{community.name}{rng.randint(1, 30)}号楼",
                        status=(Order.Status.RATED if rated else Order.Status.DELIVERED)
                        if done
                        else Order.Status.ACCEPTED,
                        unit=rng.choice(units) if units else None,
                        submitted_at=submitted,
                        accepted_at=accepted,
                        served_at=delivered - datetime.timedelta(hours=2) if done else None,
                        delivered_at=delivered if done else None,
                        rated_at=delivered + datetime.timedelta(hours=20) if rated else None,
                        rating=rng.choice([5, 5, 5, 4, 4, 3]) if rated else None,
                    )
                )
            reported = _aware(first + datetime.timedelta(days=8), 10)
            if reported < now:
                title, text = rng.choice(ISSUE_TEXTS)
                issues.append(
                    (
                        n,
                        Issue(
                            title=title,
                            text=text,
                            reporter=resident,
                            grid_node=community,
                            contact_phone=resident.phone,
                            level=Issue.Level.COMMUNITY,
                            reported_at=reported,
                            step_started_at=reported,
                        ),
                    )
                )
    bulk_create_with_history(orders, Order)
    events = []
    for n, issue in issues:
        at = issue.reported_at
        steps = [("reported", "discovered", at)]
        last = ("handling", "feedback", "evaluated")[min(n, 2)] if n else "consulting"
        for status in ("consulting", "handling", "feedback", "evaluated"):
            at = at + datetime.timedelta(hours=rng.randint(2, 30))
            steps.append(("rated" if status == "evaluated" else "moved", status, at))
            if status == last:
                break
        issue.status, issue.step_started_at = steps[-1][1], steps[-1][2]
        if issue.status == "evaluated":
            issue.rating, issue.rated_at = rng.choice([5, 5, 4, 4, 3]), steps[-1][2]
        issue._steps = steps
    bulk_create_with_history([i for _n, i in issues], Issue)
    for _n, issue in issues:
        for kind, status, at in issue._steps:
            events.append(
                IssueEvent(
                    issue=issue,
                    kind=kind,
                    status=status,
                    level=issue.level,
                    at=at,
                    by=issue.reporter if kind in ("reported", "rated") else None,
                )
            )
    IssueEvent.objects.bulk_create(events)


def _lists(street, communities, units, today, rng) -> None:
    """Resources of the street's units, residents' needs, projects and their completed claims."""
    categories = list(Category.objects.filter(parent__isnull=False).order_by("id")[:7]) or list(
        Category.objects.all()[:1]
    )
    now = timezone.now()
    resources = [
        Resource(title=f"{unit.name}志愿服务", category=rng.choice(categories), unit=unit, grid_node=unit.grid_node)
        for unit in units[:12]
    ]
    Resource.objects.bulk_create(resources)
    needs = [
        Need(
            title=f"{community.name}{rng.choice(ORDER_TEXTS)}需求",
            category=rng.choice(categories),
            grid_node=community,
            status=rng.choice([Need.Status.OPEN, Need.Status.MATCHED, Need.Status.FULFILLED]),
        )
        for community in communities
    ]
    Need.objects.bulk_create(needs)
    projects = []
    for i, community in enumerate(communities):
        completed = now - datetime.timedelta(days=30 * (i + 1))
        projects.append(
            Project(
                title=f"{community.name}{rng.choice(MATTER_TITLES)}项目",
                category=rng.choice(categories),
                grid_node=community,
                status=Project.Status.COMPLETED,
                capacity=2,
                published_at=completed - datetime.timedelta(days=40),
                completed_at=completed,
            )
        )
    bulk_create_with_history(projects, Project)
    claims = []
    for i, project in enumerate(projects):
        for unit in units[2 * i : 2 * i + 2]:
            claims.append(
                Claim(
                    project=project,
                    unit=unit,
                    status=Claim.Status.COMPLETED,
                    claimed_at=project.published_at + datetime.timedelta(days=3),
                    decided_at=project.published_at + datetime.timedelta(days=4),
                    started_at=project.published_at + datetime.timedelta(days=5),
                    completed_at=project.completed_at,
                )
            )
    bulk_create_with_history(claims, Claim)


def _quiet_streets_get_a_year(today, stdout) -> None:
    rng = random.Random(20180301)
    for street in GridNode.objects.streets().order_by("sort_order", "id"):
        in_street = Q(grid_node__street=street)
        joint, community_committees = _committees(street)
        if not Meeting.objects.filter(committee__grid_node__street=street, status=Meeting.Status.HELD).exists():
            _recent_committee_work(street, joint, community_committees, today, rng)
        communities = list(
            GridNode.objects.filter(parent=street, level=GridNode.Level.COMMUNITY).order_by("sort_order", "id")
        )
        units = list(MemberUnit.objects.filter(in_street, status=MemberUnit.Status.ACTIVE).order_by("id")[:30])
        if (
            communities
            and not Order.objects.filter(in_street).exists()
            and not Issue.objects.filter(in_street).exists()
        ):
            _orders_and_issues(street, communities, units, today, rng)
        if communities and units and not Project.objects.filter(in_street).exists():
            _lists(street, communities, units, today, rng)
        stdout.write(f"  alliance.demo.streets_activity: {street.name} 已有活动")


# --- the district's figures since 2018 -------------------------------------------------------------------


def _held_since(kind) -> tuple[int, int]:
    start = _aware(SINCE, 0)
    meetings = Meeting.objects.filter(committee__kind=kind, status=Meeting.Status.HELD, held_at__gte=start).count()
    matters = Matter.objects.filter(committee__kind=kind, status=Matter.Status.RESOLVED, resolved_at__gte=start).count()
    return meetings, matters


def _spread(n: int, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """``n`` days spread evenly from ``first`` to ``last``."""
    span = (last - first).days
    return [first + datetime.timedelta(days=span * i // max(n, 1)) for i in range(n)]


def _district_since_2018(today, stdout) -> None:
    district = District.load()
    if not district.name:
        district.name, district.code = DISTRICT
        district.save()
    rng = random.Random(20181205)
    last = _months_back(today, 13)  # history stops before the last year that the streets' demos fill
    for kind, target in TARGETS.items():
        committees = list(
            Committee.objects.filter(kind=kind).select_related("grid_node").order_by("grid_node__path", "id")
        )
        if not committees:
            continue
        meetings, matters = _held_since(kind)
        missing = max(0, target["meetings"] - meetings)
        new_meetings = []
        for i, day in enumerate(_spread(missing, SINCE + datetime.timedelta(days=20), last)):
            committee = committees[i % len(committees)]
            held = _aware(day, 11)
            new_meetings.append(_meeting(committee, held, f"{committee.name}{held:%Y年%m月}联席会议"))
        bulk_create_with_history(new_meetings, Meeting)
        missing = max(0, target["matters"] - matters)
        new_matters = []
        for i, day in enumerate(_spread(missing, SINCE + datetime.timedelta(days=25), last)):
            committee = committees[i % len(committees)]
            new_matters.append(_matter(committee, _aware(day, 12), rng.choice(MATTER_TITLES)))
        bulk_create_with_history(new_matters, Matter)
        meetings, matters = _held_since(kind)
        if meetings != target["meetings"] or matters < target["matters"]:
            stdout.write(
                f"  alliance.demo.streets_activity: {Committee.Kind(kind).label} 自2018年已有 {meetings} 次会议，超出种子数据"
            )
        stdout.write(
            f"  alliance.demo.streets_activity: {district.name}{Committee.Kind(kind).label}自2018年召开会议 {meetings} 次，"
            f"议决事项 {matters} 项"
        )


def seed(*, stdout) -> None:
    today = timezone.localdate()
    _quiet_streets_get_a_year(today, stdout)
    _district_since_2018(today, stdout)


def counts_since_2018() -> dict:
    """The district's held meetings and resolved matters since 2018 by committee kind (for the demo's test)."""
    start = _aware(SINCE, 0)
    meetings = dict(
        Meeting.objects.filter(status=Meeting.Status.HELD, held_at__gte=start)
        .values_list("committee__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    matters = dict(
        Matter.objects.filter(status=Matter.Status.RESOLVED, resolved_at__gte=start)
        .values_list("committee__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {"meetings": meetings, "matters": matters}
