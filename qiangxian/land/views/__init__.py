"""Pages of parks, land, idle space and the per-mu evaluation: thin, they call selectors and services."""

from .evaluation import (
    result_detail,
    result_list,
    run_detail,
    sandbox,
    scheme_adjustments,
    scheme_detail,
    scheme_list,
)
from .idle import breach_list, idle_detail, idle_list
from .space import (
    building_detail,
    building_edit,
    building_import,
    building_list,
    map_page,
    match,
    overview,
    parcel_detail,
    parcel_edit,
    parcel_import,
    parcel_list,
)

__all__ = [
    "breach_list",
    "building_detail",
    "building_edit",
    "building_import",
    "building_list",
    "idle_detail",
    "idle_list",
    "map_page",
    "match",
    "overview",
    "parcel_detail",
    "parcel_edit",
    "parcel_import",
    "parcel_list",
    "result_detail",
    "result_list",
    "run_detail",
    "sandbox",
    "scheme_adjustments",
    "scheme_detail",
    "scheme_list",
]
