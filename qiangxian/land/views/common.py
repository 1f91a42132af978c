"""Small helpers the land pages share."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime

from qiangxian.core.lists import Column

CRUMBS = [("园区与土地", "/land/")]


def version_of(form):
    raw = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
    return parse_datetime(raw) if raw else None


def date_col(key, label, sort=None):
    return Column(
        key,
        label,
        sort=sort,
        display=lambda o: getattr(o, key).strftime("%Y-%m-%d") if getattr(o, key, None) else "—",
    )


def choice_col(key, label, sort=None):
    return Column(key, label, sort=sort, value=lambda o: getattr(o, f"get_{key}_display")())
