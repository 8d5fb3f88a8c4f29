"""seed_city's party members: 100,000 (at scale 1) across the city's communities and units, with Chinese names.

Names are a common surname and one or two given characters, so a two-character name (王芳) and a three-character
one (李建国) are both frequent and a search for a name finds a few hundred people, not all or none: the admin's
name search (alliance.core.search) measures something. One ``INSERT … SELECT`` over ``generate_series`` like the
command's other stages; a third of them get a skill.
"""

# ruff: noqa: S608 - the SQL is built from this module's constants; values go in as parameters

from django.db import connection

from members.models import PartyMember, Skill

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国文辉力鹏飞斌宇浩凯健俊帆帅旭宁龙林欣博子晨瑞雪梅琳晶燕倩婷颖慧佳嘉怡丹蕾薇岚"


PEOPLE = 100_000  # at scale 1


def seeded(prefix: str) -> bool:
    return PartyMember.objects.filter(phone__startswith="137", unit__name__startswith=f"{prefix}单位").exists()


def people(insert_select, prefix: str, scale: float) -> int:
    """Insert ``PEOPLE × scale`` party members (phones 137…, unique) and their skills; returns the rows written."""
    count = max(1, round(PEOPLE * scale))
    table = PartyMember._meta.db_table
    rows = insert_select(
        PartyMember,
        {
            # One given character for every third person: 张伟; two for the others: 李建国.
            "name": f"substr('{SURNAMES}', 1 + p %% {len(SURNAMES)}, 1)"
            f" || substr('{GIVEN}', 1 + (p / 7) %% {len(GIVEN)}, 1)"
            f" || CASE WHEN p %% 3 = 0 THEN '' ELSE substr('{GIVEN}', 1 + (p / 11) %% {len(GIVEN)}, 1) END",
            "phone": "'137' || lpad(p::text, 8, '0')",
            "unit_id": "u.id",
            "community_id": "u.grid_node_id",
            "reported_on": "date '2021-01-01' + (p %% 1500)::int",
            "joined_party_on": "date '1980-01-01' + (p %% 15000)::int",
            "availability": "(ARRAY['weekdays','weekends','evenings','anytime'])[1 + p %% 4]",
            "is_active": "p %% 20 <> 0",
        },
        # The units go round the communities, so a member's unit and community are in the same street.
        "FROM generate_series(1, %s) p JOIN (SELECT id, grid_node_id, row_number() OVER (ORDER BY id) AS rn "
        f"FROM members_memberunit WHERE name LIKE '{prefix}单位%%') u "
        f"ON u.rn = 1 + (p - 1) %% (SELECT count(*) FROM members_memberunit WHERE name LIKE '{prefix}单位%%')",
        [count],
    )
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    if skills:
        through = PartyMember.skills.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {through} (partymember_id, skill_id) SELECT pm.id, (%s::bigint[])[1 + pm.id %% %s] "
                f"FROM {table} pm JOIN members_memberunit u ON u.id = pm.unit_id "
                f"WHERE u.name LIKE '{prefix}单位%%' AND pm.id %% 3 = 0",
                [skills, len(skills)],
            )
            rows += cursor.rowcount
    return rows
