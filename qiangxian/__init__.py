"""强县 — the county industrial economy platform."""
