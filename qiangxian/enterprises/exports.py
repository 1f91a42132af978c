"""The registry's list export, registered with the shared list building block.

The export writes the registry spreadsheet's columns (see ``importers.columns``), so an exported
list can be edited and imported back; large exports run in the background like every other list.
"""

from __future__ import annotations

from qiangxian.core.lists import ListExport, register_export

EXPORT_KEY = "enterprises"
EXPORT_TITLE = "企业名录"


def registry_queryset(user):
    """The rows a user may export: the enterprises they may see, with places joined."""
    from .models import Enterprise

    return Enterprise.objects.visible_to(user).select_related("town", "park", "zone")


def register() -> None:
    from .filters import EnterpriseFilter
    from .importers.columns import list_columns

    register_export(
        EXPORT_KEY,
        ListExport(
            title=EXPORT_TITLE,
            columns=list_columns(),
            queryset=registry_queryset,
            filterset_class=EnterpriseFilter,
            default_sort="name",
        ),
    )
