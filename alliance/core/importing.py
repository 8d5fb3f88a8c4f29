"""Excel import and export for every app: Chinese columns, all-or-nothing, scoped to the user's subtree.

Built on django-import-export. How an app uses it::

    # <app>/resources.py
    from alliance.core.importing import ChoiceLabelWidget, DateWidget, LookupWidget, ScopedResource, TagsWidget, column

    class NeedResource(ScopedResource):
        title = column("title", "标题")
        kind = column("kind", "类型", widget=ChoiceLabelWidget(Need.Kind))        # Chinese label <-> value
        category = column("category", "类别", widget=LookupWidget(Category, "name"))
        unit = column("unit", "单位", widget=LookupWidget(MemberUnit, "name", scoped=True))  # only in subtree
        grid_node = column("grid_node", "所在网格编码", widget=LookupWidget(GridNode, "code"))
        published_on = column("published_on", "发布日期", widget=DateWidget())

        class Meta:
            model = Need
            import_id_fields = ("title",)       # attribute names that find the row to update
            fields = ("title", "kind", "category", "grid_node", "published_on")

    # <app>/admin.py
    from alliance.core.importing import ScopedImportExportAdmin

    @admin.register(Need)
    class NeedAdmin(ScopedImportExportAdmin):
        resource_classes = [NeedResource]

    # tests, the API, management commands: no admin needed
    from alliance.core.importing import export_rows, import_rows, read_dataset

    report = import_rows(NeedResource, read_dataset(xlsx_bytes), user)
    report.ok, report.created, report.updated        # nothing was written unless report.ok
    report.errors  # [RowError(row=3, column="类别", message="…"), …]; str(error) == "第3行「类别」:…"
    dataset = export_rows(NeedResource, user)        # only the user's subtree
    data = export_file(NeedResource, user, "xlsx")   # the file: no cell is a formula (alliance.core.spreadsheets)

What the base guarantees:
- All or nothing: one transaction; any bad row (or a missing column) rolls the whole file back, and the
  admin offers no "confirm" button while any row is bad.
- Every bad row is reported with its row number as the user sees it in Excel (header row 1, first data
  row 2), the Chinese column header and the reason in Chinese (model validators run via ``full_clean``).
- Scope: a staff user may only create or update records inside their grid subtree (``scope_field`` of the
  model); a record or a grid code outside it is a row error. Exports contain the user's subtree only.
- Changes are recorded in the history with the importing user; password fields are never exported.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.results import RowResult

from alliance.core.admin_base import ScopedAdmin, is_admin_user
from alliance.core.scoping import UNSCOPED, in_scope, scope_path, scope_queryset
from alliance.core.spreadsheets import (
    UNREADABLE,
    SafeCSV,
    SafeXLSX,
    SpreadsheetRefused,
    dataset_csv,
    dataset_xlsx,
    human_size,
    read_spreadsheet,
)

NEVER_EXPORTED = {"password"}
TAG_SEPARATORS = re.compile(r"[,,、;;\s]+")


# --- columns and widgets ---------------------------------------------------------------------------


def column(attribute: str, header: str, widget=None, **kwargs) -> ie_fields.Field:
    """A resource field with a Chinese column header."""
    return ie_fields.Field(attribute=attribute, column_name=header, widget=widget or TextWidget(), **kwargs)


def _cell_text(value) -> str:
    """A cell as text: Excel gives numbers as floats (13812345678.0) and leaves spaces around text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _cell_text(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key (code, name…); an unknown value is a Chinese row error.

    ``alternatives`` are further lookup fields tried in order (e.g. a unit by name or credit code).
    """

    def __init__(self, model, field="pk", *, alternatives=(), label=None, scoped=False, **kwargs):
        super().__init__(model, field, **kwargs)
        self.alternatives = tuple(alternatives)
        self.label = label or model._meta.verbose_name
        # scoped: only records in the importing user's subtree can be referred to (as in the admin's choices).
        self.scoped = scoped

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        user = kwargs.get("user")
        if self.scoped and user is not None:
            queryset = scope_queryset(queryset, user)
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            return None
        user = kwargs.get("user")
        key = (text, getattr(user, "pk", None))
        cache = self.__dict__.setdefault("_found", {})  # one import: the same code is looked up once
        if key in cache:
            return cache[key]
        queryset = self.get_queryset(value, row, **kwargs)
        for lookup in (self.field, *self.alternatives):
            found = list(queryset.filter(**{lookup: text})[:2])
            if len(found) == 1:
                cache[key] = found[0]
                return found[0]
        if self.scoped:
            message = _("在您的管辖范围内找不到%(label)s「%(value)s」,请核对。")
        else:
            message = _("找不到%(label)s「%(value)s」,请核对。")
        raise ValueError(message % {"label": self.label, "value": text})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _cell_text(getattr(value, self.field, value))


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (the stored value is accepted too)."""

    def __init__(self, choices, **kwargs):
        self.choices = [(str(v), str(label)) for v, label in choices.choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            return None
        for stored, label in self.choices:
            if text in (label, stored):
                return stored
        raise ValueError(
            _("「%(value)s」不是有效的选项,可选:%(options)s。")
            % {"value": text, "options": "、".join(label for _v, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class DateWidget(widgets.Widget):
    """A date from an Excel date cell or text such as 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日."""

    PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _cell_text(value)
        if not text:
            return None
        text = text.split(" ")[0] if " " in text and ":" in text else text
        match = self.PATTERN.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise ValueError(_("日期「%(value)s」无法识别,请填写如 2024-03-01 的日期。") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TagsWidget(widgets.ManyToManyWidget):
    """Tags separated by commas or 、; unknown tags are created (``name`` must be unique)."""

    def __init__(self, model, field="name", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [n for n in TAG_SEPARATORS.split(_cell_text(value)) if n]
        tags = []
        for name in dict.fromkeys(names):
            max_length = self.model._meta.get_field(self.field).max_length
            if max_length and len(name) > max_length:
                raise ValueError(_("标签「%(name)s」太长(最多%(n)d个字)。") % {"name": name, "n": max_length})
            tag, _created = self.model.objects.get_or_create(**{self.field: name})
            tags.append(tag)
        return tags

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "、".join(str(getattr(v, self.field)) for v in value.all())


# --- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as numbered in Excel (None: the whole file), the column header, the reason."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)d行") % {"row": self.row} if self.row else _("文件")
        col = f"「{self.column}」" if self.column else ""
        return f"{where}{col}:{self.message}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]

    def summary(self) -> str:
        if self.ok:
            return _("共%(total)d行:新增%(created)d条,更新%(updated)d条。") % {
                "total": self.total,
                "created": self.created,
                "updated": self.updated,
            }
        rows = {e.row for e in self.errors if e.row}
        return _("导入未执行:%(rows)d行有错误(共%(n)d处),没有写入任何数据。请修改表格后重新上传。") % {
            "rows": len(rows),
            "n": len(self.errors),
        }


def _excel_row(number: int) -> int:
    # import-export numbers data rows from 1; in Excel the header is row 1.
    return number + 1


def _exception_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return ";".join(error.messages)
    if isinstance(error, IntegrityError):
        return _("与已有数据冲突(重复或关联无效),未能保存。")
    if isinstance(error, (ValueError, KeyError, PermissionDenied)):
        return str(error).strip("'\"")
    return _("无法导入:%(error)s") % {"error": error}


def build_report(resource: ScopedResource, result, *, dry_run: bool = False) -> ImportReport:
    """Turns an import-export ``Result`` into row/column/reason errors in Chinese."""
    report = ImportReport(
        total=result.total_rows,
        created=result.totals.get(RowResult.IMPORT_TYPE_NEW, 0),
        updated=result.totals.get(RowResult.IMPORT_TYPE_UPDATE, 0),
        dry_run=dry_run,
    )
    for error in result.base_errors:
        report.errors.append(RowError(None, "", _exception_message(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append(RowError(_excel_row(number), "", _exception_message(error.error)))
    for invalid in result.invalid_rows:
        for attribute, messages_ in invalid.error_dict.items():
            header = resource.column_for(attribute)
            for message in messages_:
                report.errors.append(RowError(_excel_row(invalid.number), header, str(message)))
    report.errors.sort(key=lambda e: (e.row or 0,))
    return report


# --- the resource base -----------------------------------------------------------------------------


class ScopedResource(resources.ModelResource):
    """A model resource that imports all or nothing, inside the user's subtree, with Chinese errors."""

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        skip_diff = False
        # Columns that may be left out of the file (besides those of fields with defaults/blank).
        optional_columns = ()

    # Headers whose empty cell takes a value ({"状态": "active"}): the file may leave them blank.
    blank_defaults: dict = {}

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    # Columns ------------------------------------------------------------------------------------

    def column_for(self, attribute: str) -> str:
        """The Chinese header of a model attribute (or its verbose name); "" for the whole row."""
        if attribute == NON_FIELD_ERRORS:
            return ""
        for f in self.fields.values():
            if f.attribute == attribute or f.column_name == attribute:
                return f.column_name
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except FieldDoesNotExist:
            return attribute

    def required_columns(self) -> list[str]:
        model_opts = self._meta.model._meta
        id_fields = set(self._meta.import_id_fields or ())
        optional = set(getattr(self._meta, "optional_columns", ()) or ())
        required = []
        for f in self.get_import_fields():
            if not f.attribute or f.column_name in optional or f.attribute in optional:
                continue
            if f.attribute in id_fields:
                required.append(f.column_name)
                continue
            try:
                model_field = model_opts.get_field(f.attribute)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many or model_field.blank or model_field.has_default():
                continue
            required.append(f.column_name)
        return required

    # Import hooks -------------------------------------------------------------------------------

    def _user(self, kwargs):
        return self.user or kwargs.get("user")

    def before_import(self, dataset, **kwargs):
        self._seen_rows = {}
        headers = [_cell_text(h) for h in (dataset.headers or [])]
        if dataset.headers:
            dataset.headers = headers
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            raise ValueError(
                _("表格缺少必需的列:%(cols)s。请先导出一份作为模板,按模板的表头填写。") % {"cols": "、".join(missing)}
            )

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = value.strip()
        # Blank lines (common at the end of Excel sheets) are skipped; the numbering of later rows stays.
        self._blank_row = all(value in (None, "") for value in row.values())
        if not self._blank_row:
            self._refuse_repeated_row(row, kwargs.get("row_number"))
        for header, default in self.blank_defaults.items():
            if not row.get(header):
                row[header] = default

    def _refuse_repeated_row(self, row, number) -> None:
        """The same record twice in one file would silently overwrite itself: name the earlier row."""
        id_fields = [f for f in self.fields.values() if f.attribute in (self._meta.import_id_fields or ())]
        key = tuple(_cell_text(row.get(f.column_name)).upper() for f in id_fields)
        if not id_fields or not any(key):
            return
        seen = self.__dict__.setdefault("_seen_rows", {})
        if key in seen:
            raise ValidationError(
                {id_fields[0].attribute: _("与第%(row)d行重复,同一条记录只能出现一次。") % {"row": seen[key]}}
            )
        if number is not None:
            seen[key] = _excel_row(number)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(self, "_blank_row", False):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def _scope_error_attribute(self) -> str:
        path = scope_path(self._meta.model) or ""
        return path.split("__")[0] if path else NON_FIELD_ERRORS

    def _outside_scope(self, instance, user) -> bool:
        if user is None or scope_path(type(instance)) is UNSCOPED:
            return False
        try:
            return not in_scope(instance, user)
        except ObjectDoesNotExist:  # the scope relation is not set yet (a lookup error is reported already)
            return False

    def import_instance(self, instance, row, **kwargs):
        user = self._user(kwargs)
        errors = {}
        if instance.pk and self._outside_scope(instance, user):
            # An existing record elsewhere in the district: neither updated nor revealed.
            raise ValidationError({NON_FIELD_ERRORS: [_("该记录不在您的管辖范围内,不能修改。")]})
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        attribute = self._scope_error_attribute()
        if attribute not in errors and self._outside_scope(instance, user):
            errors.setdefault(attribute, []).append(
                ValidationError(_("不在您的管辖范围内,只能导入本辖区的数据。"), code="out_of_scope")
            )
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        user = self._user(kwargs)
        if user is not None:
            # django-simple-history records who made the change, also outside a request.
            instance._history_user = user

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # Any invalid row rolls back the whole file, also on the confirm step.
        kwargs["rollback_on_validation_errors"] = True
        result = super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )
        result.report = build_report(self, result, dry_run=dry_run)
        return result

    # Export -------------------------------------------------------------------------------------

    def get_export_fields(self, selected_fields=None):
        return [
            f
            for f in super().get_export_fields(selected_fields)
            if (f.attribute or "") not in NEVER_EXPORTED and f.column_name not in NEVER_EXPORTED
        ]

    def filter_export(self, queryset, **kwargs):
        user = self.user or kwargs.get("user")
        if user is not None:
            queryset = scope_queryset(queryset, user)
        return super().filter_export(queryset, **kwargs)


# --- plain functions -------------------------------------------------------------------------------


def read_dataset(data: bytes | str, fmt: str = "xlsx") -> tablib.Dataset:
    """A tablib dataset from an uploaded file (xlsx, csv), bounded in bytes and rows.

    Raises ``SpreadsheetRefused`` (a ValueError) with a Chinese message for a file too large, with too
    many rows, or unreadable (alliance.core.spreadsheets.read_spreadsheet).
    """
    return read_spreadsheet(data, fmt)


def _resource(resource, user) -> ScopedResource:
    if isinstance(resource, type):
        return resource(user=user)
    resource.user = user
    return resource


def import_rows(resource, dataset: tablib.Dataset, user, *, dry_run: bool = False) -> ImportReport:
    """Imports a dataset as ``user``: everything or nothing. Returns the report (``report.ok``)."""
    if user is None or not is_admin_user(user):
        raise PermissionDenied(_("只有街道和社区管理员可以导入数据。"))
    result = _resource(resource, user).import_data(dataset, dry_run=dry_run, user=user)
    return result.report


def export_rows(resource, user, queryset=None) -> tablib.Dataset:
    """The user's subtree of the resource's model as a dataset with Chinese headers."""
    return _resource(resource, user).export(queryset=queryset)


def export_file(resource, user, fmt: str = "xlsx", queryset=None) -> bytes:
    """The export as the file a user downloads (formulas neutralised, CSV with a BOM)."""
    dataset = export_rows(resource, user, queryset=queryset)
    if fmt == "csv":
        return dataset_csv(dataset).encode("utf-8")
    return dataset_xlsx(dataset)


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
