"""Public news and notices (党建动态, 通知公告) under /alliance/news/.

Everybody sees every published item of the district whose publish time has come, each with the
street or community it comes from; ``?kind=news|notice`` narrows the column.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from alliance.committee import news
from alliance.committee.models import Article
from alliance.core.querying import ChoiceField, QueryForm, page_status, read_query
from grids.models import District

PAGE_SIZE = 20


class NewsQuery(QueryForm):
    kind = ChoiceField(label=_("栏目"), choices=Article.Kind.choices, initial="")


def news_list(request):
    """Pinned first, then newest (2 queries: the count and the page)."""
    query = read_query(request, NewsQuery)
    kind = query.value("kind")
    qs = news.published().defer("body")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": Article.Kind.choices}
    return render(request, "alliance/news_list.html", context, status=page_status(request, query))


def news_detail(request, pk: int):
    """One article and its attachments (2 queries); drafts and future items answer 404."""
    article = get_object_or_404(news.published(), pk=pk)
    attachments = list(article.attachments.order_by("id"))
    district = District.load() if article.grid_node_id is None else None  # 全区: the district's name
    context = {"article": article, "attachments": attachments, "district": district}
    return render(request, "alliance/news_detail.html", context)
