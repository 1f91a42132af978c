"""Writes of parks, land, buildings, idle space and the per-mu evaluation (keyword-only, one transaction)."""
