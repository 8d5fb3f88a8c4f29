"""Workspace page of a unit's operator: the unit's own profile (spec §1), under /workspace/unit/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members import actions
from members.forms import UnitProfileForm
from members.models import MemberUnit, User


@login_required
def unit_profile(request):
    """The operator's unit: contacts, address, introduction and logo editable; what staff keep shown read-only.

    Queries: session, user, the unit (with its grid node and party organisation).
    """
    user = request.user
    if user.role != User.Role.UNIT_OPERATOR or not user.unit_id:
        raise PermissionDenied(_("只有成员单位联络员可以维护本单位资料。"))
    unit = MemberUnit.objects.select_related("grid_node", "party_organization").get(pk=user.unit_id)
    initial = {name: getattr(unit, name) for name in UnitProfileForm.PROFILE_FIELDS}
    form = UnitProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_unit_profile(by=user, unit=unit, **form.changes())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("单位资料已保存。"))
            return redirect("members_ws:unit")
    return render(request, "members/ws_unit.html", {"unit": unit, "form": form})
