"""Demo grid: two streets, 14 communities, 172 micro-grids with their posts and "3+1" teams.

舜玉路街道 (Jinan) and 西站街道 (Lanzhou) are the streets of the seed reports; the town of seed five
split 45 villages and communities into 172 micro-grids, the figure used here. Idempotent: every
node, post and team is found by its natural key before it is created.
"""

import random

from grids.models import GridNode, GridRole, Team, TeamMember

STREETS = [
    (
        "SY",
        "舜玉路街道",
        "以街道大工委为核心的“石榴花红色联盟”：组织共建、资源共享、互联互动。辖区多为老旧开放式小区。",
        ["舜园", "舜函", "舜玉", "舜耕", "舜华", "舜新", "八里洼"],
    ),
    (
        "XZ",
        "西站街道",
        "“红色矩阵”全域党建：街道党工委核心引领，驻区单位共同参与，党群服务中心覆盖社区、行业和“两新”组织。",
        ["建西东路", "武威路", "小西坪", "西站", "西津东路", "敦煌路", "柏树巷"],
    ),
]
MICRO_GRIDS_TOTAL = 172
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "国华建军明丽红英芳秀兰玉梅志强伟刚勇军平东海霞燕萍敏静洁丹宁涛斌磊鹏辉超峰杰文娟琳婷玲慧颖晓晨雪梦欣佳悦晴"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def demo_phone(prefix: str, n: int) -> str:
    return f"{prefix}{n:08d}"


def micro_grid_counts(communities: int) -> list[int]:
    """172 micro-grids spread over the communities, 12 or 13 each."""
    base, extra = divmod(MICRO_GRIDS_TOTAL, communities)
    return [base + (1 if i < extra else 0) for i in range(communities)]


def _as_an_older_seed_wrote(text: str) -> str:
    """A street's description as an older seed wrote it (a Traditional 陣, half-width ":" and ","): such rows
    are corrected in place."""
    return text.replace("阵", chr(0x9663)).replace("：", ":").replace("，", ",")


_OLD_DESCRIPTIONS = tuple(_as_an_older_seed_wrote(street[2]) for street in STREETS)


def _node(code, **fields) -> GridNode:
    node = GridNode.objects.filter(code=code).first()
    if node is None:
        node = GridNode(code=code, **fields)
        node.save()
    elif node.description in _OLD_DESCRIPTIONS and fields.get("description"):
        node.description = fields["description"]
        node.save(update_fields=["description"])
    return node


def seed(*, stdout) -> None:
    rng = random.Random(20181205)
    community_total = sum(len(s[3]) for s in STREETS)
    counts = iter(micro_grid_counts(community_total))
    for s_order, (s_code, s_name, s_desc, communities) in enumerate(STREETS, start=1):
        street = _node(s_code, name=s_name, level=1, kind=GridNode.Kind.STREET, description=s_desc, sort_order=s_order)
        for c_order, c_short in enumerate(communities, start=1):
            c_code = f"{s_code}-{c_order:02d}"
            community = _node(
                c_code,
                name=f"{c_short}社区",
                level=2,
                kind=GridNode.Kind.COMMUNITY,
                parent=street,
                sort_order=c_order,
                households=rng.randint(2800, 5200),
                population=rng.randint(7000, 14000),
                description=f"{c_short}社区综合党委：楼栋党小组和党员中心户为三级网格，小事一格解决，大事全网联动。",
            )
            for m_order in range(1, next(counts) + 1):
                m_code = f"{c_code}-{m_order:02d}"
                kind = GridNode.Kind.MICRO_GRID
                label = f"{m_order}号楼微网格"
                if m_order % 5 == 0:
                    kind, label = GridNode.Kind.BUILDING_GROUP, f"{m_order}号楼栋党小组"
                elif m_order % 7 == 0:
                    kind, label = GridNode.Kind.CENTRAL_HOUSEHOLD, f"第{m_order}党员中心户"
                _node(
                    m_code,
                    name=f"{c_short}{label}",
                    level=3,
                    kind=kind,
                    parent=community,
                    sort_order=m_order,
                    households=rng.randint(60, 240),
                )
    seed_posts(rng)


def seed_posts(rng: random.Random) -> None:
    """Posts on every node and the "3+1" teams of every community; skipped where a node already has them."""
    nodes = list(GridNode.objects.filter(code__regex=r"^(SY|XZ)").order_by("path"))
    has_posts = set(GridRole.objects.filter(node__in=nodes).values_list("node_id", flat=True).distinct())
    has_teams = set(Team.objects.filter(node__in=nodes).values_list("node_id", flat=True).distinct())
    roles, seq = [], 0

    def post(node, kind, duties, area="", department=""):
        nonlocal seq
        seq += 1
        roles.append(
            GridRole(
                node=node,
                post=kind,
                holder_name=person_name(rng),
                phone=demo_phone("139", 53000000 + seq + node.pk * 10),
                duties=duties,
                area=area or node.name,
                department=department,
                sort_order=len(roles),
            )
        )

    for node in nodes:
        if node.pk in has_posts:
            continue
        if node.level == 1:
            post(node, GridRole.Post.GRID_LEADER, "统筹全街道网格化管理，组织联席会议，督办大事难事", "全街道")
        elif node.level == 2:
            post(node, GridRole.Post.GRID_LEADER, "社区党委书记任网格长，统筹社区网格，协调驻区单位资源")
            for _ in range(2):
                post(node, GridRole.Post.GRID_WORKER, "日常巡查走访，收集民情民意，上报并跟踪办理居民诉求")
            post(node, GridRole.Post.JOINT_DUTY, "社区民警：治安巡逻、矛盾纠纷化解、反诈宣传", department="police")
            post(
                node,
                GridRole.Post.JOINT_DUTY,
                "城管队员：市容环境、违章搭建、占道经营治理",
                department="city_management",
            )
        else:
            post(node, GridRole.Post.MICRO_LEADER, "联系本网格住户，小事一格解决，及时上报大事")
            post(node, GridRole.Post.BUILDING_LEADER, "楼栋事务协调，邻里互助，独居老人关爱")
            if node.kind != GridNode.Kind.MICRO_GRID or rng.random() < 0.5:
                post(node, GridRole.Post.PARTY_VOLUNTEER, "党员亮身份，带头参加志愿服务和环境整治")
    GridRole.objects.bulk_create(roles)

    members = []
    for node in nodes:
        if node.level != 2 or node.pk in has_teams:
            continue
        for kind, name in (
            (Team.Kind.MANAGEMENT, "网格管理队伍"),
            (Team.Kind.WORK, "网格工作队伍"),
            (Team.Kind.VOLUNTEER, "党员志愿服务队"),
            (Team.Kind.JOINT_DUTY, "联勤联动队伍"),
        ):
            team = Team.objects.create(node=node, kind=kind, name=name, leader_name=person_name(rng))
            for i in range(rng.randint(3, 6)):
                members.append(TeamMember(team=team, name=person_name(rng), role="队员" if i else "副队长"))
    TeamMember.objects.bulk_create(members)
