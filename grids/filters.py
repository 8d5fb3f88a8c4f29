"""Filters of the grid API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import SearchFilter
from grids.models import GridNode
from grids.querying import GridNodeFilter as NodeFilter


class GridNodeFilter(django_filters.FilterSet):
    path = django_filters.CharFilter(field_name="path", lookup_expr="startswith", label=_("路径前缀"))
    under = NodeFilter(field_name="id", mode="subtree", label=_("某网格及其下级（网格ID）"))
    parent = NodeFilter(label=_("上级网格"))
    street = NodeFilter(label=_("街道"))
    q = SearchFilter(method="filter_q", label=_("名称或编码"))
    is_root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("只看街道"))

    class Meta:
        model = GridNode
        fields = ["level", "kind", "parent", "street", "code", "path", "under", "q", "is_root"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))
