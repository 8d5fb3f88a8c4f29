"""The admin's import (bounded uploads, scoped rows, Chinese reports) next to the kernel's "导出Excel".

Only django-import-export's *import* is used: its export page (English buttons, "Title (资源名称)" headers, a
"Tablib Dataset" sheet) is replaced by the kernel's export of the same columns (``resource_export``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    ValidationError,
)
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportMixin
from import_export.forms import ImportForm

from alliance.core.admin_base import ScopedAdmin
from alliance.core.importing.exports import resource_export
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


class ScopedImportExportAdmin(ImportMixin, ScopedAdmin):
    """A ScopedAdmin with "导入" (xlsx, csv; add+change rights) and "导出Excel" of the import's columns (view rights)."""

    import_formats = [SafeXLSX, SafeCSV]
    import_template_name = "admin/import_export/alliance_import.html"
    import_error_display = ("message",)
    import_form_class = BoundedImportForm

    def __init__(self, model, admin_site):
        if self.export is None and self.resource_classes:
            self.export = resource_export(self.resource_classes[0])  # registered by ScopedAdmin's __init__
        super().__init__(model, admin_site)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

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
