"""Demo data of the joint committee (大工委)."""

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance.committee.actions import add_months
from alliance.committee.models import (
    AgendaItem,
    ChairRotation,
    Committee,
    CommitteeSettings,
    Invitation,
    Matter,
    Meeting,
    Milestone,
    Seat,
)
from alliance.core.validators import make_credit_code
from grids.models import GridNode
from members.models import MemberUnit, User

# (username, what it is) — the accounts of SPEC §7, created by alliance.demo.members.
DEMO_ACCOUNTS = (
    ("admin", "超级管理员"),
    ("district_admin", "区级管理员（七里河区，管辖全区各街道）"),
    ("street_admin", "街道管理员（舜玉路街道）"),
    ("community_admin", "社区管理员（舜园社区）"),
    ("grid_worker", "网格员（舜园社区）"),
    ("unit_operator", "成员单位联络员"),
    ("party_member", "党员"),
    ("resident", "居民"),
)

# 11 full-time members: the street party working committee's leaders (seed one).
FULL_TIME = [
    ("张建国", "街道党工委书记", "secretary"),
    ("刘建华", "街道党工委副书记、办事处主任", "full_time"),
    ("王丽萍", "街道党工委副书记", "full_time"),
    ("李志强", "街道党工委委员、武装部部长", "full_time"),
    ("陈秀英", "街道党工委委员、组织委员", "full_time"),
    ("赵明东", "街道党工委委员、纪工委书记", "full_time"),
    ("孙海燕", "街道党工委委员、宣传委员", "full_time"),
    ("周伟", "街道办事处副主任", "full_time"),
    ("吴晓晨", "街道办事处副主任", "full_time"),
    ("郑文斌", "街道党建办主任", "full_time"),
    ("徐玉梅", "街道社区建设办主任", "full_time"),
]
# 9 part-time members: the comrades in charge of party affairs in stationed units (seed one).
PART_TIME = [
    ("马国华", "机关党委专职副书记", "山东省交通运输厅", MemberUnit.Kind.GOVERNMENT),
    ("高丽", "机关党委副书记", "山东省商务厅", MemberUnit.Kind.GOVERNMENT),
    ("林志刚", "机关党委书记", "国家税务总局济南市市中区税务局", MemberUnit.Kind.GOVERNMENT),
    ("何勇", "党委副书记", "中国铁建投资集团山东分公司", MemberUnit.Kind.STATE_FIRM),
    ("郭晓燕", "党支部书记", "中国银行济南舜玉路支行", MemberUnit.Kind.STATE_FIRM),
    ("罗建军", "党委组织部部长", "济南大学", MemberUnit.Kind.SCHOOL),
    ("梁静", "党委办公室主任", "山东省千佛山医院", MemberUnit.Kind.HOSPITAL),
    ("宋鹏", "党委组织部副部长", "山东财经大学舜耕校区", MemberUnit.Kind.SCHOOL),
    ("谢丹", "党委副书记", "银丰集团", MemberUnit.Kind.PRIVATE_FIRM),
]
# The seven professional committees, each led by a full-time member and joined by two units.
PROFESSIONAL = [
    ("health", "医疗卫生专业委员会", "陈秀英", ["山东省千佛山医院", "华录·风华养老综合服务中心"]),
    ("culture", "文化艺术专业委员会", "孙海燕", ["舜耕山庄集团", "山东广电信通网络运营有限公司"]),
    ("education", "教育宣传专业委员会", "王丽萍", ["济南大学", "济南市舜耕中学"]),
    ("social", "社会服务专业委员会", "徐玉梅", ["银丰荟·颐养中心", "汇玉众创孵化器"]),
    ("law", "政法综合专业委员会", "赵明东", ["济南市市中区司法局舜玉路司法所", "济南市公安局市中区分局舜玉路派出所"]),
    ("economy", "经济贸易专业委员会", "周伟", ["山东省商务厅", "海通证券山东分公司"]),
    ("science", "科技专业委员会", "吴晓晨", ["艾科瑞特机器人学校", "山东财经大学舜耕校区"]),
]
# Matters of a year of deliberation days: (title, description, outcome, resolution or reason).
MATTERS = [
    (
        "老旧小区加装电梯协调",
        "舜玉小区多栋楼居民联名申请加装电梯，需协调规划、资金和低层住户意见。",
        "resolved",
        "由街道牵头成立加装电梯工作专班，中国铁建投资集团山东分公司提供技术支持，年内完成两部试点。",
    ),
    (
        "舜耕路沿线停车难治理",
        "早晚高峰停车难，占道停车影响通行。",
        "resolved",
        "协调驻区单位错时开放内部停车场，新增共享车位120个。",
    ),
    (
        "口袋公园建设选址",
        "利用边角地建设口袋公园，提升居民休闲空间。",
        "resolved",
        "确定三处选址，由银丰集团认领一处共建。",
    ),
    (
        "社区长者食堂运营补贴",
        "长者食堂就餐人数增加，运营经费不足。",
        "resolved",
        "银丰荟·颐养中心承接运营，成员单位公益众筹补充食材费用。",
    ),
    (
        "背街小巷环境整治",
        "部分背街小巷杂物堆放、路灯损坏。",
        "resolved",
        "纳入城市管理联勤联动，一月内完成整改并建立长效保洁机制。",
    ),
    (
        "驻区高校志愿服务进社区",
        "发挥高校学生志愿者作用，开展四点半课堂。",
        "resolved",
        "济南大学、山东财经大学组建志愿服务队，按学期排班进社区。",
    ),
    (
        "企业党建指导员选派",
        "辖区170余家非公企业党建基础薄弱。",
        "resolved",
        "通过选、派、兼方式选派党建指导员12名，实现兜底管理。",
    ),
    (
        "共享空厅开放管理办法",
        "成员单位会议室向社区开放，需统一预约规则。",
        "resolved",
        "制定共享空厅预约办法，在平台统一预约。",
    ),
    (
        "居民健康义诊常态化",
        "老年居民多，慢病管理需求大。",
        "resolved",
        "山东省千佛山医院每月第二周在党群服务中心开展义诊。",
    ),
    ("八里洼片区雨季积水", "雨季低洼路段积水，影响居民出行。", "deferred", "涉及市政管网改造，待区级规划批复后再议。"),
    (
        "社区电动自行车集中充电",
        "楼道充电存在消防隐患。",
        "resolved",
        "山东广电信通网络运营有限公司协助建设集中充电棚四处。",
    ),
    ("青少年科普实践基地", "依托科技企业和学校建设科普基地。", "under_study", ""),
    ("失业人员就业帮扶", "开展就业技能培训和岗位对接。", "resolved", "经济贸易专业委员会每季度组织一次专场招聘会。"),
    ("楼道文化墙共建", "结合楼栋党小组建设楼道文化。", "deferred", "资金来源尚未落实，下季度再议。"),
    ("法律服务进网格", "居民法律咨询需求多。", "resolved", "司法所律师每周二驻网格答疑。"),
    ("重点人群安全走访", "独居老人和困难家庭安全隐患排查。", "under_study", ""),
    ("社区议事厅建设", "建设居民议事协商场所。", "under_study", ""),
    ("舜华社区道路破损修复", "居民反映道路坑洼。", "proposed", ""),
    ("党员志愿服务积分兑换", "积分兑换规则需统一。", "proposed", ""),
]
MILESTONES = {
    "老旧小区加装电梯协调": [
        ("完成居民意见征集", True),
        ("完成设计方案", True),
        ("首部电梯开工", False),
        ("试点电梯投用", False),
    ],
    "口袋公园建设选址": [("确定选址", True), ("完成设计", True), ("建成开放", False)],
    "社区电动自行车集中充电": [("完成选址与报装", True), ("建成第一处充电棚", False)],
    "失业人员就业帮扶": [("一季度专场招聘会", True), ("二季度专场招聘会", False)],
}
PROGRESS = {"老旧小区加装电梯协调": 55, "口袋公园建设选址": 70, "社区电动自行车集中充电": 30, "失业人员就业帮扶": 50}


def _unit_seat(committee, unit, term_start, *, sort_order: int, title: str = "兼职委员") -> Seat:
    """A part-time seat held by a member unit, named after it (not saved)."""
    return Seat(
        committee=committee,
        person_name=f"{unit.name[:2]}委员",
        title=title,
        role="part_time",
        unit=unit,
        term_start=term_start,
        sort_order=sort_order,
    )


def _unit_seats(committee, node, count: int, term_start) -> list:
    """Part-time seats for the first ``count`` member units under ``node`` (not saved)."""
    units = MemberUnit.objects.filter(grid_node__path__startswith=node.path).order_by("id")[:count]
    return [_unit_seat(committee, unit, term_start, sort_order=j) for j, unit in enumerate(units, start=1)]


def _unit(name: str, kind: str, street: GridNode, index: int) -> MemberUnit:
    """A unit by name (created by alliance.demo.members); created here only if that data is missing."""
    unit = MemberUnit.objects.filter(name=name).first()
    if unit is None:
        unit = MemberUnit.objects.create(
            name=name,
            kind=kind,
            credit_code=make_credit_code(f"91370199{index:09d}"),
            grid_node=street,
            contact_name="党务联络人",
            contact_phone=f"0531-8690{index:04d}",
            joined_on=datetime.date(2018, 3, 1),
        )
    return unit


def _seed_committees(*, stdout) -> None:
    street = GridNode.objects.filter(code="SY").first()
    if street is None:
        stdout.write("  alliance.demo.committee: 没有舜玉路街道（SY），跳过")
        return
    if Committee.objects.filter(grid_node=street, kind=Committee.Kind.STREET_JOINT).exists():
        return  # already seeded
    rng = random.Random(20181225)
    CommitteeSettings.load()  # deliberation day 25 by default
    users = {u.username: u for u in User.objects.filter(username__in=["street_admin", "unit_operator"])}
    term_start = datetime.date(2024, 1, 1)
    joint = Committee.objects.create(
        name="舜玉路街道大工委",
        kind=Committee.Kind.STREET_JOINT,
        grid_node=street,
        holds_monthly_deliberation=True,
        description="街道区域化党建工作的最高议事机构：11位街道党工委领导担任专职委员，"
        "9名驻区单位分管党务的同志担任兼职委员。每月25日为议事日。",
    )
    seats = []
    for order, (name, title, role) in enumerate(FULL_TIME, start=1):
        user = users.get("street_admin") if name == "张建国" else None
        seats.append(
            Seat(
                committee=joint,
                person_name=name,
                title=title,
                role=role,
                user=user,
                term_start=term_start,
                sort_order=order,
            )
        )
    units = {}
    for order, (name, title, unit_name, kind) in enumerate(PART_TIME, start=1):
        units[unit_name] = _unit(unit_name, kind, street, order)
        operator = users.get("unit_operator")
        user = operator if operator and operator.unit_id == units[unit_name].pk else None
        seats.append(
            Seat(
                committee=joint,
                person_name=name,
                title=title,
                role="part_time",
                unit=units[unit_name],
                user=user,
                term_start=term_start,
                sort_order=order,
            )
        )
    bulk_create_with_history(seats, Seat)
    joint_seats = list(Seat.objects.filter(committee=joint).order_by("role", "sort_order"))

    # Rotating chairs: the nine units, four months each, from January of last year (so one is current).
    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    rotations = []
    for _person, _title, unit_name, _kind in PART_TIME:
        end = add_months(start, 4) - datetime.timedelta(days=1)
        rotations.append(ChairRotation(committee=joint, unit=units[unit_name], starts_on=start, ends_on=end))
        start = end + datetime.timedelta(days=1)
    bulk_create_with_history(rotations, ChairRotation)

    # The seven professional committees and the community big party committees.
    others = []
    for index, (field, name, leader, unit_names) in enumerate(PROFESSIONAL, start=20):
        committee = Committee.objects.create(
            name=name,
            kind=Committee.Kind.PROFESSIONAL,
            field=field,
            grid_node=street,
            parent=joint,
            description=f"大工委下设的{name}，统筹{Committee.Field(field).label}领域的共驻共建。",
        )
        others.append(
            Seat(committee=committee, person_name=leader, title="主任委员", role="secretary", term_start=term_start)
        )
        for j, unit_name in enumerate(unit_names):
            unit = _unit(unit_name, MemberUnit.Kind.OTHER, street, index * 10 + j)
            others.append(_unit_seat(committee, unit, term_start, sort_order=j + 1, title="委员"))
    community_committees = []
    for community in GridNode.objects.filter(parent=street).order_by("sort_order", "id"):
        committee = Committee.objects.create(
            name=f"{community.name}大党委",
            kind=Committee.Kind.COMMUNITY_PARTY,
            grid_node=community,
            parent=joint,
            description=f"{community.name}党委与驻社区单位党组织组成的大党委，兼职委员由驻区单位党组织负责人担任。",
        )
        community_committees.append(committee)
        others.append(
            Seat(
                committee=committee,
                person_name=f"{community.name[:2]}书记",
                title="社区党委书记",
                role="secretary",
                term_start=term_start,
            )
        )
        others += _unit_seats(committee, community, 4, term_start)
    bulk_create_with_history(others, Seat)

    # A year of monthly meetings on the 25th: the past ones held, this month's still ahead.
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    first_month = add_months(today.replace(day=1), -11)
    organiser = users.get("street_admin")
    matters_left = list(MATTERS)
    meetings = []
    for i in range(12):
        month = add_months(first_month, i)
        starts_at = datetime.datetime.combine(month.replace(day=25), datetime.time(9), tzinfo=tz)
        held = starts_at < now
        meeting = Meeting.objects.create(
            committee=joint,
            kind=Meeting.Kind.PLENARY,
            title=f"舜玉路街道大工委{month.year}年{month.month}月联席会议",
            summary="议事日例会：通报区域化党建工作，研究成员单位和社区提出的议题。",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            place="舜玉路街道党群服务中心三楼会议室",
            deliberation_month=month,
            status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
            minutes=("会议由轮值主任单位主持，通报上月议定事项落实情况，研究本月议题。" if held and i < 10 else ""),
            decisions=("详见议题议决结果。" if held else ""),
            held_at=starts_at + datetime.timedelta(hours=2) if held else None,
            held_by=organiser if held else None,
            created_by=organiser,
        )
        meetings.append(meeting)
        invitations = [
            Invitation(
                meeting=meeting,
                seat=s,
                unit_id=s.unit_id,
                answer="attend" if held or rng.random() < 0.5 else "pending",
                checked_in=held and rng.random() < 0.9,
                checked_in_at=starts_at if held else None,
            )
            for s in joint_seats
        ]
        bulk_create_with_history(invitations, Invitation)
        # one or two matters per month, raised a few weeks before the meeting
        for _ in range(2 if i % 2 else 1):
            if not matters_left:
                break
            title, description, outcome, text = matters_left.pop(0)
            part_time_seats = [s for s in joint_seats if s.unit_id]
            unit_id = rng.choice(part_time_seats).unit_id
            matter = Matter.objects.create(
                committee=joint, title=title, description=description, raised_by_unit_id=unit_id
            )
            raised = starts_at - datetime.timedelta(days=rng.randint(10, 25))
            fields = {"created_at": raised}
            if outcome != "proposed" and held:
                AgendaItem.objects.create(meeting=meeting, matter=matter, position=matter.pk)
                fields.update(status=outcome, studied_at=starts_at, studied_by=organiser)
                if outcome == "resolved":
                    fields.update(
                        resolution=text,
                        resolved_at=starts_at + datetime.timedelta(hours=2),
                        resolved_by=organiser,
                        progress=PROGRESS.get(title, 100),
                        progress_updated_at=now,
                    )
                    if title not in PROGRESS:
                        fields["done_at"] = starts_at + datetime.timedelta(days=rng.randint(20, 60))
                elif outcome == "deferred":
                    fields.update(
                        defer_reason=text, deferred_at=starts_at + datetime.timedelta(hours=2), deferred_by=organiser
                    )
            elif not held:
                AgendaItem.objects.create(meeting=meeting, matter=matter, position=matter.pk)
            Matter.objects.filter(pk=matter.pk).update(**fields)
            for position, (step, done) in enumerate(MILESTONES.get(title, []), start=1):
                Milestone.objects.create(
                    matter=matter,
                    title=step,
                    sort_order=position,
                    owner=organiser,  # 督办: the organiser answers for the follow-up in the demo
                    due_on=add_months(month, position).replace(day=20),
                    done_on=add_months(month, position).replace(day=15) if done else None,
                )
    # Matters still waiting for a meeting
    for title, description, *_ in matters_left:
        Matter.objects.create(
            committee=joint, title=title, description=description, raised_by_unit=rng.choice(list(units.values()))
        )

    # Community big party committees meet quarterly.
    for committee in community_committees:
        for q in range(4):
            month = add_months(first_month, q * 3 + 1)
            starts_at = datetime.datetime.combine(month.replace(day=18), datetime.time(15), tzinfo=tz)
            held = starts_at < now
            Meeting.objects.create(
                committee=committee,
                kind=Meeting.Kind.GRID,
                title=f"{committee.name}{month.month}月联席会议",
                summary="研究社区共建事项和居民诉求。",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1),
                place=f"{committee.grid_node.name}党群服务站",
                status="held" if held else "scheduled",
                minutes="会议研究了社区共建事项。" if held else "",
                held_at=starts_at + datetime.timedelta(hours=1) if held else None,
                created_by=organiser,
            )

    # 西站街道 has its joint committee too, with the units named in its seed report.
    west = GridNode.objects.filter(code="XZ").first()
    if west is not None:
        west_joint = Committee.objects.create(
            name="西站街道大工委",
            kind=Committee.Kind.STREET_JOINT,
            grid_node=west,
            description="“红色矩阵”全域党建：街道党工委核心引领，驻区单位共同参与。",
        )
        west_seats = [
            Seat(
                committee=west_joint,
                person_name="王志明",
                title="街道党工委书记",
                role="secretary",
                term_start=term_start,
            )
        ]
        west_seats += _unit_seats(west_joint, west, 6, term_start)
        bulk_create_with_history(west_seats, Seat)
    stdout.write(
        f"  alliance.demo.committee: {Committee.objects.count()} 个委员会，{Seat.objects.count()} 名委员，"
        f"{Meeting.objects.count()} 次会议，{Matter.objects.count()} 个议题"
    )


def seed(*, stdout) -> None:
    _seed_committees(stdout=stdout)
