"""The admin's import and export: bounded uploads, scoped rows, Chinese reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    ValidationError,
)
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from alliance.core.admin_base import ScopedAdmin
from alliance.core.scoping import scope_queryset
from alliance.core.spreadsheets import (
    UNREADABLE,
    SafeCSV,
    SafeXLSX,
    SpreadsheetRefused,
    human_size,
)

# --- the admin -------------------------------------------------------------------------------------


class BoundedImportForm(ImportForm):
    """The admin's import form: a file over ``IMPORT_MAX_BYTES`` is refused before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        max_bytes = getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)
        if upload is not None and upload.size is not None and upload.size > max_bytes:
            raise ValidationError(_("文件过大（超过 %(size)s），请分批导入。") % {"size": human_size(max_bytes)})
        return upload


class ScopedImportExportAdmin(ImportExportMixin, ScopedAdmin):
    """A ScopedAdmin with "导入" and "导出" (xlsx, csv): imports need add+change rights, exports view rights."""

    # Exports never carry a live formula and CSV has a BOM (alliance.core.spreadsheets).
    import_formats = [SafeXLSX, SafeCSV]
    export_formats = [SafeXLSX, SafeCSV]
    import_template_name = "admin/import_export/alliance_import.html"
    import_error_display = ("message",)
    import_form_class = BoundedImportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        # The change list's queryset (search and filters applied) is already scoped; scoping again is free.
        return scope_queryset(super().get_export_queryset(request), request.user)

    def process_result(self, result, request):
        report = getattr(result, "report", None)
        if report is not None and not report.ok:
            # The data changed between preview and confirm: nothing was written; say why.
            messages.error(request, report.summary())
            for line in report.messages()[:50]:
                messages.error(request, line)
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import", current_app=self.admin_site.name))
        if report is not None:
            messages.success(request, report.summary())
        return super().process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, e):
        # Never the parser's exception name: what the user can do about it, in Chinese.
        form.add_error("import_file", str(e) if isinstance(e, SpreadsheetRefused) else _(UNREADABLE))

    def add_success_message(self, result, request):
        # The Chinese summary is added in process_result.
        pass
