"""Pieces an admin mixes in beyond its base (alliance.core.admin_base): rows made by the app's action, a count of
members, a change-list action run on each selected row, an 打印 link to the printable page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from alliance.core.admin_base import ModelAdminBase, adopt, error_text
from alliance.core.errors import Conflict


class CreatedByAction(ModelAdminBase):
    """An admin whose add form hands the new row to the app's action (scope, checks, what follows from it):
    ``create(request, obj, data)`` returns the record made, which the admin then shows as saved (:func:`adopt`).
    A change of an existing row is saved as usual."""

    def create(self, request, obj, data: dict):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        adopt(obj, self.create(request, obj, form.cleaned_data))
        return None


def given(data: dict, names) -> dict:
    """The entries of ``data`` (a form's cleaned data) among ``names``: the optional fields the form showed."""
    return {name: data[name] for name in names if name in data}


class CountsMembers(ModelAdminBase):
    """An admin whose rows are counted by their ``members`` (``member_total``), for a column made by
    :func:`member_count_column`."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))


def member_count_column(description):
    """The sortable list column ``member_count`` of a :class:`CountsMembers` admin, headed ``description``."""

    @admin.display(description=description, ordering="member_total")
    def member_count(modeladmin, obj):
        return obj.member_total

    return member_count


def run_each(modeladmin, request, queryset, call, done: str) -> None:
    """A change-list action: ``call(obj)`` for each selected row; the successes counted, each refusal reported."""
    ok = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied, Conflict) as exc:
            modeladmin.message_user(request, f"{obj}：{error_text(exc)}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(
            request,
            ngettext("%(done)s %(n)s 条。", "%(done)s %(n)s 条。", ok) % {"done": done, "n": ok},
            messages.SUCCESS,
        )


class PrintLink(ModelAdminBase):
    """An 打印 link among the change page's object tools (templates/admin/change_form_object_tools.html), to the
    record's printable page: the URL named ``print_url_name``, taking the record's pk (alliance.core.printing)."""

    print_url_name = ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if self.print_url_name and str(object_id).isdigit():  # another id answers the admin's own 404
            extra["print_url"] = reverse(self.print_url_name, args=[int(object_id)])
        return super().change_view(request, object_id, form_url, extra)
