"""The report of an import: every bad row with its Excel row number, Chinese column and reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db import IntegrityError
from django.utils.translation import gettext as _
from import_export.resources import ModelResource
from import_export.results import RowResult

# --- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as numbered in Excel (None: the whole file), the column header, the reason."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)d行") % {"row": self.row} if self.row else _("文件")
        col = f"“{self.column}”" if self.column else ""
        return f"{where}{col}：{self.message}"


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
            return _("共%(total)d行：新增%(created)d条，更新%(updated)d条。") % {
                "total": self.total,
                "created": self.created,
                "updated": self.updated,
            }
        rows = {e.row for e in self.errors if e.row}
        return _("导入未执行：%(rows)d行有错误（共%(n)d处），没有写入任何数据。请修改表格后重新上传。") % {
            "rows": len(rows),
            "n": len(self.errors),
        }


def excel_row(number: int) -> int:
    # import-export numbers data rows from 1; in Excel the header is row 1.
    return number + 1


def _exception_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return ";".join(error.messages)
    if isinstance(error, IntegrityError):
        return _("与已有数据冲突（重复或关联无效），未能保存。")
    if isinstance(error, (ValueError, KeyError, PermissionDenied)):
        return str(error).strip("'\"")
    return _("无法导入：%(error)s") % {"error": error}


def build_report(resource: ModelResource, result, *, dry_run: bool = False) -> ImportReport:
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
            report.errors.append(RowError(excel_row(number), "", _exception_message(error.error)))
    for invalid in result.invalid_rows:
        for attribute, messages_ in invalid.error_dict.items():
            header = resource.column_for(attribute)
            for message in messages_:
                report.errors.append(RowError(excel_row(invalid.number), header, str(message)))
    report.errors.sort(key=lambda e: (e.row or 0,))
    return report
