"""Demo data of residents' services (SPEC §6): 15 stations and points, 182 service items in 5 categories
("鑫党建、鑫讲堂、鑫民生、鑫健康、鑫文体"), rooms with bookings, orders, issues and activities in every state.

Builds on alliance.demo.grids and alliance.demo.members (street code "SY", accounts resident / unit_operator / grid_worker /
community_admin), looked up by code and username. Idempotent: if the street's service centre exists,
the services demo is already there and nothing is done.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from grids.models import GridNode
from members.models import MemberUnit, User
from projects.models import Category
from services import actions
from services.models import Activity, Holiday, Issue, MenuItem, ReplyTemplate, Room, ServiceSettings, ServiceStation

CENTRE_NAME = "舜玉路街道党群服务中心"

# The five classes of the seed's 182-item list, mapped onto the shared categories, with item titles.
MENU = [
    (
        "party_learning",
        "鑫党建",
        [
            "主题党日活动指导",
            "党课宣讲进社区",
            "“两新”组织党建指导",
            "入党积极分子培训",
            "党员政治生日",
            "红色故事会",
            "党史学习微课堂",
            "支部结对共建",
            "党员志愿服务岗",
            "红色教育基地研学",
        ],
    ),
    (
        "culture_science",
        "鑫讲堂",
        [
            "名师论坛",
            "家庭教育讲座",
            "防诈骗知识讲座",
            "垃圾分类科普",
            "青少年科普课堂",
            "智能手机教学",
            "非遗手工体验",
            "社区读书会",
            "法治宣传讲座",
            "消防安全培训",
        ],
    ),
    (
        "elderly",
        "鑫民生",
        [
            "老年助餐送餐上门",
            "居家照护探访",
            "适老化改造评估",
            "家电义务维修",
            "法律咨询",
            "代办代缴",
            "理发义剪",
            "衣物缝补",
            "就业岗位推介",
            "困难家庭帮扶",
        ],
    ),
    (
        "health",
        "鑫健康",
        [
            "义诊体检",
            "慢病随访",
            "健康讲座",
            "中医理疗体验",
            "心理疏导",
            "口腔筛查",
            "眼科筛查",
            "家庭医生签约",
            "急救技能培训",
            "孕产妇健康指导",
        ],
    ),
    (
        "sports_culture",
        "鑫文体",
        [
            "广场舞培训",
            "书法绘画课",
            "合唱团排练",
            "乒乓球训练",
            "节日文艺汇演",
            "亲子阅读会",
            "太极拳教学",
            "摄影兴趣班",
            "戏曲票友会",
            "少儿暑期托管",
        ],
    ),
]
MENU_TOTAL = 182

HOLIDAYS_2026 = [
    *[(datetime.date(2026, 1, d), "元旦", False) for d in (1, 2, 3)],
    *[(datetime.date(2026, 2, d), "春节", False) for d in range(15, 24)],
    (datetime.date(2026, 2, 14), "春节调休上班", True),
    (datetime.date(2026, 2, 28), "春节调休上班", True),
    *[(datetime.date(2026, 4, d), "清明节", False) for d in (4, 5, 6)],
    *[(datetime.date(2026, 5, d), "劳动节", False) for d in range(1, 6)],
    (datetime.date(2026, 5, 9), "劳动节调休上班", True),
    *[(datetime.date(2026, 6, d), "端午节", False) for d in (19, 20, 21)],
    *[(datetime.date(2026, 9, d), "中秋节", False) for d in (25, 26, 27)],
    *[(datetime.date(2026, 10, d), "国庆节", False) for d in range(1, 8)],
    (datetime.date(2026, 9, 20), "国庆调休上班", True),
    (datetime.date(2026, 10, 10), "国庆调休上班", True),
]

REPLY_TEMPLATES = [
    ("consulting", "已受理", "您反映的问题已受理，网格员已到现场核实，正在与物业和相关单位会商解决办法。"),
    ("consulting", "联合会商", "已召集社区、物业、业委会和共建单位召开议事会，共同商定处置方案。"),
    ("handling", "已派单处置", "已明确责任单位和完成时限，正在组织处置，请您耐心等待。"),
    ("handling", "联勤联动", "已通知联勤联动力量（城管、市场监管等）共同处置。"),
    ("feedback", "处置完成", "您反映的问题已处置完毕，请您查看并评价，感谢您对社区工作的支持！"),
    ("feedback", "解释说明", "经核实，该问题涉及多方权属，已形成解决方案并告知您，请您评价。"),
]

ISSUES = [
    ("楼道堆放杂物存在消防隐患", "3号楼2单元楼道长期堆放纸箱和旧家具，影响通行，存在消防隐患。"),
    ("小区东门路灯不亮", "东门至5号楼一段路灯坏了一周，老人晚上出行不方便。"),
    ("雨污管道堵塞反味", "7号楼前雨污管道堵塞，下雨后积水反味。"),
    ("非机动车乱停放", "小区主路电动车乱停，消防通道被占。"),
    ("健身器材损坏", "中心广场的健身器材有两件损坏，存在安全隐患。"),
    ("夜间施工扰民", "临街工地晚上十点后仍在施工，噪音很大。"),
    ("老旧小区加装电梯咨询", "想了解老楼加装电梯的政策和办理流程。"),
    ("垃圾清运不及时", "周末垃圾桶满溢，清运不及时。"),
]

ACTIVITIES = [
    ("theme_day", "“七一”主题党日：重温入党誓词", "舜玉路街道党群服务中心", 60),
    ("volunteer", "“蓝马甲”便民服务日", "舜园社区广场", 40),
    ("lecture", "名师论坛：家庭教育与青少年成长", "舜玉路街道党群服务中心报告厅", 80),
    ("performance", "“石榴花开”社区文艺汇演", "舜华社区文化广场", 200),
    ("health_check", "千佛山医院专家义诊进社区", "舜园社区党群服务站", 50),
    ("volunteer", "垃圾分类志愿宣传", "舜耕社区", 30),
    ("lecture", "防范电信诈骗讲座", "舜函社区党群服务站", 60),
    ("theme_day", "党员政治生日会", "舜玉社区党群服务站", 40),
]


def _users(stdout):
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["resident", "unit_operator", "grid_worker", "community_admin", "street_admin", "party_member"]
        ).select_related("grid_node", "unit")
    }
    missing = {"resident", "unit_operator", "grid_worker", "community_admin"} - set(users)
    if missing:
        stdout.write(f"  alliance.demo.services: 缺少演示账号 {sorted(missing)}，跳过。")
        return None
    return users


def seed(*, stdout) -> None:
    if ServiceStation.objects.filter(name=CENTRE_NAME).exists():
        return
    street = GridNode.objects.filter(code="SY").first()
    users = _users(stdout)
    if street is None or users is None:
        stdout.write("  alliance.demo.services: 缺少舜玉路街道网格数据，跳过。")
        return
    rng = random.Random(20260701)
    now = timezone.now()
    ServiceSettings.load()
    Holiday.objects.bulk_create(
        [Holiday(date=d, name=n, is_workday=w) for d, n, w in HOLIDAYS_2026], ignore_conflicts=True
    )
    for order, (step, title, text) in enumerate(REPLY_TEMPLATES):
        ReplyTemplate.objects.get_or_create(step=step, title=title, defaults={"text": text, "sort_order": order})

    communities = list(GridNode.objects.filter(parent=street).order_by("sort_order", "pk"))
    micro = {}
    for m in GridNode.objects.filter(parent__in=communities).order_by("sort_order", "pk"):
        micro.setdefault(m.parent_id, []).append(m)
    stations = _stations(street, communities, micro, rng)
    units = list(
        MemberUnit.objects.filter(grid_node__path__startswith=street.path, status=MemberUnit.Status.ACTIVE).order_by(
            "pk"
        )
    )
    operator = users["unit_operator"]
    items = _menu(street, communities, stations, units, operator.unit, rng)
    rooms = _rooms(stations, operator.unit)
    _bookings(rooms, users, now)
    residents = _residents(communities, micro)
    _orders(users, residents, items, operator, now)
    _issues(users, residents, micro, now, rng)
    _activities(street, communities, users, residents, now)
    stdout.write(
        f"  alliance.demo.services: {len(stations)} 个服务站点、{len(items)} 项服务菜单、{len(rooms)} 个共享空间"
    )


def _stations(street, communities, micro, rng):
    made = [
        ServiceStation(
            name=CENTRE_NAME,
            kind=ServiceStation.Kind.CENTER,
            grid_node=street,
            address="济南市市中区舜玉路17号",
            hours="周一至周日 8:30-20:30",
            phone="0531-82961234",
            head_name="刘红梅",
            assistants="张晓燕、王磊",
            volunteers="党员志愿者服务队（36人）",
            star_rating=5,
            description="街道大工委议事、党员教育、便民服务和文体活动的综合阵地。",
        )
    ]
    for c in communities:
        made.append(
            ServiceStation(
                name=f"{c.name}党群服务站",
                kind=ServiceStation.Kind.STATION,
                grid_node=c,
                address=f"舜玉路街道{c.name}居委会一楼",
                hours="周一至周五 9:00-17:30，周六 9:00-12:00",
                head_name=rng.choice(["陈", "李", "王", "赵", "孙"]) + rng.choice(["丽", "敏", "强", "静", "涛"]),
                assistants="社区专职网格员",
                volunteers="在职党员双报到志愿者",
                star_rating=rng.choice([3, 4, 4, 5]),
            )
        )
    for c in communities[:7]:
        grids = micro.get(c.pk, [])
        if not grids:
            continue
        node = grids[min(4, len(grids) - 1)]
        made.append(
            ServiceStation(
                name=f"{node.name}党建服务点",
                kind=ServiceStation.Kind.POINT,
                grid_node=node,
                address=f"{c.name}{node.name}楼下",
                hours="每周三、周六 9:00-11:30",
                head_name="党员中心户",
                star_rating=3,
            )
        )
    return bulk_create_with_history(made, ServiceStation)


def _menu(street, communities, stations, units, demo_unit, rng):
    roots = {c.code: c for c in Category.objects.filter(code__in=[m[0] for m in MENU])}
    children = {}
    for child in Category.objects.filter(parent__code__in=[m[0] for m in MENU]).order_by("sort_order"):
        children.setdefault(child.parent_id, []).append(child)
    items = []
    providers = [u for u in units if u.pk != getattr(demo_unit, "pk", None)] or units
    per_class = [MENU_TOTAL // len(MENU) + (1 if i < MENU_TOTAL % len(MENU) else 0) for i in range(len(MENU))]
    for (code, label, titles), count in zip(MENU, per_class, strict=True):
        root = roots.get(code)
        if root is None:
            continue
        cats = children.get(root.pk) or [root]
        for i in range(count):
            title = titles[i % len(titles)]
            category = cats[i % len(cats)]
            if demo_unit is not None and i < 3:
                # The demo unit offers a few items in each class, so its workspace has orders to take.
                provider, station, scope = demo_unit, None, street
            elif i % 5 == 4 and stations:
                provider, station = None, stations[i % len(stations)]
                scope = station.grid_node if station.grid_node.level < 3 else station.grid_node.parent
            else:
                provider, station = providers[(i * 7 + len(items)) % len(providers)], None
                scope = provider.grid_node if provider.grid_node.level == 2 else street
            owner = provider.name if provider else station.name
            items.append(
                MenuItem(
                    title=title,
                    category=category,
                    description=f"【{label}】{owner}面向{scope.name}居民提供“{title}”服务，按需点单、配送上门。",
                    provider_unit=provider,
                    provider_station=station,
                    grid_scope=scope,
                    availability=rng.choice(["工作日", "每周六上午", "工作日下午", "预约后上门"]),
                    capacity_per_day=rng.choice([5, 10, 10, 20, 30]),
                )
            )
    return bulk_create_with_history(items, MenuItem)


def _rooms(stations, demo_unit):
    made = []
    for s in stations:
        if s.kind == ServiceStation.Kind.CENTER:
            made += [
                Room(name="多功能报告厅", station=s, capacity=120, facilities="投影、音响、座椅120"),
                Room(name="议事室", station=s, capacity=20, facilities="会议桌、白板"),
                Room(name="共享书吧", station=s, capacity=30, facilities="图书3000册、无线网络"),
            ]
        elif s.kind == ServiceStation.Kind.STATION:
            made.append(Room(name="共享空厅", station=s, capacity=40, facilities="桌椅、投影"))
    if demo_unit is not None:
        # a unit's room whose bookings its operators confirm (待确认)
        made.append(
            Room(
                name="职工活动室（共享）", unit=demo_unit, capacity=50, facilities="乒乓球台、音响", needs_approval=True
            )
        )
    for room in made:
        room.grid_node_id = (room.station or room.unit).grid_node_id
    return bulk_create_with_history(made, Room)


def _at(day_offset: int, hour: int):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _bookings(rooms, users, now):
    purposes = ["楼组议事会", "老年合唱团排练", "党小组学习", "亲子读书会", "志愿者培训", "业委会会议"]
    people = [users["resident"], users.get("party_member") or users["resident"], users["grid_worker"]]
    for i, room in enumerate(rooms[:8]):
        for j in range(3):
            start = _at(1 + (i + j) % 6, 9 + 3 * j)
            actions.book_room(
                by=people[(i + j) % len(people)],
                room=room,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                purpose=purposes[(i + j) % len(purposes)],
                attendees=min(room.capacity, 12),
                now=now,
            )
    for room in [r for r in rooms if r.needs_approval]:  # waiting for the unit's operators (待确认)
        start = _at(3, 14)
        actions.book_room(
            by=users["resident"],
            room=room,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            purpose="社区乒乓球友谊赛",
            attendees=16,
            now=now,
        )


def _residents(communities, micro):
    """A handful of residents of 舜园 and its neighbours besides the demo account (no usable password)."""
    names = ["张桂芳", "王建国", "刘淑珍", "陈志强", "杨秀英", "赵德明", "黄丽华", "周玉兰"]
    out = []
    for i, name in enumerate(names):
        community = communities[i % min(3, len(communities))]
        node = (micro.get(community.pk) or [community])[i % 3 if micro.get(community.pk) else 0]
        user, _ = User.objects.get_or_create(
            username=f"demo_resident_{i + 1:02d}",
            defaults={
                "role": User.Role.RESIDENT,
                "display_name": name,
                "grid_node": node,
                "phone": f"1395310{1000 + i:04d}",
                "address": f"{community.name}{i + 2}号楼{i % 3 + 1}单元{(i % 6 + 1) * 100 + 1}",
                "password": make_password(None),
            },
        )
        out.append(user)
    return out


def _orders(users, residents, items, operator, now):
    resident = users["resident"]
    staff = [users[role] for role in ("grid_worker", "community_admin", "street_admin") if users.get(role)]
    mine = [i for i in items if i.provider_unit_id == operator.unit_id]
    if not mine:
        return
    ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
    plan = [  # (resident, item, steps done, days ago)
        (resident, 0, "rated", 12),
        (resident, 1, "delivered", 6),
        (resident, 2, "accepted", 3),
        (resident, 2, "served", 1),
        (resident, 3, "submitted", 0),
        (resident, 4, "cancelled", 5),
        (residents[0], 5, "declined", 4),
        (residents[1], 6, "rated_low", 15),
        (residents[2], 0, "submitted_late", 4),
    ]
    for who, index, state, days in plan:
        if who.grid_node is None or not who.grid_node.path.startswith(mine[index % len(mine)].grid_scope.path):
            continue
        t = ago(days)
        order = actions.submit_order(
            by=who, menu_item=mine[index % len(mine)], text="家里有两位高龄老人，麻烦尽量上午来。", now=t
        )
        if state in ("rated", "delivered", "accepted", "rated_low", "served"):
            actions.accept_order(by=operator, order=order, now=t + datetime.timedelta(hours=3))
        if state in ("rated", "delivered", "rated_low", "served"):
            # The unit marks it served; the community confirms delivery (社区送达).
            actions.serve_order(by=operator, order=order, now=t + datetime.timedelta(hours=20))
        if state in ("rated", "delivered", "rated_low"):
            confirmer = next((u for u in staff if actions.is_staff_in_scope(u, order.grid_node)), None)
            if confirmer is None:
                continue  # nobody of the demo's staff serves that grid: it stays served
            actions.confirm_delivery(by=confirmer, order=order, now=t + datetime.timedelta(days=1))
        if state == "rated":
            actions.rate_order(
                by=who, order=order, rating=5, comment="服务周到，非常满意！", now=t + datetime.timedelta(days=2)
            )
        if state == "rated_low":
            actions.rate_order(by=who, order=order, rating=3, comment="来得有点晚", now=t + datetime.timedelta(days=2))
        if state == "cancelled":
            actions.cancel_order(by=who, order=order, now=t + datetime.timedelta(hours=1))
        if state == "declined":
            actions.decline_order(
                by=operator, order=order, reason="本周人手不足，请其他单位协助", now=t + datetime.timedelta(hours=2)
            )
    elderly = Category.objects.filter(code="elderly").first()
    if elderly:
        for who in residents[3:5]:
            actions.submit_order(by=who, category=elderly, text="想找人每周上门陪老人聊聊天、量量血压。", now=ago(2))


def _issues(users, residents, micro, now, rng):
    worker, resident = users["grid_worker"], users["resident"]
    community = worker.grid_node
    grids = micro.get(community.pk) or [community]
    plan = ["evaluated", "feedback", "handling", "consulting", "discovered", "escalated", "reopened", "evaluated"]
    reporters = [resident, *residents]
    for i, (state, (title, text)) in enumerate(zip(plan, ISSUES, strict=False)):
        who = reporters[i % len(reporters)]
        t = now - datetime.timedelta(days=20 - 2 * i)
        step = datetime.timedelta(hours=20)
        issue = actions.report_issue(
            by=who,
            title=title,
            text=text,
            grid_node=grids[i % len(grids)],
            location=f"{grids[i % len(grids)].name}",
            now=t,
        )
        if state == "escalated":
            actions.escalate_issue(by=worker, issue=issue, reason="涉及多个小区，需社区统筹", now=t + step)
            continue
        order = ["consulting", "handling", "feedback"]
        target = {"discovered": 0, "consulting": 1, "handling": 2}.get(state, 3)
        replies = [r[2] for r in REPLY_TEMPLATES]
        for k in range(target):
            t += step
            issue = actions.move_issue(by=worker, issue=issue, text=replies[2 * k], now=t)
            assert issue.status == order[k]
        if state == "evaluated":
            actions.rate_issue(
                by=who, issue=issue, rating=rng.choice([4, 5]), comment="处理及时，谢谢网格员！", now=t + step
            )
        if state == "reopened":
            actions.rate_issue(by=who, issue=issue, rating=2, comment="问题没有彻底解决", now=t + step)
    assert Issue.objects.exists()


def _activities(street, communities, users, residents, now):
    people = [users["resident"], *residents[:4]]
    if users.get("party_member"):
        people.append(users["party_member"])
    for i, (kind, title, place, capacity) in enumerate(ACTIVITIES):
        node = street if i % 3 == 0 else communities[i % len(communities)]
        # Two in the past, one tomorrow (for the day-before reminder), the rest in the coming weeks.
        offset = [-20, -6, 1, 3, 7, 10, 14, 21][i]
        start = _at(offset, 9 if i % 2 else 14)
        activity = Activity.objects.create(
            title=title,
            kind=kind,
            organiser="舜玉路街道大工委" if node == street else f"{node.name}党委",
            grid_node=node,
            place=place,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            capacity=capacity,
            points=3 if kind == "theme_day" else 2,
            description=f"{title}。欢迎辖区居民和双报到党员报名参加。",
        )
        signup_at = min(now, start) - datetime.timedelta(days=3)
        for person in people[: 2 + i % 4]:
            signup = actions.sign_up(by=person, activity=activity, now=signup_at)
            checker = users.get("street_admin") or users["grid_worker"]
            if offset < 0 and actions.is_staff_in_scope(checker, node):
                actions.check_in(by=checker, signup=signup, now=start + datetime.timedelta(minutes=10))
