"""Demo surveys of 舜园社区 (舜玉路街道), made through the surveys' actions: last month's closed and published
needs survey (需求征集, 48 answers from demo residents, two of its text answers turned into needs), an open needs
survey, and last quarter's satisfaction poll (客户满意度测评, seed 002) of the community's service station, answered.
Idempotent: each survey is keyed by its title.

Wording from the seeds (004): “聚焦社区发展需求、居民群众需求”, “党员群众需求清单”, 微心愿."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alliance.surveys import actions
from alliance.surveys.models import Answer, Question, Survey
from grids.models import GridNode
from members.models import User
from projects.models import Category
from services.models import ServiceStation

CLOSED_TITLE = "舜园社区居民需求征集（聚焦居民群众需求）"
OPEN_TITLE = "“微心愿”和便民服务需求征集"
POLL_TITLE = "党群服务站客户满意度测评"
NAMES = "张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀兰", "建国", "淑珍", "志强", "玉梅", "德明", "丽华", "桂英", "海涛", "春燕", "文博", "雪芹"]
WISHES = [
    "希望社区开设老年食堂，解决独居老人吃饭难。",
    "小区楼道灯经常坏，希望及时维修。",
    "希望周末有托管孩子的地方，双职工家庭接送难。",
    "希望组织义诊体检，量血压、测血糖。",
    "希望增设电动自行车充电桩，杜绝飞线充电。",
    "希望开办智能手机使用培训班，帮老年人跨越数字鸿沟。",
    "希望健身器材更新一下，有的已经损坏。",
    "",
    "",
]
QUESTIONS = [
    ("您和家人最需要社区提供哪项服务？", Question.Kind.SINGLE, "助餐服务\n助医服务\n托育托管\n法律咨询\n文体活动"),
    ("您希望社区活动安排在什么时间？", Question.Kind.MULTIPLE, "工作日白天\n工作日晚间\n周末\n节假日"),
    ("您对社区现有服务的满意程度", Question.Kind.SCALE, ""),
    ("您还有什么需求或建议（微心愿也可以写在这里）", Question.Kind.TEXT, ""),
]


def _residents(community, micro, count: int) -> list:
    """Demo residents of the community who answer (no usable password)."""
    out = []
    for i in range(count):
        node = micro[i % len(micro)] if micro else community
        user, _ = User.objects.get_or_create(
            username=f"survey_resident_{i + 1:02d}",
            defaults={
                "role": User.Role.RESIDENT,
                "display_name": f"{NAMES[i % len(NAMES)]}{GIVEN[i % len(GIVEN)]}",
                "grid_node": node,
                "password": make_password(None),
            },
        )
        out.append(user)
    return out


def _survey(admin, community, title, questions, **fields) -> Survey | None:
    if Survey.objects.filter(title=title).exists():
        return None
    survey = actions.create_survey(by=admin, grid_node=community, title=title, **fields)
    for position, (text, kind, options) in enumerate(questions, start=1):
        actions.save_question(
            by=admin,
            question=Question(
                survey=survey,
                position=position,
                text=text,
                kind=kind,
                options=options,
                required=kind != Question.Kind.TEXT,
            ),
        )
    return survey


def _answer(rng, survey, people, at) -> None:
    questions = list(survey.questions.all())
    for i, person in enumerate(people):
        answers = {}
        for q in questions:
            if q.kind == Question.Kind.SINGLE:
                answers[q.pk] = min(int(rng.triangular(0, len(q.option_list), 0)), len(q.option_list) - 1)
            elif q.kind == Question.Kind.MULTIPLE:
                answers[q.pk] = sorted(rng.sample(range(len(q.option_list)), rng.randint(1, 2)))
            elif q.kind == Question.Kind.SCALE:
                answers[q.pk] = rng.choice([5, 5, 4, 4, 4, 3, 5, 2])
            elif q.kind == Question.Kind.TEXT:
                answers[q.pk] = WISHES[i % len(WISHES)] if i < 20 else ""
        actions.answer_survey(by=person, survey=survey, answers=answers, now=at + datetime.timedelta(hours=i))


def seed(stdout=None) -> None:
    street = GridNode.objects.filter(code="SY").first()
    admin = User.objects.filter(username="community_admin").first()
    if street is None or admin is None or admin.grid_node is None:
        return
    community = admin.grid_node
    micro = list(GridNode.objects.filter(parent=community).order_by("path"))
    rng = random.Random(20261203)
    now = timezone.now()
    people = _residents(community, micro, 48)
    description = "为聚焦居民群众需求，动态更新社区需求清单，请您花两分钟填写。每人填写一次，结果将向居民公布。"

    # Last month's needs survey: answered, closed and published; two texts turned into needs.
    opens = now - datetime.timedelta(days=40)
    closed = _survey(
        admin,
        community,
        CLOSED_TITLE,
        QUESTIONS,
        starts_at=opens,
        ends_at=opens + datetime.timedelta(days=14),
        description=description,
    )
    if closed is not None:
        actions.open_survey(by=admin, survey=closed, now=opens)
        _answer(rng, closed, people, opens + datetime.timedelta(hours=2))
        actions.close_survey(by=admin, survey=closed, now=closed.ends_at)
        texts = Answer.objects.filter(question__survey=closed, text__gt="").order_by("pk")[:2]
        category = Category.objects.filter(is_active=True, parent__isnull=False).order_by("pk").first()
        if category is not None:
            actions.answers_to_needs(by=admin, answers=list(texts), category=category, now=closed.ends_at)

    # An open survey, a few answers in already (the demo resident has not answered).
    opened = _survey(
        admin,
        community,
        OPEN_TITLE,
        QUESTIONS[:1] + QUESTIONS[2:],
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=12),
        description="说出您的“微心愿”，社区和党员志愿者帮您圆梦。",
    )
    if opened is not None:
        actions.open_survey(by=admin, survey=opened, now=now - datetime.timedelta(days=2))
        _answer(rng, opened, people[:9], now - datetime.timedelta(days=1))

    # Last quarter's satisfaction poll of the community's station (客户满意度测评), published.
    station = ServiceStation.objects.filter(grid_node__path__startswith=community.path).order_by("pk").first()
    quarter = (now.month - 1) // 3  # last quarter: 0 means the fourth of last year
    year = now.year if quarter else now.year - 1
    quarter = quarter or 4
    start = timezone.make_aware(datetime.datetime(year, 3 * quarter - 2, 1, 9))
    poll = _survey(
        admin,
        community,
        POLL_TITLE,
        [
            ("服务态度", Question.Kind.SCALE, ""),
            ("办事效率", Question.Kind.SCALE, ""),
            ("环境设施", Question.Kind.SCALE, ""),
            ("您最常使用的服务", Question.Kind.SINGLE, "政务代办\n共享空厅\n助餐服务\n文体活动"),
        ],
        kind=Survey.Kind.SATISFACTION,
        station=station,
        period_year=year,
        period_quarter=quarter,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=30),
        description="请为党群服务站的服务打分（1分最低，5分最高），帮助我们改进服务。",
    )
    if poll is not None:
        actions.open_survey(by=admin, survey=poll, now=start)
        _answer(rng, poll, people[10:42], start + datetime.timedelta(days=1))
        actions.close_survey(by=admin, survey=poll, now=poll.ends_at)
