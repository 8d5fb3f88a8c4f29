"""Demo data of the public selections (seed 003: 长期开展“小小画家”“最美家庭”等评选活动): 舜园社区's 2026年度“最美家庭”
评选, voted on last month and published, and 舜玉路街道's “最美志愿者” selection, open now, in which the demo resident
and party member can vote.

Everything goes through alliance.surveys.actions (the past selection with ``now=`` at each step), so the votes are
counted as in real use. Idempotent: a selection that exists (by title in its area) is left as it is.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alliance.surveys import actions
from alliance.surveys.models import Selection
from grids.models import GridNode
from members.models import User

FAMILIES_TITLE = "2026年度舜园社区“最美家庭”评选"
FAMILIES_RULES = (
    "为弘扬中华民族传统家庭美德，社区开展“最美家庭”评选活动。候选家庭由各楼栋推荐、社区审核产生。\n"
    "评选范围内的居民和党员每人可投一票，得票最多的前三户当选，结果在社区公示栏和本平台公布。"
)
# (name, story, votes)
FAMILIES = [
    ("张桂兰家庭", "四世同堂、孝老爱亲。张桂兰照顾瘫痪在床的婆婆十二年，一家人和睦相处，常年帮扶楼里的独居老人。", 9),
    ("李建国家庭", "退休老党员李建国带着老伴坚持在小区义务巡逻，组织邻居清理楼道堆物，被居民称为“楼道管家”。", 7),
    ("王秀英家庭", "重视家风家教，两个孩子都是社区“小小画家”，一家人每年参加垃圾分类志愿服务。", 6),
    ("刘德明家庭", "三代人共同经营社区爱心书屋，免费向居民开放，节假日为孩子们义务辅导功课。", 4),
    ("陈玉珍家庭", "夫妻俩热心调解邻里纠纷，参与协商议事厅议事，推动小区增设路灯和电动车充电设施。", 3),
    ("赵志强家庭", "绿色低碳生活的践行者，在楼顶种植花草、带动邻居节水节电，家庭垃圾分类准确率全楼第一。", 2),
    ("孙丽华家庭", "坚持十年为小区保洁员、快递员送茶水，疫情期间主动报名当楼栋志愿者。", 1),
]
VOLUNTEERS_TITLE = "2026年度舜玉路街道“最美志愿者”评选"
VOLUNTEERS_RULES = (
    "评选在街道各社区志愿服务中表现突出的志愿者。街道内居民和党员每人可投一票，投票截止后由街道大工委审核公布。"
)
# (name, community short name, story)
VOLUNTEERS = [
    ("王建华", "舜园", "党员志愿者，每周三次在投放点值守，指导居民垃圾分类，累计服务时长300余小时。"),
    ("刘淑珍", "舜函", "组织“银发服务队”，结对独居老人二十余户，每周上门陪伴聊天、代买药品。"),
    ("陈志强", "舜玉", "退役军人，带领青年志愿者参加小区消防演练和夜间平安巡逻。"),
    ("杨秀英", "舜耕", "社区“花样奶奶”，义务教孩子们剪纸和书法，四年未间断。"),
    ("周玉兰", "舜华", "楼栋长，协助网格员走访住户、收集居民诉求，被邻居称为“热心肠”。"),
    ("黄丽华", "舜新", "医生志愿者，每月到党群服务站义诊，为老人测血压、讲健康知识。"),
]
VOTER_NAMES = [
    "王丽",
    "李强",
    "张伟",
    "刘芳",
    "陈静",
    "杨洋",
    "赵敏",
    "黄磊",
    "周婷",
    "吴斌",
    "徐娟",
    "孙涛",
    "胡霞",
    "朱军",
    "高燕",
    "林峰",
    "何平",
    "郭敏",
    "马超",
    "罗丹",
    "梁晨",
    "宋佳",
    "郑悦",
    "谢颖",
    "韩梅",
    "唐宁",
    "冯雪",
    "于洁",
    "董晴",
    "程鹏",
    "曹琳",
    "袁杰",
]


def _community(street, short: str) -> GridNode | None:
    return GridNode.objects.filter(parent=street, name__startswith=short).order_by("pk").first()


def _voters(community, count: int) -> list[User]:
    """Residents of the community who vote in the demo (accounts without a usable password)."""
    micro = list(GridNode.objects.filter(parent=community).order_by("pk")[:6]) or [community]
    voters = []
    for i in range(count):
        user, _ = User.objects.get_or_create(
            username=f"demo_voter_{i + 1:02d}",
            defaults={
                "role": User.Role.RESIDENT,
                "display_name": VOTER_NAMES[i % len(VOTER_NAMES)],
                "grid_node": micro[i % len(micro)],
                "password": make_password(None),
            },
        )
        voters.append(user)
    return voters


def _families(admin, community, voters, resident, now) -> None:
    if Selection.objects.filter(title=FAMILIES_TITLE, grid_node=community).exists():
        return
    starts = now - datetime.timedelta(days=30)
    ends = now - datetime.timedelta(days=16)
    selection = actions.create_selection(
        by=admin,
        title=FAMILIES_TITLE,
        grid_node=community,
        starts_at=starts,
        ends_at=ends,
        description=FAMILIES_RULES,
        places=3,
        now=starts - datetime.timedelta(days=3),
    )
    candidates = [
        actions.add_candidate(by=admin, selection=selection, name=name, community=community, story=story, position=i)
        for i, (name, story, _votes) in enumerate(FAMILIES)
    ]
    actions.open_voting(by=admin, selection=selection, now=starts)
    ballots = [c for c, (_n, _s, votes) in zip(candidates, FAMILIES, strict=True) for _ in range(votes)]
    people = ([resident] if resident else []) + voters
    for i, (person, candidate) in enumerate(zip(people, ballots, strict=False)):
        voted = starts + datetime.timedelta(hours=3 + 7 * i)
        actions.cast_vote(by=person, selection=selection, candidate=candidate, now=voted)
    actions.close_voting(by=None, selection=selection, now=ends)  # the job at the end of the window
    actions.publish_selection_results(by=admin, selection=selection, now=ends + datetime.timedelta(days=2))


def _volunteers(admin, street, voters, now) -> None:
    if Selection.objects.filter(title=VOLUNTEERS_TITLE, grid_node=street).exists():
        return
    starts = now - datetime.timedelta(days=2)
    selection = actions.create_selection(
        by=admin,
        title=VOLUNTEERS_TITLE,
        grid_node=street,
        starts_at=starts,
        ends_at=now + datetime.timedelta(days=14),
        description=VOLUNTEERS_RULES,
        places=3,
        now=starts,
    )
    candidates = []
    for i, (name, short, story) in enumerate(VOLUNTEERS):
        community = _community(street, short)
        if community is not None:
            candidates.append(
                actions.add_candidate(
                    by=admin, selection=selection, name=name, community=community, story=story, position=i
                )
            )
    actions.open_voting(by=admin, selection=selection, now=starts)
    # A few votes so far (the counts stay hidden until the result is published).
    for i, person in enumerate(voters[:9]):
        candidate = candidates[[0, 1, 0, 2, 3, 0, 1, 4, 5][i] % len(candidates)]
        actions.cast_vote(
            by=person, selection=selection, candidate=candidate, now=starts + datetime.timedelta(hours=5 * i + 1)
        )


def seed(stdout=None):
    street = GridNode.objects.filter(name="舜玉路街道", level=GridNode.Level.STREET).first()
    if street is None:
        return
    community = _community(street, "舜园")
    admin = User.objects.filter(username="street_admin").first() or User.objects.filter(is_superuser=True).first()
    if community is None or admin is None:
        return
    now = timezone.now()
    resident = User.objects.filter(username="resident").first()
    voters = _voters(community, sum(v for _n, _s, v in FAMILIES))
    _families(admin, community, voters, resident, now)
    _volunteers(admin, street, voters, now)
