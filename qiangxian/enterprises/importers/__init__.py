"""Spreadsheet import and export of the registry."""

from qiangxian.core.sheets import FileRejected, RowError, read_single_sheet

from .batches import ImportResult, import_batch_undo, import_registry
from .columns import COLUMNS, HEADERS, export_rows, list_columns, write_registry
from .validation import ImportPlan, plan_import

__all__ = [
    "COLUMNS",
    "HEADERS",
    "FileRejected",
    "ImportPlan",
    "ImportResult",
    "RowError",
    "export_rows",
    "import_batch_undo",
    "import_registry",
    "list_columns",
    "plan_import",
    "read_single_sheet",
    "write_registry",
]
