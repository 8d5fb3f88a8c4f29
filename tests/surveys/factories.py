import datetime

import factory
from django.utils import timezone

from alliance.surveys.models import Question, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open needs survey of the community, for residents and party members, open a week from yesterday."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"社区居民需求征集{n}")
    description = "请说说您和家人最需要社区提供哪些服务。"
    kind = Survey.Kind.NEEDS
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=6))
    status = Survey.Status.OPEN


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "您最需要哪项服务？"
    kind = Question.Kind.SINGLE
    options = "助餐服务\n助医服务\n托育服务"


def needs_survey(grid_node, **kwargs) -> tuple[Survey, Question, Question, Question]:
    """A survey with a single choice, a 1–5 scale and a text question (all required but the text)."""
    survey = SurveyFactory(grid_node=grid_node, **kwargs)
    single = QuestionFactory(survey=survey, position=1)
    scale = QuestionFactory(
        survey=survey, position=2, text="您对社区服务的满意程度", kind=Question.Kind.SCALE, options=""
    )
    text = QuestionFactory(
        survey=survey, position=3, text="您还有什么需求？", kind=Question.Kind.TEXT, options="", required=False
    )
    return survey, single, scale, text
