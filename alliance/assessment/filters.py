"""The filters of the assessments' API list (bounded: django-filter answers 400 for a bad value)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from alliance.assessment.models import Assessment, Status
from alliance.core.querying import YearFilter
from grids.querying import GridNodeFilter


class AssessmentFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year", lookup_expr="exact", label=_("年度"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("状态"))
    street = GridNodeFilter(field_name="street", label=_("街道"))

    class Meta:
        model = Assessment
        fields = ["year", "status", "street"]
