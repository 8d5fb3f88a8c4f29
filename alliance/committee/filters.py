"""Filters of the joint committee's API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import Committee, Matter, Meeting
from alliance.core.querying import DateFilter, YearFilter
from grids.querying import GridNodeFilter


class CommitteeFilter(django_filters.FilterSet):
    grid_node = GridNodeFilter(label=_("网格"))
    street = GridNodeFilter(field_name="grid_node__street", label=_("街道"))

    class Meta:
        model = Committee
        fields = ["kind", "field", "grid_node", "parent", "street"]


class MeetingFilter(django_filters.FilterSet):
    starts_after = DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("开始日期起"))
    starts_before = DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("开始日期止"))
    year = YearFilter(field_name="starts_at", label=_("年份"))

    class Meta:
        model = Meeting
        fields = ["committee", "kind", "status", "starts_after", "starts_before", "year"]


class MatterFilter(django_filters.FilterSet):
    resolved_year = YearFilter(field_name="resolved_at", label=_("议决年份"))
    follow_up_open = django_filters.BooleanFilter(method="filter_follow_up_open", label=_("落实中"))

    class Meta:
        model = Matter
        fields = ["committee", "status", "raised_by_unit", "resolved_year", "follow_up_open"]

    def filter_follow_up_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_q = {"status": Matter.Status.RESOLVED, "done_at__isnull": True}
        return queryset.filter(**open_q) if value else queryset.exclude(**open_q)
