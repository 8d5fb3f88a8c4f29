"""Demo data of the two-way lists (双向清单), the units' side: needs the street's member units posted themselves, in
every state of their review, and units' own pledges to the crowdfunding projects.

Seed 004: "截至3月底，有112家驻区单位共提供了88条可共享资源，75条需求项目". alliance/demo/projects.py holds the
street's 27 needs published by staff; the units posted the other 48 (75 in all): 38 approved and public, 5 waiting
for review (待审核), 3 returned for changes (已退回), 2 declined (未采纳). The demo operator's unit (中国铁建投资集团
山东分公司) has one in each state, so its workspace shows them all.

Idempotent: if a unit-posted need exists in the street, nothing is done. Written as rows (as the other demo
modules do), the review stamps set as the review action would have set them.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from grids.models import GridNode
from members.models import MemberUnit, User
from projects.defaults import ensure_categories
from projects.models import Category, Need, Pledge, Project

# (subcategory code, title, people affected, what the unit says)
UNIT_NEEDS = [
    ("jobs-1", "职工子女暑期托管场地", 30, "暑期双职工家庭孩子无人照看，希望社区提供活动室，单位派党员志愿者值守。"),
    ("health-3", "一线职工心理疏导讲座", 80, "夜班、外勤职工压力大，希望对接心理咨询资源进单位开讲座。"),
    ("housing_safety-2", "单位周边停车秩序整治", 200, "上下班高峰路边乱停车，影响居民出行，希望联合网格员共同劝导。"),
    ("help_needy-1", "困难职工家庭节日慰问对接", 15, "单位有困难职工家庭住在辖区，希望与社区一起走访慰问。"),
    ("culture_science-2", "职工书屋向居民开放的志愿管理员", 6, "职工书屋周末想向居民开放，缺少志愿管理员。"),
    (
        "party_learning-1",
        "在职党员“双报到”服务岗位对接",
        40,
        "单位在职党员想到居住社区报到服务，希望社区提供服务岗位清单。",
    ),
    ("sports_culture-2", "职工运动会借用社区场地", 150, "单位年度运动会需要借用社区广场半天，愿意同时为居民开放项目。"),
    ("elderly-2", "退休职工居家养老上门服务", 25, "单位退休职工多住在辖区，行动不便者需要上门助浴、理发服务。"),
    (
        "housing_safety-1",
        "单位老宿舍楼道照明维修",
        60,
        "老宿舍楼道灯损坏较多，单位出材料，需要社区协调施工和居民意见。",
    ),
    ("health-1", "职工及家属免费体检对接", 120, "希望联系驻区医院为职工家属和周边居民开展一次义诊体检。"),
    ("housing_safety-3", "单位门前绿地认养管护", 0, "单位愿意认养门前绿地，需要社区明确管护范围和要求。"),
    ("jobs-3", "职工家属再就业技能培训", 20, "部分职工家属待业，希望对接家政、电商等技能培训。"),
]

# The states of the 48 unit-posted needs, in order (the demo operator's unit takes the first four).
STATES = [Need.Status.PENDING, Need.Status.DECLINED, Need.Status.OPEN, Need.Status.RETURNED]
STATES += [Need.Status.PENDING] * 4 + [Need.Status.RETURNED] * 2 + [Need.Status.DECLINED]
STATES += [Need.Status.OPEN] * 27 + [Need.Status.MATCHED] * 5 + [Need.Status.FULFILLED] * 5
RETURNED_NOTES = ["请写明需要的时间段和场地面积。", "请补充受益人数和联系人。", "请说明单位能提供的配套支持。"]
DECLINED_NOTES = ["该事项属于物业管理范围，请直接与物业公司对接。", "与已有项目重复，请认领项目清单中的同类项目。"]

DEMO_UNIT = "中国铁建投资集团山东分公司"


def seed(stdout=None):
    street = GridNode.objects.filter(code="SY").first()
    if street is None:
        return
    if Need.objects.filter(posted_by_unit__isnull=False, grid_node__path__startswith=street.path).exists():
        return
    units = list(MemberUnit.objects.filter(grid_node__path__startswith=street.path, status="active").order_by("id"))
    if not units:
        return
    ensure_categories()
    cats = {c.code: c for c in Category.objects.all()}
    units.sort(key=lambda u: u.name != DEMO_UNIT)  # the demo operator's unit first
    operators = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT_OPERATOR, unit__in=units)}
    reviewer = (
        User.objects.filter(username="community_admin").first() or User.objects.filter(username="street_admin").first()
    )
    rng = random.Random(2019)
    now = timezone.now()
    today = timezone.localdate()

    needs = []
    for i, status in enumerate(STATES):
        unit = units[0] if i < 4 else units[(i - 3) % len(units)]
        code, title, people, text = UNIT_NEEDS[i % len(UNIT_NEEDS)]
        submitted = now - datetime.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        reviewed = status != Need.Status.PENDING
        note = ""
        if status == Need.Status.RETURNED:
            note = RETURNED_NOTES[i % len(RETURNED_NOTES)]
        elif status == Need.Status.DECLINED:
            note = DECLINED_NOTES[i % len(DECLINED_NOTES)]
        needs.append(
            Need(
                kind=Need.Kind.NEED,
                title=title if i < len(UNIT_NEEDS) else f"{title}（{unit.name[:8]}）",
                category=cats[code],
                description=text,
                grid_node=unit.grid_node,
                people_affected=people,
                urgency=rng.choice(["low", "normal", "normal", "high"]),
                wanted_by=today + datetime.timedelta(days=rng.randint(15, 90)),
                status=status,
                posted_by_unit=unit,
                created_by=operators.get(unit.pk),
                submitted_at=submitted,
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=submitted + datetime.timedelta(days=1) if reviewed else None,
                review_note=note,
                closed_at=now if status == Need.Status.FULFILLED else None,
            )
        )
    bulk_create_with_history(needs, Need, batch_size=500)

    # Units' own pledges to the open crowdfunding projects (the demo operator's unit among them).
    projects = list(
        Project.objects.filter(
            grid_node__path__startswith=street.path,
            crowdfunding_target__isnull=False,
            status__in=(Project.Status.PUBLISHED, Project.Status.IN_PROGRESS),
        ).order_by("id")
    )
    pledges = []
    for j, project in enumerate(projects):
        for k, unit in enumerate((units[0], units[(j + 5) % len(units)])):
            goods = k == 1 and j % 2 == 0
            pledges.append(
                Pledge(
                    project=project,
                    unit=unit,
                    kind=Pledge.Kind.GOODS if goods else Pledge.Kind.MONEY,
                    goods="米面油礼包30份" if goods else "",
                    amount=Decimal(rng.choice([1000, 2000, 3000, 5000])),
                    created_by=operators.get(unit.pk),
                )
            )
    bulk_create_with_history(pledges, Pledge, batch_size=500)
    if stdout is not None:
        stdout.write(f"  双向清单：单位提出需求 {len(needs)} 条，单位认捐 {len(pledges)} 笔")
