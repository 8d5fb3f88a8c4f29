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
    report.errors  # [RowError(row=3, column="类别", message="…"), …]; str(error) == "第3行“类别”：…"
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

from alliance.core.importing.admin import BoundedImportForm, ScopedImportExportAdmin
from alliance.core.importing.report import ImportReport, RowError, build_report
from alliance.core.importing.resources import ScopedResource, export_file, export_rows, import_rows, read_dataset
from alliance.core.importing.widgets import (
    ChoiceLabelWidget,
    DateWidget,
    LookupWidget,
    TagsWidget,
    TextWidget,
    column,
)

__all__ = [
    "BoundedImportForm",
    "ChoiceLabelWidget",
    "DateWidget",
    "ImportReport",
    "LookupWidget",
    "RowError",
    "ScopedImportExportAdmin",
    "ScopedResource",
    "TagsWidget",
    "TextWidget",
    "build_report",
    "column",
    "export_file",
    "export_rows",
    "import_rows",
    "read_dataset",
]
