"""The admin's "导出Excel": a button on the change list (what the list shows, filters and search included), an
action for the selected rows, and, past ``EXPORT_SYNC_MAX_ROWS`` rows, a background job the person follows
on its page (``alliance.core.export_jobs``; the page and "我的导出" are ``ExportJobAdmin`` in ``admin.py``).

An admin offers it by naming its list's export (``alliance.core.exports.Export``)::

    class OrderAdmin(ScopedAdmin):
        export = ORDERS
        # further exports of rows belonging to the selected ones, as actions (sync, a page at most)
        related_exports = (RelatedExport("export_signups", "导出所选活动的报名名单", SIGNUPS, signups_of),)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.export_jobs import job_url, start_job
from alliance.core.exports import Export, QueryTooLong, count_upto, list_query, register_source, sync_max_rows

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin
else:
    ModelAdminBase = object


@dataclass(frozen=True)
class RelatedExport:
    """An action exporting rows that belong to the selected ones (an activity's sign-ups, a ranking's rows)."""

    name: str
    label: Any
    export: Export
    rows: Callable[[Any], Any]  # the selected rows' queryset → the queryset to export


class ExportAdminMixin(ModelAdminBase):
    export: Export | None = None
    related_exports: tuple[RelatedExport, ...] = ()

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if self.export is not None:
            register_source(self.export_key, self)

    @property
    def export_key(self) -> str:
        return self.model._meta.label_lower

    def _export_url_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_export_excel"

    def get_urls(self):
        urls = super().get_urls()
        if self.export is None:
            return urls
        view = self.admin_site.admin_view(self.export_view)
        return [path("export-excel/", view, name=self._export_url_name()), *urls]

    def changelist_view(self, request, extra_context=None):
        if self.export is not None and self.has_view_permission(request):
            url = reverse(f"admin:{self._export_url_name()}", current_app=self.admin_site.name)
            query = request.GET.urlencode()
            extra_context = {**(extra_context or {}), "export_url": f"{url}?{query}" if query else url}
        return super().changelist_view(request, extra_context)

    # The rows -----------------------------------------------------------------------------------

    def export_queryset(self, request):
        """The change list's own queryset for ``request``: scoped, filtered, searched and ordered as shown."""
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(_("筛选条件无效，请回到列表重新筛选后再导出。")) from exc
        return changelist.queryset

    def _export(self, request, queryset, query: str):
        """The file now, or (past the limit) a job and its page."""
        assert self.export is not None
        limit = sync_max_rows()
        if count_upto(queryset, limit) > limit:
            job = start_job(by=request.user, key=self.export_key, title=self.export.sheet, query=query)
            self.message_user(
                request,
                _("超过%(n)d行，已转为后台导出。完成后会通知您，也可在本页查看进度并下载。") % {"n": limit},
                messages.INFO,
            )
            return redirect(job_url(job))
        return self.export.response(queryset)

    # The button ---------------------------------------------------------------------------------

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            query = list_query(request.GET)
        except QueryTooLong as exc:
            raise BadRequest(str(exc)) from exc
        request.GET = QueryDict(query)  # the list's filters and search only (never the page)
        return self._export(request, self.export_queryset(request), query)

    # The actions --------------------------------------------------------------------------------

    def _export_selected(self, modeladmin, request, queryset):
        if request.POST.get("select_across") == "1":
            # "all N rows" of the filtered list: maybe a job, which keeps the list's query string.
            try:
                query = list_query(request.GET)
            except QueryTooLong as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            return self._export(request, queryset, query)
        assert self.export is not None
        return self.export.response(queryset)  # checked rows: a page at most

    def _related_action(self, related: RelatedExport):
        def run(modeladmin, request, queryset):
            return related.export.response(related.rows(queryset))

        run.__name__ = related.name
        return run

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET or not self.has_view_permission(request):
            return actions
        if self.export is not None:
            actions["export_excel"] = (self._export_selected, "export_excel", gettext_lazy("导出所选到Excel"))
        for related in self.related_exports:
            actions[related.name] = (self._related_action(related), related.name, related.label)
        return actions
