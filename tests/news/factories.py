import datetime

import factory
from django.utils import timezone

from alliance.committee.models import Article
from tests.grids.factories import CommunityFactory


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    kind = Article.Kind.NEWS
    title = factory.Sequence(lambda n: f"舜玉路街道党建动态第{n}期")
    summary = "石榴花红色联盟开展主题党日活动。"
    body = "第一段。\n\n第二段。"
    grid_node = factory.SubFactory(CommunityFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
