"""Demo members: 200+ units of every kind, their party organisations and pairings, an enterprise
alliance of 39 firms, party-building instructors, 1,000+ party members with skills, and the demo
accounts of SPEC §7. Idempotent: units by credit code, members by phone, accounts by username.
"""

import datetime
import random

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from alliance.core.validators import make_credit_code
from alliance.demo.grids import person_name
from grids.models import GridNode
from members.models import (
    EnterpriseAlliance,
    EnterpriseAllianceMembership,
    Instructor,
    MemberUnit,
    Pairing,
    PartyMember,
    PartyOrganization,
    Skill,
    User,
)

K = MemberUnit.Kind
# Units named in the seed reports, placed in 舜玉路街道 (SY) or 西站街道 (XZ).
NAMED_UNITS = [
    ("SY", K.GOVERNMENT, "山东省交通运输厅"),
    ("SY", K.GOVERNMENT, "山东省商务厅"),
    ("SY", K.GOVERNMENT, "国家税务总局济南市市中区税务局"),
    ("SY", K.GOVERNMENT, "济南市市中区司法局舜玉路司法所"),
    ("SY", K.GOVERNMENT, "济南市公安局市中区分局舜玉路派出所"),
    ("SY", K.STATE_FIRM, "中国铁建投资集团山东分公司"),
    ("SY", K.STATE_FIRM, "中国银行济南舜玉路支行"),
    ("SY", K.STATE_FIRM, "山东广电信通网络运营有限公司"),
    ("SY", K.STATE_FIRM, "海通证券山东分公司"),
    ("SY", K.PRIVATE_FIRM, "银丰集团"),
    ("SY", K.PRIVATE_FIRM, "舜耕山庄集团"),
    ("SY", K.PRIVATE_FIRM, "华录·风华养老综合服务中心"),
    ("SY", K.PRIVATE_FIRM, "银丰荟·颐养中心"),
    ("SY", K.SCHOOL, "济南大学"),
    ("SY", K.SCHOOL, "山东财经大学舜耕校区"),
    ("SY", K.SCHOOL, "济南市舜耕中学"),
    ("SY", K.SCHOOL, "山东师范大学附属小学"),
    ("SY", K.SCHOOL, "艾科瑞特机器人学校"),
    ("SY", K.HOSPITAL, "山东省千佛山医院"),
    ("SY", K.SOCIAL_ORG, "汇玉众创孵化器"),
    ("XZ", K.STATE_FIRM, "兰州西站综合交通枢纽"),
    ("XZ", K.STATE_FIRM, "中铁建兰州丽苑物业公司"),
    ("XZ", K.GOVERNMENT, "七里河区市场监督管理局西站所"),
    ("XZ", K.GOVERNMENT, "兰州市公安局七里河分局西站派出所"),
    ("XZ", K.HOSPITAL, "兰州市第二人民医院西站分院"),
    ("XZ", K.SCHOOL, "兰州市七里河区建西东路小学"),
]
# Generated units per kind and street, so every kind is there (112 in SY as in seed four, 100 in XZ).
GENERATED = {
    K.GOVERNMENT: (
        "机关",
        ["区住房和城乡建设局", "区民政局", "区卫生健康局", "区退役军人事务局", "区城市管理局", "区文化和旅游局"],
    ),
    K.INSTITUTION: (
        "事业",
        ["区图书馆", "区文化馆", "区疾控中心", "区档案馆", "区就业服务中心", "区少年宫", "区科技馆"],
    ),
    K.STATE_FIRM: (
        "国企",
        [
            "供电公司营业所",
            "自来水公司服务站",
            "燃气公司服务站",
            "邮政支局",
            "建设银行支行",
            "工商银行支行",
            "移动营业厅",
            "联通营业厅",
        ],
    ),
    K.PRIVATE_FIRM: (
        "两新",
        [
            "物业服务有限公司",
            "餐饮管理有限公司",
            "家政服务有限公司",
            "科技有限公司",
            "律师事务所",
            "会计师事务所",
            "商贸有限公司",
            "健康管理有限公司",
            "文化传媒有限公司",
            "药房连锁店",
        ],
    ),
    K.SOCIAL_ORG: (
        "社会组织",
        ["志愿者协会", "社会工作服务中心", "老年协会", "书画协会", "心理咨询服务中心", "慈善义工站"],
    ),
    K.SCHOOL: ("学校", ["实验小学", "第二中学", "幼儿园", "职业培训学校"]),
    K.HOSPITAL: ("医院", ["社区卫生服务中心", "中医门诊部", "口腔医院", "康复医院"]),
    K.OTHER: ("其他", ["商务楼宇联合党委", "产业园区管委会"]),
}
PLACE_PREFIX = {
    "SY": ["舜玉", "舜耕", "舜华", "八里洼", "舜园", "舜函", "七里山", "英雄山"],
    "XZ": ["西站", "建西", "武威", "小西坪", "西津", "敦煌", "柏树巷", "七里河"],
}
UNITS_PER_STREET = {"SY": 112, "XZ": 100}
SKILLS = [
    "医疗护理",
    "法律咨询",
    "心理疏导",
    "书法绘画",
    "摄影摄像",
    "文艺演出",
    "电脑维修",
    "家电维修",
    "理发",
    "课业辅导",
    "驾驶",
    "烹饪",
    "财务会计",
    "党史宣讲",
    "外语",
    "体育健身",
    "水电维修",
    "养老护理",
    "中医推拿",
    "园艺绿化",
]
PARTY_MEMBERS_PER_COMMUNITY = 78  # 14 communities × 78 = 1,092 dual-reported party members
ENTERPRISE_ALLIANCE_SIZE = 39
SY_PAIRED_UNITS = 38


def _unit_specs() -> list[tuple[str, str, str]]:
    """The named units, then generated ones round-robin over the kinds until each street has its count."""
    specs = list(NAMED_UNITS)
    for street, total in UNITS_PER_STREET.items():
        have = sum(1 for s in specs if s[0] == street)
        # Firms twice per round: the enterprise alliance alone has 39 of them.
        kinds = [*GENERATED, K.PRIVATE_FIRM]
        per_kind = dict.fromkeys(GENERATED, 0)
        i = 0
        while have < total:
            kind = kinds[i % len(kinds)]
            _, names = GENERATED[kind]
            j = per_kind[kind]
            per_kind[kind] += 1
            prefixes = PLACE_PREFIX[street]
            prefix, base = prefixes[(j // len(names)) % len(prefixes)], names[j % len(names)]
            if kind in (K.GOVERNMENT, K.INSTITUTION):
                city = "济南市市中" if street == "SY" else "兰州市七里河"
                name = f"{city}{base}{prefix}工作站"
            else:
                name = f"{prefix}{base}"
            specs.append((street, kind, name))
            have += 1
            i += 1
    return specs


def seed(*, stdout) -> None:
    rng = random.Random(20190807)
    streets = {n.code: n for n in GridNode.objects.filter(code__in=["SY", "XZ"])}
    communities = {
        code: list(GridNode.objects.filter(parent=street).order_by("sort_order")) for code, street in streets.items()
    }
    micro = {}
    for code in streets:
        for community in communities[code]:
            micro[community.pk] = list(GridNode.objects.filter(parent=community).order_by("sort_order"))

    # Units
    existing = set(MemberUnit.objects.values_list("name", flat=True))
    new_units = []
    for index, (street, kind, name) in enumerate(_unit_specs()):
        if name in existing:
            continue
        community = communities[street][index % len(communities[street])]
        node = rng.choice(micro[community.pk]) if rng.random() < 0.4 else community
        new_units.append(
            MemberUnit(
                name=name,
                kind=kind,
                credit_code=make_credit_code(f"91{370100 if street == 'SY' else 620100}{index:09d}"),
                address=f"{community.name}{rng.randint(1, 300)}号",
                grid_node=node,
                contact_name=person_name(rng),
                contact_phone=f"0{531 if street == 'SY' else 931}-{86000000 + index}",
                joined_on=datetime.date(2017 + index % 8, 1 + index % 12, 1 + index % 28),
                star_rating=rng.choice([3, 4, 4, 5]),
                introduction=f"{name}是红色联盟成员单位，积极参与共驻共建。",
            )
        )
    if new_units:
        bulk_create_with_history(new_units, MemberUnit, batch_size=500)
    units = list(MemberUnit.objects.select_related("grid_node").order_by("id"))

    # Party organisations
    with_org = set(PartyOrganization.objects.values_list("unit_id", flat=True))
    orgs = []
    for unit in units:
        if unit.pk in with_org:
            continue
        kind = PartyOrganization.Kind.BRANCH
        if unit.kind in (K.GOVERNMENT, K.SCHOOL, K.HOSPITAL) and len(unit.name) > 6:
            kind = PartyOrganization.Kind.COMMITTEE
        elif unit.kind == K.PRIVATE_FIRM and unit.pk % 3 == 0:
            kind = PartyOrganization.Kind.JOINT_BRANCH
        orgs.append(
            PartyOrganization(
                unit=unit,
                name=f"{unit.name}{kind.label}",
                kind=kind,
                secretary=person_name(rng),
                member_count=rng.randint(3, 120),
            )
        )
    PartyOrganization.objects.bulk_create(orgs)

    # Pairings: 38 paired units in 舜玉路街道, a few in 西站街道
    if not Pairing.objects.exists():
        pairings = []
        for street, count in (("SY", SY_PAIRED_UNITS), ("XZ", 20)):
            street_units = [u for u in units if u.grid_node.path.startswith(streets[street].path)][:count]
            for i, unit in enumerate(street_units):
                pairings.append(
                    Pairing(
                        unit=unit,
                        community=communities[street][i % len(communities[street])],
                        grid_node=communities[street][i % len(communities[street])],
                        starts_on=datetime.date(2024, 1, 1),
                        ends_on=datetime.date(2026, 12, 31),
                    )
                )
        Pairing.objects.bulk_create(pairings)

    # Enterprise alliance of 39 firms in 舜玉路街道
    alliance, _ = EnterpriseAlliance.objects.get_or_create(
        name="舜玉路街道企业家联盟", street=streets["SY"], defaults={"founded_on": datetime.date(2018, 6, 28)}
    )
    if not alliance.members.exists():
        in_sy = [u for u in units if u.grid_node.path.startswith(streets["SY"].path)]
        # Firms first, then the business buildings' organisations, up to the 39 of the seed report.
        firms = sorted(
            (u for u in in_sy if u.kind in (K.PRIVATE_FIRM, K.STATE_FIRM, K.OTHER)),
            key=lambda u: (u.kind == K.OTHER, u.pk),
        )[:ENTERPRISE_ALLIANCE_SIZE]
        EnterpriseAllianceMembership.objects.bulk_create(
            EnterpriseAllianceMembership(
                alliance=alliance, unit=u, joined_on=datetime.date(2018, 6, 28), position="理事长" if i == 0 else "成员"
            )
            for i, u in enumerate(firms)
        )

    # Skills and party members (双报到)
    for name in SKILLS:
        Skill.objects.get_or_create(name=name)
    skills = list(Skill.objects.filter(name__in=SKILLS))
    existing_phones = set(PartyMember.objects.values_list("phone", flat=True))
    new_members, member_skills = [], []
    seq = 0
    for code in ("SY", "XZ"):
        for community in communities[code]:
            for _ in range(PARTY_MEMBERS_PER_COMMUNITY):
                seq += 1
                phone = f"135{seq:08d}"
                if phone in existing_phones:
                    continue
                node = rng.choice(micro[community.pk]) if rng.random() < 0.5 else community
                member = PartyMember(
                    name=person_name(rng),
                    phone=phone,
                    unit=rng.choice(units),
                    community=node,
                    reported_on=datetime.date(2024 + seq % 2, 1 + seq % 12, 1 + seq % 28),
                    availability=rng.choice(PartyMember.Availability.values[:4]),
                    joined_party_on=datetime.date(1970 + seq % 50, 7, 1),
                )
                new_members.append(member)
                member_skills.append(rng.sample(skills, rng.randint(1, 3)))
    if new_members:
        PartyMember.objects.bulk_create(new_members, batch_size=500)
        Through = PartyMember.skills.through
        Through.objects.bulk_create(
            [
                Through(partymember_id=m.pk, skill_id=s.pk)
                for m, ss in zip(new_members, member_skills, strict=True)
                for s in ss
            ],
            batch_size=1000,
        )

    # Instructors (选/派/兼) for private firms and social organisations
    if not Instructor.objects.exists():
        targets = [u for u in units if u.kind in (K.PRIVATE_FIRM, K.SOCIAL_ORG)][:12]
        guides = list(PartyMember.objects.order_by("id")[:12])
        Instructor.objects.bulk_create(
            Instructor(member=m, unit=u, method=Instructor.Method.values[i % 3], starts_on=datetime.date(2024, 3, 1))
            for i, (m, u) in enumerate(zip(guides, targets, strict=False))
        )

    seed_accounts(streets["SY"], communities["SY"][0], micro, units)


def seed_accounts(street, community, micro, units) -> None:
    """The demo accounts of SPEC §7, all in 舜玉路街道 / 舜园社区; created once, never reset."""
    password = settings.DEMO_PASSWORD
    unit = next(u for u in units if u.name == "中国铁建投资集团山东分公司")
    accounts = [
        ("admin", {"is_superuser": True, "display_name": "系统管理员"}),
        ("street_admin", {"role": User.Role.STREET_ADMIN, "grid_node": street, "display_name": "街道党建办 刘主任"}),
        (
            "community_admin",
            {"role": User.Role.COMMUNITY_ADMIN, "grid_node": community, "display_name": "舜园社区 陈书记"},
        ),
        (
            "grid_worker",
            {
                "role": User.Role.GRID_WORKER,
                "grid_node": community,
                "display_name": "网格员 王芳",
                "phone": "13953100001",
            },
        ),
        (
            "unit_operator",
            {"role": User.Role.UNIT_OPERATOR, "unit": unit, "grid_node": unit.grid_node, "display_name": "联络员 赵强"},
        ),
        (
            "party_member",
            {
                "role": User.Role.PARTY_MEMBER,
                "grid_node": community,
                "display_name": "党员 孙立华",
                "phone": "13953100002",
            },
        ),
        (
            "resident",
            {
                "role": User.Role.RESIDENT,
                "grid_node": micro[community.pk][2],
                "display_name": "居民 李秀兰",
                "phone": "13953100003",
                "address": "舜玉路舜园小区3号楼2单元301",
            },
        ),
    ]
    for username, fields in accounts:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, **fields)
        user.set_password(password)
        user.save()
    member_user = User.objects.get(username="party_member")
    PartyMember.objects.get_or_create(
        phone="13953100002",
        defaults={
            "name": "孙立华",
            "user": member_user,
            "unit": unit,
            "community": community,
            "reported_on": datetime.date(2024, 3, 5),
            "availability": PartyMember.Availability.WEEKENDS,
        },
    )
