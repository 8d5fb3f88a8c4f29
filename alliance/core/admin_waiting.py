"""A change list's time-limit column (alliance.core.waiting): each row's countdown, overdue rows first.

The admin names its app's clock (the limits and the calendar, read once per list): ``waiting_clock()``,
``with_overdue(clock, qs)`` (the ``overdue`` annotation, in SQL) and ``waiting_of(clock, obj)`` (the countdown
of a row, no query). Overdue rows come first on a list narrowed to a timed state: the longest waiting first when the admin names the
field each state waits from (``waiting_since``: an index of the state and that field serves it), else sorted by
the overdue flag (``waiting_states``), or always (``overdue_first_always``, for tables small enough to sort
whole); on an unfiltered list of a big table the newest-first index order stays, and the column sorts by overdue
when clicked.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ModelAdminBase
from alliance.core.admin_lists import ScopedChangeList
from alliance.core.waiting import Words


def _clock(model_admin, request):
    """One clock per request (the change list reads it for the query and again for the rows)."""
    clocks = request.__dict__.setdefault("_waiting_clocks", {})
    if model_admin.model not in clocks:
        clocks[model_admin.model] = model_admin.waiting_clock()
    return clocks[model_admin.model]


class WaitingChangeList(ScopedChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        if "overdue" not in self.root_queryset.query.annotations:
            self.root_queryset = self.model_admin.with_overdue(_clock(self.model_admin, request), self.root_queryset)
        return super().get_queryset(request, exclude_parameters)

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        admin_ = self.model_admin
        state = self.params.get("status__exact")
        if ORDER_VAR in self.params:
            return ordering
        if state in admin_.waiting_since:
            # One timed state: the longest waiting first, which puts every row past its limit first (a later start
            # never has an earlier deadline) and reads the (state, start) index instead of sorting the state's rows.
            return [admin_.waiting_since[state], "pk"]
        if admin_.overdue_first_always or state in admin_.waiting_states:
            return ["-overdue", *ordering]
        return ordering


class WaitingColumn(ModelAdminBase):
    """Adds the column ``time_limit`` (list it in ``list_display``)."""

    waiting_states: tuple = ()
    # {state: the field its time limit runs from}: a list narrowed to one of them shows the longest waiting first.
    waiting_since: dict = {}
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
        words = Words()  # the page's texts asked of the catalogue once
        for obj in changelist.result_list:  # the page's rows, read here once and kept for the template
            waiting = self.waiting_of(clock, obj)
            obj._waiting_html = waiting.html(words) if waiting is not None else None
        return changelist

    @admin.display(description=_("时限"), ordering="overdue")
    def time_limit(self, obj):
        shown = getattr(obj, "_waiting_html", None)
        return shown if shown is not None else "—"

    class Media:
        css = {"all": ("alliance/waiting.css",)}
