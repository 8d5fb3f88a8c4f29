"""Filters of the member API lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import DateFilter, SearchFilter
from grids.querying import GridNodeFilter
from members.models import MemberUnit, Pairing, PartyMember


class MemberUnitFilter(django_filters.FilterSet):
    under = GridNodeFilter(field_name="grid_node", mode="subtree", label=_("某网格及其下级（网格ID）"))
    grid_node = GridNodeFilter(label=_("网格"))
    street = GridNodeFilter(field_name="grid_node__street", label=_("街道"))
    min_stars = django_filters.NumberFilter(field_name="star_rating", lookup_expr="gte", label=_("最低星级"))
    joined_after = DateFilter(field_name="joined_on", lookup_expr="gte", label=_("加入日期起"))
    has_party_organization = django_filters.BooleanFilter(
        field_name="party_organization", lookup_expr="isnull", exclude=True, label=_("有党组织")
    )
    q = SearchFilter(method="filter_q", label=_("名称、地址或信用代码"))

    class Meta:
        model = MemberUnit
        fields = ["kind", "status", "grid_node", "under", "street", "min_stars", "joined_after", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(credit_code__iexact=value))


class PartyMemberFilter(django_filters.FilterSet):
    under = GridNodeFilter(field_name="community", mode="subtree", label=_("某网格及其下级（网格ID）"))
    community = GridNodeFilter(label=_("社区"))
    skill = SearchFilter(field_name="skills__name", label=_("特长"))
    reported_after = DateFilter(field_name="reported_on", lookup_expr="gte", label=_("报到日期起"))
    q = SearchFilter(method="filter_q", label=_("姓名或手机号码"))

    class Meta:
        model = PartyMember
        fields = ["community", "under", "unit", "availability", "is_active", "skill", "reported_after", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(phone=value))


class PairingFilter(django_filters.FilterSet):
    under = GridNodeFilter(field_name="grid_node", mode="subtree", label=_("某网格及其下级（网格ID）"))
    community = GridNodeFilter(label=_("结对社区"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("成员单位（甲方或乙方）"))

    class Meta:
        model = Pairing
        fields = ["status", "community", "under", "unit"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(unit_id=value) | Q(partner_unit_id=value))
