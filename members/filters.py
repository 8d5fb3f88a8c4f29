"""Filters of the member API lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import GridNode
from members.models import MemberUnit, PartyMember


def _under(queryset, field: str, node_id):
    node = GridNode.objects.filter(pk=node_id).only("path").first()
    if node is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__path__startswith": node.path})


class MemberUnitFilter(django_filters.FilterSet):
    under = django_filters.NumberFilter(method="filter_under", label=_("某网格及其下级(网格ID)"))
    street = django_filters.NumberFilter(field_name="grid_node__street", label=_("街道"))
    min_stars = django_filters.NumberFilter(field_name="star_rating", lookup_expr="gte", label=_("最低星级"))
    joined_after = django_filters.DateFilter(field_name="joined_on", lookup_expr="gte", label=_("加入日期起"))
    has_party_organization = django_filters.BooleanFilter(
        field_name="party_organization", lookup_expr="isnull", exclude=True, label=_("有党组织")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("名称、地址或信用代码"))

    class Meta:
        model = MemberUnit
        fields = ["kind", "status", "grid_node", "under", "street", "min_stars", "joined_after", "q"]

    def filter_under(self, queryset, name, value):
        return _under(queryset, "grid_node", value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(credit_code__iexact=value))


class PartyMemberFilter(django_filters.FilterSet):
    under = django_filters.NumberFilter(method="filter_under", label=_("某网格及其下级(网格ID)"))
    skill = django_filters.CharFilter(field_name="skills__name", label=_("特长"))
    reported_after = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("报到日期起"))
    q = django_filters.CharFilter(method="filter_q", label=_("姓名或手机号码"))

    class Meta:
        model = PartyMember
        fields = ["community", "under", "unit", "availability", "is_active", "skill", "reported_after", "q"]

    def filter_under(self, queryset, name, value):
        return _under(queryset, "community", value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(phone=value))
