"""django-filter FilterSets of the services API."""

import django_filters
from django.db.models import Q

from grids.models import GridNode
from services.models import Activity, Booking, Issue, MenuItem, Order, Room, ServiceStation


def _serving_node(queryset, field: str, value):
    """Rows whose ``field`` (a grid node) is an ancestor of, or equal to, the given node: what serves it."""
    node = GridNode.objects.filter(pk=value).only("path").first() if value else None
    if node is None:
        return queryset
    parts = [p for p in node.path.strip("/").split("/") if p]
    paths = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return queryset.filter(**{f"{field}__path__in": paths})


def _in_subtree(queryset, field: str, value):
    node = GridNode.objects.filter(pk=value).only("path").first() if value else None
    if node is None:
        return queryset
    return queryset.filter(**{f"{field}__path__startswith": node.path})


class StationFilter(django_filters.FilterSet):
    area = django_filters.NumberFilter(method="filter_area", label="网格(含下级)")

    class Meta:
        model = ServiceStation
        fields = ["kind", "grid_node"]

    def filter_area(self, queryset, name, value):
        return _in_subtree(queryset, "grid_node", value)


class RoomFilter(django_filters.FilterSet):
    area = django_filters.NumberFilter(method="filter_area", label="网格(含下级)")

    class Meta:
        model = Room
        fields = ["station", "unit"]

    def filter_area(self, queryset, name, value):
        return _in_subtree(queryset, "grid_node", value)


class MenuFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(method="filter_category", label="类别(含子类)")
    serves = django_filters.NumberFilter(method="filter_serves", label="服务该网格")
    q = django_filters.CharFilter(method="filter_q", label="关键词")

    class Meta:
        model = MenuItem
        fields = ["provider_unit", "provider_station"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))

    def filter_serves(self, queryset, name, value):
        return _serving_node(queryset, "grid_scope", value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class OrderFilter(django_filters.FilterSet):
    class Meta:
        model = Order
        fields = ["status", "category", "unit"]


class IssueFilter(django_filters.FilterSet):
    class Meta:
        model = Issue
        fields = ["status", "level", "channel", "grid_node"]


class BookingFilter(django_filters.FilterSet):
    class Meta:
        model = Booking
        fields = ["room", "status"]


class ActivityFilter(django_filters.FilterSet):
    area = django_filters.NumberFilter(method="filter_area", label="网格(含下级)")
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label="未开始")

    class Meta:
        model = Activity
        fields = ["kind", "status"]

    def filter_area(self, queryset, name, value):
        return _in_subtree(queryset, "grid_node", value)

    def filter_upcoming(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(starts_at__gt=timezone.now()) if value else queryset
