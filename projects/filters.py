"""django-filter FilterSets of the three lists: category (a root includes its subcategories), grid subtree,
status, unit, and Chinese text search (``q``: substring of title or description)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import SearchFilter
from grids.querying import GridNodeFilter
from projects.models import Category, Claim, Match, Need, Pledge, Project, Resource, Wish


def _category(queryset, name, value):
    if value is None:
        return queryset
    return queryset.filter(Q(category=value) | Q(category__parent=value))


def _text(queryset, name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    q = Q()
    for word in value.split():
        q &= Q(title__icontains=word) | Q(description__icontains=word)
    return queryset.filter(q)


class _ListFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), method=_category, label=_("类别"))
    grid_node = GridNodeFilter(field_name="grid_node", mode="subtree", label=_("网格"))
    q = SearchFilter(method=_text, label=_("搜索"))


class ResourceFilter(_ListFilter):
    class Meta:
        model = Resource
        fields = ["category", "grid_node", "status", "unit", "q"]


class NeedFilter(_ListFilter):
    class Meta:
        model = Need
        fields = ["category", "grid_node", "status", "kind", "urgency", "q"]


class ProjectFilter(_ListFilter):
    unit = django_filters.NumberFilter(field_name="claims__unit", label=_("认领单位"), distinct=True)
    crowdfunding = django_filters.BooleanFilter(
        field_name="crowdfunding_target", lookup_expr="isnull", exclude=True, label=_("公益众筹")
    )
    individuals = django_filters.BooleanFilter(field_name="allows_individuals", label=_("个人可认领"))

    class Meta:
        model = Project
        fields = ["category", "grid_node", "status", "unit", "crowdfunding", "individuals", "q"]


class ClaimFilter(django_filters.FilterSet):
    individual = django_filters.BooleanFilter(
        field_name="person", lookup_expr="isnull", exclude=True, label=_("个人认领")
    )

    class Meta:
        model = Claim
        fields = ["project", "unit", "individual", "status"]


class PledgeFilter(django_filters.FilterSet):
    class Meta:
        model = Pledge
        fields = ["project", "unit", "kind"]


class MatchFilter(django_filters.FilterSet):
    class Meta:
        model = Match
        fields = ["need", "kind", "status", "unit", "resource"]


class WishFilter(django_filters.FilterSet):
    grid_node = GridNodeFilter(field_name="grid_node", mode="subtree", label=_("网格"))

    class Meta:
        model = Wish
        fields = ["grid_node", "status"]
