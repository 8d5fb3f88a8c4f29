"""Demo data of the three lists (SPEC §6): 舜玉路街道's 2018 lists — 51 project items in 10 categories,
67 resources in 8, 27 needs in 4 — with claims and evaluations, crowdfunding projects with pledges and a
public account, residents' micro-wishes, and the matching job's suggestions.

Idempotent: if the street's first demo need exists, nothing is done. Units and communities come from
alliance/demo/members.py and alliance/demo/grids.py (street code "SY"), looked up, never assumed.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from grids.models import GridNode
from members.models import MemberUnit, PartyMember, User
from projects import matching
from projects.defaults import ensure_categories
from projects.models import Category, Claim, Expenditure, Need, Pledge, Project, Resource, Wish

# (subcategory code, resource titles) — 8 root categories, 67 resources.
RESOURCES = {
    "help_needy-1": [
        "困难家庭结对帮扶",
        "节日走访慰问物资",
        "爱心助学金",
        "低保户家电维修",
        "困境儿童陪伴",
        "助困超市爱心券",
        "临时救助基金",
    ],
    "help_needy-2": ["残疾人康复器械借用", "助残志愿服务队"],
    "jobs-1": ["就业岗位推荐", "大学生职业规划讲座", "退役军人就业指导", "企业开放日招聘"],
    "jobs-2": ["创业孵化工位", "小微企业税务咨询", "电商直播培训"],
    "jobs-3": ["家政服务技能培训", "电工焊工实训", "计算机基础培训", "母婴护理培训"],
    "culture_science-1": ["青少年科普实验室", "防灾减灾科普展", "天文观测活动"],
    "culture_science-2": ["职工书屋开放", "流动图书车", "亲子阅读会"],
    "culture_science-3": ["红色教育基地参观", "党史展馆讲解", "老党员讲故事"],
    "housing_safety-1": ["楼道改造施工队", "加装电梯技术咨询"],
    "housing_safety-2": ["平安巡逻志愿队", "消防安全培训", "反诈宣传进社区"],
    "housing_safety-3": ["垃圾分类宣传", "小区绿化认养", "口袋公园共建"],
    "housing_safety-4": ["法律咨询志愿服务", "人民调解员培训", "公证服务进社区"],
    "health-1": ["医疗专家义诊", "免费测血压血糖", "眼科义诊筛查", "口腔健康检查"],
    "health-2": ["慢病管理讲座", "急救知识培训", "营养膳食指导"],
    "health-3": ["心理咨询热线", "青少年心理辅导"],
    "elderly-1": ["老年助餐配送", "爱心食堂优惠餐"],
    "elderly-2": ["居家养老上门服务", "失能老人照护培训", "老人理发义剪"],
    "elderly-3": ["适老化改造评估", "防滑扶手安装"],
    "party_learning-1": ["共享党员活动室", "主题党日场地"],
    "party_learning-2": ["党课名师宣讲", "理论学习辅导"],
    "party_learning-3": ["党员远程教育设备"],
    "sports_culture-1": ["文艺汇演节目", "音乐晚会专场"],
    "sports_culture-2": ["职工体育馆开放", "乒乓球场共享", "健身教练公益课"],
    "sports_culture-3": ["传统节日包饺子活动"],
}

# 27 needs in 4 root categories (helping the needy, housing and safety, health, elderly care).
NEEDS = [
    ("help_needy-1", "困难家庭子女课业辅导", "need", 12),
    ("help_needy-1", "独居困难老人节日慰问", "need", 35),
    ("help_needy-2", "残疾人出行轮椅需求", "need", 6),
    ("help_needy-1", "低保家庭家电维修", "need", 9),
    ("help_needy-1", "困境儿童暑期看护", "need", 15),
    ("help_needy-3", "留守老人微心愿收集", "need", 20),
    ("help_needy-2", "残疾人就业技能培训", "need", 8),
    ("housing_safety-1", "老旧小区楼道照明改造", "problem", 240),
    ("housing_safety-1", "老旧楼院加装电梯协调", "problem", 96),
    ("housing_safety-2", "小区夜间巡逻力量不足", "problem", 600),
    ("housing_safety-2", "电动车楼道充电隐患", "problem", 420),
    ("housing_safety-3", "背街小巷环境整治", "problem", 800),
    ("housing_safety-3", "垃圾分类宣传引导", "need", 1500),
    ("housing_safety-4", "邻里纠纷法律咨询", "need", 60),
    ("housing_safety-3", "口袋公园绿化养护", "need", 300),
    ("health-1", "老年人义诊测血压", "need", 180),
    ("health-2", "慢性病健康管理讲座", "need", 90),
    ("health-3", "青少年心理健康辅导", "need", 45),
    ("health-1", "社区居民免费体检", "need", 260),
    ("health-2", "急救知识进社区培训", "need", 120),
    ("health-1", "眼科白内障筛查", "need", 70),
    ("elderly-1", "高龄老人助餐送餐", "need", 55),
    ("elderly-2", "失能老人居家照护", "need", 18),
    ("elderly-3", "老人家中适老化改造", "need", 25),
    ("elderly-2", "空巢老人定期探访", "need", 40),
    ("elderly-1", "社区长者食堂运营", "need", 150),
    ("elderly-2", "老人免费理发服务", "need", 80),
]

# 51 project items in 10 categories (subcategories).
PROJECT_CATEGORIES = [
    ("party_learning-1", ["名师论坛", "“初心使命”红色巡演", "主题党日联学联做", "党员示范岗创建", "在职党员双报到"]),
    ("party_learning-2", ["党课进楼院", "理论宣讲小分队", "文明单位创建指导", "“两新”组织党建指导", "青年党员讲堂"]),
    ("sports_culture-1", ["“爱乐帆船”音乐晚会", "邻里文化节", "社区春晚", "红歌合唱比赛", "广场舞展演"]),
    ("culture_science-2", ["微爱助学读书角", "职工书屋共享", "亲子阅读月", "流动图书进楼院", "国学经典诵读"]),
    ("health-1", ["健康生活义诊周", "慢病筛查进社区", "口腔健康进校园", "中医养生讲座", "母婴健康指导"]),
    ("elderly-1", ["尊老爱亲长者饭桌", "助餐配送志愿队", "敬老月慰问", "老年大学课程", "银发智能手机课堂"]),
    ("housing_safety-2", ["安全出行护学岗", "平安楼院创建", "消防演练进社区", "反诈宣传周", "夜间巡防联队"]),
    ("housing_safety-3", ["创全行动环境整治", "口袋公园认建认养", "垃圾分类示范小区", "背街小巷美化", "楼道微改造"]),
    ("jobs-1", ["就业援助月", "大学生见习基地", "退役军人就业对接", "家门口招聘会", "职业技能提升计划"]),
    (
        "help_needy-1",
        ["微爱助学结对", "困难家庭圆梦行动", "爱心暖冬衣物募集", "残疾人康复助行", "困境儿童成长守护", "新春送福"],
    ),
]

# Crowdfunding examples (公益众筹): (project title, target in yuan, pledges, expenditure lines).
CROWDFUNDING = {
    "微爱助学结对": (
        Decimal("60000"),
        [38000, 12000, 5800],
        [("资助困难学生学费（第一批12人）", "36000"), ("购买学习用品", "4200")],
    ),
    "爱心暖冬衣物募集": (Decimal("20000"), [8000, 6500], [("采购棉衣被褥", "9800")]),
    "残疾人康复助行": (Decimal("35000"), [20000, 4000], [("采购轮椅10台", "15600")]),
    "尊老爱亲长者饭桌": (Decimal("80000"), [30000, 25000, 8000], [("长者饭桌餐费补贴（一季度）", "42000")]),
}

WISHES = [
    ("想要一台收音机听戏", "thanked"),
    ("希望有人教我用智能手机视频通话", "fulfilled"),
    ("孩子想要一套课外读物", "claimed"),
    ("想要一副老花镜", "claimed"),
    ("希望能有人陪我去医院复查", "published"),
    ("想要一个助行器", "published"),
    ("家里灯泡坏了需要更换", "published"),
    ("希望给孩子找个英语辅导志愿者", "published"),
    ("想要一床厚棉被过冬", "submitted"),
    ("想学写毛笔字", "submitted"),
]


def seed(*, stdout) -> None:
    street = GridNode.objects.filter(code="SY").first()
    if street is None:
        stdout.write("  alliance.demo.projects: 未找到舜玉路街道（SY），跳过")
        return
    communities = list(GridNode.objects.filter(parent=street).order_by("sort_order", "id"))
    if Need.objects.filter(title=NEEDS[0][1], grid_node__path__startswith=street.path).exists():
        return
    rng = random.Random(2018)
    ensure_categories()  # the demo's lists need them, even if an admin deleted some
    cats = {c.code: c for c in Category.objects.all()}
    units = list(MemberUnit.objects.filter(grid_node__path__startswith=street.path, status="active").order_by("id"))
    if not units or not communities:
        return
    micro = {c.pk: list(GridNode.objects.filter(parent=c).order_by("sort_order", "id")) or [c] for c in communities}
    admin = User.objects.filter(username="street_admin").first()
    now = timezone.now()
    today = timezone.localdate()

    # 资源清单: 67 resources in 8 categories.
    resources = []
    for code, titles in RESOURCES.items():
        for title in titles:
            unit = rng.choice(units)
            resources.append(
                Resource(
                    title=title,
                    category=cats[code],
                    description=f"{unit.name}面向社区居民提供{title}，可预约对接。",
                    unit=unit,
                    grid_node=unit.grid_node if rng.random() < 0.6 else street,
                    quantity=rng.randint(1, 8),
                    availability=rng.choice(["每周六上午", "工作日白天", "每月第一周", "节假日", "随时预约"]),
                    created_by=admin,
                )
            )
    bulk_create_with_history(resources, Resource, batch_size=500)

    # 需求清单 / 问题清单: 27 needs in 4 categories.
    needs = []
    for code, title, kind, people in NEEDS:
        community = rng.choice(communities)
        node = rng.choice(micro[community.pk]) if rng.random() < 0.5 else community
        needs.append(
            Need(
                kind=kind,
                title=title,
                category=cats[code],
                description=f"{node.name}居民反映：{title}，希望驻区单位和党员志愿者帮助解决。",
                grid_node=node,
                people_affected=people,
                urgency=rng.choice(["low", "normal", "normal", "high"]),
                wanted_by=today + datetime.timedelta(days=rng.randint(20, 120)),
                created_by=admin,
            )
        )
    bulk_create_with_history(needs, Need, batch_size=500)

    # 项目清单: 51 items in 10 categories.
    statuses = ["published"] * 5 + ["in_progress"] * 2 + ["completed", "evaluated", "draft"]
    projects = []
    for code, titles in PROJECT_CATEGORIES:
        for title in titles:
            target = CROWDFUNDING.get(title, (None,))[0]
            status = "published" if target else rng.choice(statuses)
            projects.append(
                Project(
                    title=title,
                    category=cats[code],
                    description=f"街道大工委2018年党建和共建项目：{title}。欢迎成员单位认领，共驻共建。",
                    grid_node=rng.choice(communities + [street]),
                    capacity=rng.randint(1, 4),
                    deadline=today + datetime.timedelta(days=rng.randint(5, 90)),
                    budget=Decimal(rng.choice([5000, 8000, 12000, 20000, 30000])),
                    crowdfunding_target=target,
                    status=status,
                    published_at=now if status != "draft" else None,
                    completed_at=now if status in ("completed", "evaluated") else None,
                    created_by=admin,
                )
            )
    bulk_create_with_history(projects, Project, batch_size=500)
    projects = list(
        Project.objects.filter(title__in=[p.title for p in projects], grid_node__path__startswith=street.path)
    )

    # Claims (认领), consistent with each project's state and capacity.
    claim_status = {
        "published": ["pending", "approved"],
        "in_progress": ["in_progress"],
        "completed": ["completed"],
        "evaluated": ["evaluated"],
    }
    claims = []
    for project in projects:
        if project.status not in claim_status:
            continue
        count = (
            rng.randint(1, project.capacity) if project.status != "published" else rng.randint(0, project.capacity - 1)
        )
        for unit in rng.sample(units, count):
            status = rng.choice(claim_status[project.status])
            evaluated = status == "evaluated"
            claims.append(
                Claim(
                    project=project,
                    unit=unit,
                    status=status,
                    note="我单位愿意认领并组织党员志愿者参与。",
                    decided_by=admin if status != "pending" else None,
                    decided_at=now if status != "pending" else None,
                    started_at=now if status in ("in_progress", "completed", "evaluated") else None,
                    last_progress_at=now if status in ("in_progress", "completed", "evaluated") else None,
                    completed_at=now if status in ("completed", "evaluated") else None,
                    rating=rng.choice([4, 5, 5]) if evaluated else None,
                    evaluation=rng.choice(["组织有序，居民满意", "服务细致，效果明显", "按时完成，值得推广"])
                    if evaluated
                    else "",
                    evaluated_by=admin if evaluated else None,
                    evaluated_at=now if evaluated else None,
                )
            )
            project.active_claims += 1
    bulk_create_with_history(claims, Claim, batch_size=500)
    Project.objects.bulk_update(projects, ["active_claims"])
    Claim.objects.filter(claimed_by__isnull=True, project__in=projects).update(claimed_at=now)

    # Crowdfunding: pledges and the public account.
    pledges, lines = [], []
    by_title = {p.title: p for p in projects}
    for title, (_target, amounts, spent) in CROWDFUNDING.items():
        project = by_title[title]
        for amount in amounts:
            pledges.append(Pledge(project=project, unit=rng.choice(units), amount=Decimal(amount), created_by=admin))
        pledges.append(Pledge(project=project, donor_name="爱心居民", amount=Decimal("500"), created_by=admin))
        for item, amount in spent:
            lines.append(
                Expenditure(
                    project=project,
                    item=item,
                    amount=Decimal(amount),
                    spent_on=today - datetime.timedelta(days=rng.randint(1, 60)),
                    created_by=admin,
                )
            )
    bulk_create_with_history(pledges, Pledge, batch_size=500)
    bulk_create_with_history(lines, Expenditure, batch_size=500)

    # 微心愿
    resident = User.objects.filter(username="resident").first()
    member = PartyMember.objects.filter(phone="13953100002").first()
    if resident is not None:
        wishes = []
        for i, (title, status) in enumerate(WISHES):
            claimed = status in ("claimed", "fulfilled", "thanked")
            wishes.append(
                Wish(
                    title=title,
                    grid_node=resident.grid_node or communities[0],
                    resident=resident,
                    status=status,
                    reviewed_by=admin if status != "submitted" else None,
                    reviewed_at=now if status != "submitted" else None,
                    claimant_member=member if claimed and i % 2 == 0 else None,
                    claimant_unit=units[i] if claimed and i % 2 == 1 else None,
                    claimed_at=now if claimed else None,
                    fulfilled_at=now if status in ("fulfilled", "thanked") else None,
                    thanks="谢谢党员同志，心里暖暖的！" if status == "thanked" else "",
                    thanked_at=now if status == "thanked" else None,
                )
            )
        bulk_create_with_history(wishes, Wish, batch_size=100)

    suggested = matching.run_all()
    stdout.write(
        f"  三清单：{len(resources)} 项资源、{len(needs)} 项需求、{len(projects)} 个项目、"
        f"{len(claims)} 次认领、{len(CROWDFUNDING)} 个众筹项目、{suggested} 条匹配建议"
    )
