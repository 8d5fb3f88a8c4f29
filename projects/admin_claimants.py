"""Who claimed, in the claims' admin: a unit, or a person (name, phone masked), and the filter between them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.core.privacy import mask_phone
from projects.models import Claim


def claimant_text(claim: Claim) -> str:
    """The unit's name, or the person's name with the phone masked (个人)."""
    if claim.person_id:
        person = claim.person
        phone = mask_phone(person.phone)
        return f"{person.name}（个人{'，' + phone if phone else ''}）"
    return claim.unit.name if claim.unit_id else ""


class ClaimantFilter(admin.SimpleListFilter):
    title = _("认领方")
    parameter_name = "claimant"

    def lookups(self, request, model_admin):
        return (("unit", _("单位认领")), ("person", _("个人认领")))

    def queryset(self, request, queryset):
        if self.value() == "unit":
            return queryset.filter(unit__isnull=False)
        if self.value() == "person":
            return queryset.filter(person__isnull=False)
        return queryset
