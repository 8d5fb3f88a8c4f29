"""A change list's time-limit column (alliance.core.waiting): each row's countdown, overdue rows first.

The admin names its app's clock (the limits and the calendar, read once per list): ``waiting_clock()``,
``with_overdue(clock, qs)`` (the ``overdue`` annotation, in SQL) and ``waiting_of(clock, obj)`` (the countdown
of a row, no query). Overdue rows come first on a list narrowed to a timed state (``waiting_states``), or
always (``overdue_first_always``, for tables small enough to sort whole); on an unfiltered list of a big
table the newest-first index order stays, and the column sorts by overdue when clicked.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ModelAdminBase


def _clock(model_admin, request):
    """One clock per request (the change list reads it for the query and again for the rows)."""
    clocks = request.__dict__.setdefault("_waiting_clocks", {})
    if model_admin.model not in clocks:
        clocks[model_admin.model] = model_admin.waiting_clock()
    return clocks[model_admin.model]


class WaitingChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        if "overdue" not in self.root_queryset.query.annotations:
            self.root_queryset = self.model_admin.with_overdue(_clock(self.model_admin, request), self.root_queryset)
        return super().get_queryset(request, exclude_parameters)

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        admin_ = self.model_admin
        narrowed = self.params.get("status__exact") in admin_.waiting_states
        if ORDER_VAR not in self.params and (admin_.overdue_first_always or narrowed):
            return ["-overdue", *ordering]
        return ordering


class WaitingColumn(ModelAdminBase):
    """Adds the column ``time_limit`` (list it in ``list_display``)."""

    waiting_states: tuple = ()
    overdue_first_always = False

    def waiting_clock(self):
        raise NotImplementedError

    def with_overdue(self, clock, qs):
        raise NotImplementedError

    def waiting_of(self, clock, obj):
        raise NotImplementedError

    def get_changelist(self, request, **kwargs):
        return WaitingChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        clock = _clock(self, request)
        for obj in changelist.result_list:  # the page's rows, read here once and kept for the template
            obj._waiting = self.waiting_of(clock, obj)
        return changelist

    @admin.display(description=_("时限"), ordering="overdue")
    def time_limit(self, obj):
        waiting = getattr(obj, "_waiting", None)
        return waiting.html() if waiting is not None else "—"

    class Media:
        css = {"all": ("alliance/waiting.css",)}
