"""Demo data: the public issue board (说事墙) of 舜玉路街道.

Twelve issues residents made public, across the street's communities, at every stage (已受理, 处理中, 待评价,
已办结), each with a point on the map and neighbours who said “同样遇到”; one taken down by the community
(it named a neighbour); two that stay private. Everything goes through the actions (report with
``is_public``, move, rate, “同样遇到”, take down). Idempotent: a second run finds the first issue and stops.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alliance.demo.maps import _near
from grids.models import GridNode
from members.models import User
from services import actions
from services.models import Issue

# (title, text, stage, how many “同样遇到”)
BOARD = [
    ("小区东门路灯不亮", "东门到5号楼那段路灯坏了一个多星期，晚上老人出门看不清路。", "discovered", 6),
    ("8号楼前井盖松动", "8号楼前人行道上的井盖踩上去会晃，有响声，怕孩子踩翻。", "discovered", 3),
    ("共享单车堵住消防通道", "北门消防通道上停满了共享单车，消防车进不来。", "consulting", 5),
    ("广场舞音响太吵", "中心广场晚上九点后音响还开得很大，影响学生写作业和老人休息。", "consulting", 4),
    ("楼道里电动车飞线充电", "12号楼有人从窗户拉电线给电动车充电，存在火灾隐患。", "handling", 7),
    ("雨后小区主路积水", "每次下雨主路中段积水没过脚踝，排水口被落叶堵住了。", "handling", 2),
    ("健身器材螺丝脱落", "小游园的漫步机有螺丝脱落，踏板晃动。", "handling", 1),
    ("垃圾桶满了没人清", "周末垃圾桶满溢，异味很大，招苍蝇。", "feedback", 5),
    ("绿化带被踩出小路", "6号楼旁绿化带被踩出一条小路，黄土裸露，刮风就起尘。", "feedback", 2),
    ("楼道堆放旧家具", "3号楼2单元楼道里堆着旧沙发和纸箱，影响通行。", "evaluated", 4),
    ("小区门口占道经营", "早上小区门口有摊贩占道卖菜，车辆进出困难。", "evaluated", 3),
    ("单元门禁损坏", "9号楼1单元门禁坏了，陌生人随便进出。", "evaluated", 2),
]
TAKEN_DOWN = ("邻居家狗半夜叫", "7号楼3单元501王某某家的狗每天半夜叫，电话138****6621，请管管。")
PRIVATE = [
    ("家中下水道返水想请人看看", "厨房下水道返水，不知道是不是楼上堵了，想请物业来看看。"),
    ("想咨询老楼加装电梯", "想了解我们这栋楼加装电梯需要多少户同意、怎么申请。"),
]
NEIGHBOURS = ["孙玉梅", "马红军", "朱春花", "胡建平", "郭秀兰", "何振华", "高桂英", "林国强"]
REPLIES = {
    "consulting": "已受理，网格员已到现场查看，正在与物业商量解决办法。",
    "handling": "已派物业维修人员处理，预计三个工作日内完成。",
    "feedback": "已处理完毕，请居民查看效果，有问题随时反映。",
}
ORDER = ["consulting", "handling", "feedback"]


def _neighbours(communities) -> list:
    """Neighbours who say “同样遇到” (no usable password: they exist to be counted)."""
    out = []
    for i, name in enumerate(NEIGHBOURS):
        user, _ = User.objects.get_or_create(
            username=f"demo_neighbour_{i + 1:02d}",
            defaults={
                "role": User.Role.RESIDENT,
                "display_name": name,
                "grid_node": communities[i % len(communities)],
                "phone": f"1395320{1000 + i:04d}",
                "password": make_password(None),
            },
        )
        out.append(user)
    return out


def _reporters() -> list:
    return list(
        User.objects.filter(role=User.Role.RESIDENT, username__startswith="demo_resident_").order_by("username")
    )


def seed(*, stdout) -> None:
    if Issue.objects.filter(title=BOARD[0][0], is_public=True).exists():
        return
    street = GridNode.objects.filter(code="SY").first()
    staff = User.objects.filter(username="street_admin").first()
    admin = User.objects.filter(username="community_admin").first()
    if street is None or staff is None:
        stdout.write("  alliance.demo.issue_board: 缺少舜玉路街道或街道管理员演示账号，跳过。")
        return
    communities = list(GridNode.objects.filter(parent=street).order_by("sort_order", "pk")[:4])
    micro = {c.pk: list(GridNode.objects.filter(parent=c).order_by("sort_order", "pk")) or [c] for c in communities}
    resident = User.objects.filter(username="resident").first()
    reporters = [r for r in [resident, *_reporters()] if r is not None]
    neighbours = _neighbours(communities)
    if not communities or not reporters:
        stdout.write("  alliance.demo.issue_board: 缺少社区或居民，跳过。")
        return
    rng = random.Random(20261203)
    now = timezone.now()
    for i, (title, text, stage, me_toos) in enumerate(BOARD):
        community = communities[i % len(communities)]
        node = micro[community.pk][i % len(micro[community.pk])]
        who = reporters[i % len(reporters)]
        point = _near(node, rng, 0.6)
        t = now - datetime.timedelta(days=3 + 2 * i, hours=rng.randint(0, 8))  # the finished ones reported earlier
        issue = actions.report_issue(
            by=who,
            title=title,
            text=text,
            grid_node=node,
            location=f"{community.name}{node.name if node != community else ''}",
            lat=point[0] if point else None,
            lng=point[1] if point else None,
            is_public=True,
            now=t,
        )
        # Neighbours say “同样遇到” while it is open (the demo resident too, on others' issues).
        people = [p for p in [resident, *neighbours] if p is not None and p.pk != who.pk][:me_toos]
        for k, person in enumerate(people):
            actions.me_too(by=person, issue=issue, now=t + datetime.timedelta(hours=2 + 3 * k))
        target = {"discovered": 0, "consulting": 1, "handling": 2}.get(stage, 3)
        step = datetime.timedelta(hours=rng.randint(10, 30))
        for k in range(target):
            t += step
            issue = actions.move_issue(by=staff, issue=issue, text=REPLIES[ORDER[k]], now=t)
        if stage == "evaluated":
            actions.rate_issue(by=who, issue=issue, rating=rng.choice([4, 5]), comment="处理及时，谢谢！", now=t + step)
    _taken_down(communities, micro, reporters, admin or staff, now)
    for k, (title, text) in enumerate(PRIVATE):
        actions.report_issue(
            by=reporters[(k + 1) % len(reporters)], title=title, text=text, grid_node=communities[0], now=now
        )
    stdout.write(f"  alliance.demo.issue_board: 说事墙 {len(BOARD)} 件公开事项，1 件已撤下，{len(PRIVATE)} 件不公开")


def _taken_down(communities, micro, reporters, admin, now) -> None:
    """An issue that named a neighbour and a phone: the community took it off the board, saying why."""
    community = communities[0]
    if admin.grid_node_id and not actions.is_staff_in_scope(admin, community):
        admin = User.objects.get(username="street_admin")
    title, text = TAKEN_DOWN
    issue = actions.report_issue(
        by=reporters[-1],
        title=title,
        text=text,
        grid_node=micro[community.pk][0],
        is_public=True,
        now=now - datetime.timedelta(days=3),
    )
    actions.take_down_issue(
        by=admin,
        issue=issue,
        reason="内容含有居民门牌号和电话，已撤下，事项照常办理。",
        now=now - datetime.timedelta(days=2),
    )
