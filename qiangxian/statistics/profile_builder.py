"""Building an import profile from a sample of the file itself, in Chinese.

The office uploads one of the bureau's files; the builder shows its first rows, lets the clerk
pick the sheet and the header row (the bureau's 原始格式 has a title row and a unit row above
it), guesses each column's meaning from its header and the unit row, and previews the first
rows converted to the stored units (元, 千瓦时) before the profile is saved. What the builder
posts is read back into the ``columns`` list :func:`services.profile_save` checks.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import sheets
from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, UNITS, Source
from .import_review import column_notes
from .importers import import_dir, to_decimal

ROLE_LABELS = {
    "": "不导入",
    "key": "统一社会信用代码（匹配企业）",
    "name": "企业名称",
    "period": "期别（月份）",
    "serial": "序号（不导入）",
}
YEAR_CHOICES = [("current", "本年"), ("last", "上年同期")]
BASIS_CHOICES = [("ytd", "1-N月累计"), ("month", "当月")]
TOKEN_RE = re.compile(r"^[0-9a-f]{32}\.(xlsx|xls)$")


def role_choices(kind: str) -> list[tuple[str, str]]:
    """The drop-down of what a column holds: identifying columns, then the figures by name."""
    catalogue = ANNUAL_FIGURES if kind == "annual" else MONTHLY_FIGURES
    return list(ROLE_LABELS.items()) + [(f"figure:{code}", f.name) for code, f in catalogue.items()]


def unit_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _factor) in UNITS.items()]


def sample_dir() -> Path:
    folder = import_dir() / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_sample(uploaded) -> str:
    """Keep an uploaded sample for the next steps of the builder; returns its token."""
    name = getattr(uploaded, "name", "") or ""
    sheets.check_name(name)
    token = f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    with (sample_dir() / token).open("wb") as stream:
        for chunk in uploaded.chunks():
            stream.write(chunk)
    try:
        sheets.open_workbook(sample_dir() / token)
    except sheets.FileUnreadable:
        (sample_dir() / token).unlink(missing_ok=True)
        raise
    return token


def sample_path(token: str) -> Path | None:
    """The stored sample of a token posted back by the page, or None (never a path outside)."""
    if not token or not TOKEN_RE.match(token):
        return None
    path = sample_dir() / token
    return path if path.exists() else None


@dataclass
class ColumnRow:
    """One column of the builder's table: its header, what it holds, and for figures the details."""

    index: int
    header: str
    role: str = ""
    unit: str = ""
    year: str = "current"
    basis: str = "ytd"
    note: str = ""
    counted: bool = True


@dataclass
class Sample:
    """What the builder shows of a sample file."""

    sheet_names: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def read_sample(path: Path, sheet_name: str) -> Sample:
    workbook = sheets.open_workbook(path)
    names = list(workbook.sheet_names)
    return Sample(sheet_names=names, rows=sheets.sample_rows(path, sheet_name if sheet_name in names else ""))


def guess_columns(sample_rows: list[list[str]], header_row: int, kind: str) -> list[ColumnRow]:
    """The columns of the header row, each with a first guess of its meaning."""
    if not 1 <= header_row <= len(sample_rows):
        return []
    header = sample_rows[header_row - 1]
    unit_row = sample_rows[header_row - 2] if header_row >= 2 else []
    whole_unit_text = " ".join(unit_row)
    result, used = [], set()
    for index, text in enumerate(header):
        if not sheets.norm(text) or sheets.norm(text) in used:
            continue
        used.add(sheets.norm(text))
        unit_text = unit_row[index] if index < len(unit_row) and unit_row[index] else whole_unit_text
        guess = sheets.guess_column(text, unit_text, kind == "annual")
        role = guess["role"]
        row = ColumnRow(index=index, header=str(text).strip())
        if role == "figure":
            row.role = f"figure:{guess['figure']}"
            row.unit, row.year, row.basis = guess["unit"], guess["year"], guess["basis"]
        else:
            row.role = role
        result.append(row)
    # One column each for the code, the name and the period: the first wins.
    seen_roles: set[str] = set()
    for row in result:
        if row.role in ("key", "name", "period"):
            if row.role in seen_roles:
                row.role = ""
            seen_roles.add(row.role)
    return result


def columns_from_profile(profile) -> list[ColumnRow]:
    """A saved profile as the builder's table (reads back in Chinese)."""
    rows = []
    for role, header in (
        ("key", profile.key_column),
        ("name", profile.name_column),
        ("period", profile.period_column),
    ):
        if header and (role != "key" or profile.match_by == "uscc"):
            rows.append(ColumnRow(index=len(rows), header=header, role=role))
    for spec in profile.columns:
        rows.append(
            ColumnRow(
                index=len(rows),
                header=spec["header"],
                role=f"figure:{spec['figure']}",
                unit=spec.get("unit", "yuan"),
                year=spec.get("year", "current"),
                basis=spec.get("basis", "ytd"),
            )
        )
    return rows


def columns_from_post(data) -> list[ColumnRow]:
    """The table as the page posted it back."""
    rows = []
    count = int(data.get("column_count") or 0)
    for i in range(min(count, 200)):
        header = (data.get(f"col-{i}-header") or "").strip()
        if not header:
            continue
        rows.append(
            ColumnRow(
                index=int(data.get(f"col-{i}-index") or i),
                header=header,
                role=data.get(f"col-{i}-role") or "",
                unit=data.get(f"col-{i}-unit") or "",
                year="last" if data.get(f"col-{i}-year") == "last" else "current",
                basis="month" if data.get(f"col-{i}-basis") == "month" else "ytd",
            )
        )
    return rows


def to_profile_fields(rows: list[ColumnRow]) -> dict:
    """key/name/period column headers and the figure columns, as ``profile_save`` takes them."""
    fields = {"key_column": "", "name_column": "", "period_column": "", "columns": []}
    for row in rows:
        if row.role in ("key", "name", "period"):
            fields[f"{row.role}_column"] = fields[f"{row.role}_column"] or row.header
        elif row.role.startswith("figure:"):
            fields["columns"].append(
                {
                    "header": row.header,
                    "figure": row.role.split(":", 1)[1],
                    "unit": row.unit,
                    "basis": row.basis,
                    "year": row.year,
                }
            )
    return fields


def annotate(rows: list[ColumnRow], source: str, kind: str) -> None:
    """Mark each figure column counted or not (and why) for the profile's source."""
    fields = to_profile_fields(rows)
    notes = {n["header"]: n for n in column_notes(fields["columns"], source, kind)}
    for row in rows:
        note = notes.get(row.header)
        row.counted = note["counted"] if note else True
        row.note = note["reason"] if note else ""


def preview(
    path: Path,
    sheet_name: str,
    header_row: int,
    rows: list[ColumnRow],
    kind: str,
    skip_total: bool,
    skip_blank: bool,
) -> dict:
    """The first data rows after the header, each mapped cell converted to the stored unit."""
    figure_rows = [r for r in rows if r.role.startswith("figure:")]
    key_row = next((r for r in rows if r.role == "key"), None) or next(
        (r for r in rows if r.role == "name"), None
    )
    ident = [r.index for r in rows if r.role in ("key", "name")] + [0, 1]
    catalogue = ANNUAL_FIGURES if kind == "annual" else MONTHLY_FIGURES
    heads = [r.header for r in rows if r.role in ("key", "name")]
    heads += [
        f"{r.header} → {catalogue[r.role[7:]].name}（{catalogue[r.role[7:]].unit}）" for r in figure_rows
    ]
    lines, skipped = [], []
    for number, raw in enumerate(sheets.iter_rows(sheets.open_sheet(path, sheet_name)), start=1):
        if number <= header_row or not any(v not in (None, "") for v in raw):
            continue
        if skip_total and sheets.is_total_row(raw, ident):
            skipped.append(f"第{number}行：合计/小计行，导入时跳过")
            continue
        key = raw[key_row.index] if key_row and key_row.index < len(raw) else ""
        if skip_blank and key in (None, ""):
            skipped.append(f"第{number}行：没有企业代码（名称），导入时跳过")
            continue
        cells = [_cell(raw, r.index) for r in rows if r.role in ("key", "name")]
        for r in figure_rows:
            cells.append(_converted(raw, r, catalogue[r.role[7:]].unit))
        lines.append({"number": number, "cells": cells})
        if len(lines) >= sheets.PREVIEW_ROWS:
            break
    return {"heads": heads, "lines": lines, "skipped": skipped[:10]}


def _cell(raw: list, index: int) -> str:
    value = raw[index] if index < len(raw) else ""
    return sheets._text(value) if value not in (None, "") else ""


def _converted(raw: list, row: ColumnRow, unit: str) -> str:
    value = raw[row.index] if row.index < len(raw) else ""
    if value in (None, ""):
        return "空（不是0）"
    try:
        number = Decimal(repr(value)) if type(value) is float else to_decimal(value)
    except (InvalidOperation, ValueError):
        return f"“{value}”不是有效的数字"
    if number is None:
        return "空（不是0）"
    factor = UNITS.get(row.unit, ("", Decimal(1)))[1]
    converted = number * factor
    text = f"{converted:,.2f}" if unit == "元" else f"{converted.normalize():,f}"
    return f"{text} {unit}"


def column_summary(columns: list[dict], kind: str) -> list[str]:
    """A saved profile's data columns in words: "工业总产值（万元，本年，1-N月累计）"."""
    catalogue = ANNUAL_FIGURES if kind == "annual" else MONTHLY_FIGURES
    result = []
    for c in columns:
        figure = catalogue.get(c.get("figure", ""))
        unit = UNITS.get(c.get("unit", ""), ("",))[0]
        year = "上年同期" if c.get("year") == "last" else "本年"
        basis = "当月" if c.get("basis") == "month" else "1-N月累计"
        result.append(f"{figure.name if figure else c.get('header', '')}（{unit}，{year}，{basis}）")
    return result


def source_label(source: str) -> str:
    return dict(Source.choices).get(source, "")
