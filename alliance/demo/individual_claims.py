"""Demo data of individual claims (seed 001: 让“党员主动认领服务项目”成为辖区一大特色): projects of 舜园社区 open to
individuals, claimed by party members and residents who volunteer, in every state, with the hours they reported.

Everything goes through the actions (claim, decide, report, complete, evaluate), so the places are counted and the
completed claims' hours and points reach alliance.points through the events, as in real use.
Idempotent: if the first project exists in the street, nothing is done.
"""

from django.db.models import Q

from grids.models import GridNode
from members.models import PartyMember, User
from projects import actions
from projects.models import Category, Claim, Project

# (title, category code, description, unit places, individual places) — the seeds' projects and their wording.
PROJECTS = [
    (
        "“花样爷爷”漫画工作室",
        "culture_science-2",
        "社区漫画家带领居民用漫画讲身边好人好事，每周六上午在党群服务站开课，欢迎党员和居民认领助教。",
        1,
        4,
    ),
    (
        "红色课堂：老党员讲党史",
        "culture_science-3",
        "老党员、社区作曲家进课堂，为辖区中小学生讲党史、教唱红歌，每月两次。",
        1,
        3,
    ),
    (
        "楼道堆物清理志愿行动",
        "housing_safety-3",
        "清理楼道堆物、整治非机动车乱停放，党员亮身份带头，居民志愿者一起参与。",
        2,
        6,
    ),
    (
        "垃圾分类生活新时尚",
        "housing_safety-3",
        "“垃圾分类生活新时尚、志愿服务生活新方式”：早晚高峰在投放点值守，指导居民分类投放。",
        1,
        5,
    ),
    (
        "尊老爱亲·独居老人陪伴",
        "elderly-2",
        "结对独居老人，每周上门陪伴聊天、读报、代买药品，节假日走访慰问。",
        1,
        4,
    ),
]

# (project index, claimant key, final state, hours reported, rating) — each state shown at least once.
CLAIMS = [
    (0, "party_member", "evaluated", ["3", "2.5", "3"], 5),
    (0, 0, "in_progress", ["2"], None),
    (1, "party_member", "completed", ["1.5", "1.5"], None),
    (1, 1, "pending", [], None),
    (2, "resident", "approved", [], None),
    (2, 0, "evaluated", ["2", "2"], 4),
    (2, 2, "rejected", [], None),
    (3, "party_member", "in_progress", ["1", "1.5"], None),
    (3, 3, "completed", ["2", "2", "1"], None),
    (3, "resident", "evaluated", ["1.5"], 5),
    (4, 1, "approved", [], None),
    (4, 2, "pending", [], None),
]
REPORTS = ["陪老人聊天、读报，帮忙整理房间。", "在投放点值守，指导居民分类投放。", "清理楼道杂物，劝导规范停放电动车。"]


def _volunteers(community) -> list[User]:
    """Party members of the community with an account: those with one, then accounts for a few without."""
    members = list(PartyMember.objects.filter(community=community, is_active=True).order_by("id")[:8])
    users = []
    for member in members:
        if member.user_id is None:
            taken = User.objects.filter(Q(username=f"member{member.pk}") | Q(phone=member.phone)).first()
            if taken is not None and taken.role != User.Role.PARTY_MEMBER:
                continue
            account = taken or User(
                username=f"member{member.pk}",
                role=User.Role.PARTY_MEMBER,
                grid_node=community,
                display_name=member.name,
                phone=member.phone,
            )
            if account.pk is None:
                account.set_unusable_password()
                account.save()
            member.user = account
            member.save(update_fields=["user"])
        if member.user.username != "party_member":
            users.append(member.user)
    return users[:4]


def _run(claim: Claim, *, person: User, admin: User, state: str, hours: list[str], rating, index: int) -> None:
    """Take a pending claim to ``state`` through the actions, with the person's reports."""
    if state == "rejected":
        actions.reject_claim(by=admin, claim=claim, note="本期名额已安排，欢迎认领其他项目。")
        return
    if state == "pending":
        return
    actions.approve_claim(by=admin, claim=claim, note="欢迎参加，请按约定时间到岗。")
    for i, h in enumerate(hours):
        actions.report_progress(by=person, claim=claim, hours=h, text=REPORTS[(index + i) % len(REPORTS)])
    if state in ("completed", "evaluated"):
        actions.complete_claim(by=admin, claim=claim)
    if state == "evaluated":
        actions.evaluate_claim(by=admin, claim=claim, rating=rating, comment="服务认真，居民满意。")


def seed(stdout=None) -> None:
    street = GridNode.objects.filter(code="SY").first()
    if street is None:
        return
    if Project.objects.filter(title=PROJECTS[0][0], grid_node__path__startswith=street.path).exists():
        return
    community = GridNode.objects.filter(parent=street).order_by("sort_order", "id").first()
    admin = User.objects.filter(username="community_admin", grid_node=community).first()
    demo = {name: User.objects.filter(username=name).first() for name in ("party_member", "resident")}
    if community is None or admin is None or None in demo.values():
        return
    people = _volunteers(community)
    categories = {c.code: c for c in Category.objects.filter(code__in={p[1] for p in PROJECTS})}
    projects = [
        actions.create_project(
            by=admin,
            title=title,
            category=categories[code],
            grid_node=community,
            description=description,
            capacity=capacity,
            allows_individuals=True,
            individual_capacity=places,
            publish=True,
        )
        for title, code, description, capacity, places in PROJECTS
        if code in categories
    ]
    if len(projects) != len(PROJECTS):
        return
    made = 0
    for index, (project_index, who, state, hours, rating) in enumerate(CLAIMS):
        person = demo[who] if isinstance(who, str) else (people[who] if who < len(people) else None)
        if person is None:
            continue
        claim = actions.claim_project(by=person, project=projects[project_index], note="周末和晚上有时间。")
        _run(claim, person=person, admin=admin, state=state, hours=hours, rating=rating, index=index)
        made += 1
    if stdout is not None:
        stdout.write(f"  个人认领：{len(projects)} 个项目开放个人认领，{made} 条认领")
