"""django-filter FilterSets of the services API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import SearchFilter
from grids.querying import GridNodeFilter
from services.models import Activity, Booking, Issue, MenuItem, Order, RecurringService, Room, ServiceStation

AREA = _("网格（含下级）")


class StationFilter(django_filters.FilterSet):
    grid_node = GridNodeFilter()
    area = GridNodeFilter(field_name="grid_node", mode="subtree", label=AREA)

    class Meta:
        model = ServiceStation
        fields = ["kind", "grid_node"]


class RoomFilter(django_filters.FilterSet):
    area = GridNodeFilter(field_name="grid_node", mode="subtree", label=AREA)

    class Meta:
        model = Room
        fields = ["station", "unit"]


class MenuFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(method="filter_category", label=_("类别（含子类）"))
    serves = GridNodeFilter(field_name="grid_scope", mode="serving", label=_("服务该网格"))
    q = SearchFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = MenuItem
        fields = ["provider_unit", "provider_station"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class OrderFilter(django_filters.FilterSet):
    class Meta:
        model = Order
        fields = ["status", "category", "unit"]


class IssueFilter(django_filters.FilterSet):
    grid_node = GridNodeFilter()

    class Meta:
        model = Issue
        fields = ["status", "level", "channel", "grid_node"]


class BookingFilter(django_filters.FilterSet):
    class Meta:
        model = Booking
        fields = ["room", "status"]


class ActivityFilter(django_filters.FilterSet):
    area = GridNodeFilter(field_name="grid_node", mode="subtree", label=AREA)
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("未开始"))

    class Meta:
        model = Activity
        fields = ["kind", "status", "organiser_unit", "recurring_service"]

    def filter_upcoming(self, queryset, name, value):
        return queryset.filter(starts_at__gt=timezone.now()) if value else queryset


class RecurringServiceFilter(django_filters.FilterSet):
    area = GridNodeFilter(field_name="station__grid_node", mode="subtree", label=AREA)

    class Meta:
        model = RecurringService
        fields = ["station", "provider_unit", "frequency", "kind"]
