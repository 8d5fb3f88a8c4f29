"""The resource base (scoped, all-or-nothing) and the plain functions that import and export without an admin."""

from __future__ import annotations

import tablib
from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources

from alliance.core.admin_base import is_admin_user
from alliance.core.importing.report import ImportReport, build_report, excel_row
from alliance.core.importing.widgets import cell_text
from alliance.core.scoping import UNSCOPED, in_scope, scope_path, scope_queryset
from alliance.core.spreadsheets import (
    dataset_csv,
    dataset_xlsx,
    read_spreadsheet,
)

NEVER_EXPORTED = {"password"}
HEADER_BRACKETS = str.maketrans("()", "（）")


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
                return str(f.column_name)
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
                required.append(str(f.column_name))
                continue
            try:
                model_field = model_opts.get_field(f.attribute)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many or model_field.blank or model_field.has_default():
                continue
            required.append(str(f.column_name))
        return required

    def _header_aliases(self) -> dict[str, str]:
        """Each import column's header in every language (brackets full-width) -> its header in the active one."""
        fields = [(f, str(f.column_name)) for f in self.get_import_fields()]
        aliases: dict[str, str] = {}
        for language in (settings.LANGUAGE_CODE, *(code for code, _name in settings.LANGUAGES)):
            with translation.override(language):
                for f, active in fields:
                    aliases.setdefault(str(f.column_name).translate(HEADER_BRACKETS), active)
        return aliases

    # Import hooks -------------------------------------------------------------------------------

    def _user(self, kwargs):
        return self.user or kwargs.get("user")

    def before_import(self, dataset, **kwargs):
        self._seen_rows = {}
        # Templates exported before the headers took full-width brackets (“预算(元)”) still import.
        headers = [cell_text(h).translate(HEADER_BRACKETS) for h in (dataset.headers or [])]
        # A header in any of the site's languages (a Chinese template, an English export) is read as its column.
        aliases = self._header_aliases()
        headers = [aliases.get(h, h) for h in headers]
        if dataset.headers:
            dataset.headers = headers
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            raise ValueError(
                _("表格缺少必需的列：%(cols)s。请先导出一份作为模板，按模板的表头填写。") % {"cols": "、".join(missing)}
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
        key = tuple(cell_text(row.get(f.column_name)).upper() for f in id_fields)
        if not id_fields or not any(key):
            return
        seen = self.__dict__.setdefault("_seen_rows", {})
        if key in seen:
            raise ValidationError(
                {id_fields[0].attribute: _("与第%(row)d行重复，同一条记录只能出现一次。") % {"row": seen[key]}}
            )
        if number is not None:
            seen[key] = excel_row(number)

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
            raise ValidationError({NON_FIELD_ERRORS: [_("该记录不在您的管辖范围内，不能修改。")]})
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        attribute = self._scope_error_attribute()
        if attribute not in errors and self._outside_scope(instance, user):
            errors.setdefault(attribute, []).append(
                ValidationError(_("不在您的管辖范围内，只能导入本辖区的数据。"), code="out_of_scope")
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
