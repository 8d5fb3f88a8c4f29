"""``/api/v1/articles/``: news and notices (党建动态, 通知公告), read-only.

Everybody reads what the portal's news pages show: published items whose publish time has come,
from every street and community of the district, pinned first, then newest. A street or community
admin also sees the drafts and scheduled items of their own subtree (``status`` tells them apart).
Writing stays in the admin, through ``alliance.committee.news``.
"""

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from alliance.committee.models import Article, ArticleAttachment
from alliance.core.admin_base import is_admin_user
from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.scoping import sees_all, subtree_q
from grids.models import GridNode


class ArticleFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices, label=_("栏目"))
    # A street's or a community's listing shows the district's articles (全区, no grid node) too.
    street = django_filters.ModelChoiceFilter(
        field_name="grid_node__street",
        queryset=GridNode.objects.filter(level=GridNode.Level.STREET),
        label=_("街道（含其下社区）"),
        method="with_district",
    )
    community = django_filters.ModelChoiceFilter(
        field_name="grid_node",
        queryset=GridNode.objects.filter(level=GridNode.Level.COMMUNITY),
        label=_("社区"),
        method="with_district",
    )
    pinned = django_filters.BooleanFilter(label=_("置顶"))
    status = django_filters.ChoiceFilter(choices=Article.Status.choices, label=_("状态（管理员）"))

    class Meta:
        model = Article
        fields = ["kind", "street", "community", "pinned", "status"]

    def with_district(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(**{name: value}) | Q(grid_node__isnull=True))


class ArticleAttachmentSerializer(ModelSerializer):
    url = serializers.FileField(source="file", read_only=True, use_url=True)

    class Meta:
        model = ArticleAttachment
        fields = ["id", "name", "url", "size"]


class ArticleSerializer(ModelSerializer):
    grid_node_name = read_text("scope_name")  # 全区 for a district-wide article
    street = serializers.IntegerField(source="grid_node.street_id", read_only=True)
    cover = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "summary",
            "cover",
            "grid_node",
            "grid_node_name",
            "street",
            "source",
            "publish_at",
            "pinned",
            "status",
            "status_label",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)
    attachments = ArticleAttachmentSerializer(many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "paragraphs", "attachments"]


def visible_articles(user, now=None):
    """Published items whose time has come; an admin also sees the drafts and scheduled items of the subtree."""
    now = now or timezone.now()
    public = Q(status=Article.Status.PUBLISHED, publish_at__lte=now)
    qs = Article.objects.select_related("grid_node")
    if user is not None and user.is_authenticated and is_admin_user(user):
        if sees_all(user):
            return qs
        if user.grid_node_id:
            return qs.filter(public | subtree_q("grid_node", user.grid_node))
    return qs.filter(public)


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """新闻公告: list (count + page) and detail (the article + its attachments), pinned first, then newest."""

    filterset_class = ArticleFilter
    ordering_fields = ["publish_at", "id"]

    def get_queryset(self):
        qs = visible_articles(self.request.user).order_by("-pinned", "-publish_at", "-id")
        if self.action == "list":
            return qs.defer("body")
        return qs.prefetch_related(Prefetch("attachments", ArticleAttachment.objects.order_by("id")))

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "list" else ArticleDetailSerializer


ROUTES = [("articles", ArticleViewSet, "article")]
