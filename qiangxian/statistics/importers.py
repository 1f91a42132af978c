"""Reading, validating and staging monthly/annual sheets according to an import profile.

A sheet is parsed once at staging: every cell is converted (unit, cumulative or single month,
current or last year), rows are matched to enterprises, single-month and cumulative values are
derived from each other, and the review lists are built (errors with row, column, value and a
Chinese reason; enterprises new to the list or missing since last month; jumps and likely unit
errors). The normalised rows are kept next to the batch so the commit only writes.
"""

from __future__ import annotations

import datetime as dt
import marshal
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from qiangxian.enterprises.models import Enterprise

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, UNITS
from .models import AnnualFact, ImportBatch, ImportProfile, MonitorSettings, MonthlyFact

MAX_LISTED = 500  # review lists longer than this are cut (the counts stay exact)
# No enterprise figure comes near 1000万亿 (in yuan, kWh or persons); larger is a unit or typing
# error, and the stored rollups rely on values fitting in 64-bit integer fen.
MAX_VALUE = Decimal("1e15")
NEGATIVE_ALLOWED = {"profit"}
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:年|-|/|\.)\s*(?:(1)\s*[-—~至]\s*)?(\d{1,2})\s*月?\s*$")


def import_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_sheet(path: str | Path) -> list[list]:
    """All rows of the first sheet (header first) as Python values, after the upload checks.

    Raises ``qiangxian.core.sheets.FileRejected`` (a Chinese reason) for an oversized file or a
    workbook that would expand past the limit.
    """
    from python_calamine import CalamineWorkbook

    from qiangxian.core.sheets import check_path

    check_path(path)
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def to_decimal(raw) -> Decimal | None:
    """A cell as Decimal: floats through ``str`` (calamine gives whole numbers as floats)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, (int, float)):
        return Decimal(str(raw))
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—"):
        return None
    return Decimal(text)


def parse_period(raw) -> tuple[dt.date, bool] | None:
    """A period cell ("2026-10", "2026年10月", "2026年1-2月", a date) as (month, combined 1-2月)."""
    if isinstance(raw, (dt.date, dt.datetime)):
        return dt.date(raw.year, raw.month, 1), False
    match = PERIOD_RE.match(str(raw or ""))
    if not match:
        return None
    year, first, month = int(match.group(1)), match.group(2), int(match.group(3))
    if not 1 <= month <= 12:
        return None
    combined = bool(first) and month == 2
    if first and month != 2:
        return None
    return dt.date(year, month, 1), combined


@dataclass
class Staged:
    """The outcome of validation: rows ready to write and the review lists."""

    rows: list[tuple] = field(
        default_factory=list
    )  # (enterprise_id, period, above, combined, {col: Decimal})
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    new_enterprises: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    jumps: list[dict] = field(default_factory=list)
    unit_suspects: list[dict] = field(default_factory=list)
    name_matches: list[dict] = field(default_factory=list)
    row_count: int = 0
    months: set = field(default_factory=set)

    def error(self, row: int, column: str, value, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(
                {"row": row, "column": column, "value": "" if value is None else str(value), "reason": reason}
            )

    def review(self) -> dict:
        return {
            "errors": self.errors,
            "error_count": self.error_count,
            "new_enterprises": self.new_enterprises[:MAX_LISTED],
            "new_count": len(self.new_enterprises),
            "missing": self.missing[:MAX_LISTED],
            "missing_count": len(self.missing),
            "jumps": self.jumps[:MAX_LISTED],
            "jump_count": len(self.jumps),
            "unit_suspects": self.unit_suspects[:MAX_LISTED],
            "unit_count": len(self.unit_suspects),
            "name_matches": self.name_matches[:MAX_LISTED],
            "name_match_count": len(self.name_matches),
            "months": sorted(m.isoformat() for m in self.months),
        }


def _mapping(profile_columns: list[dict], annual: bool) -> list[tuple[str, str, Decimal, str]]:
    """(header, target column, unit factor, figure) per mapped column."""
    result = []
    for spec in profile_columns:
        figure = spec["figure"]
        factor = UNITS[spec.get("unit", "yuan")][1]
        if annual:
            result.append((spec["header"], figure, factor, figure))
            continue
        basis = "month" if spec.get("basis") == "month" else "ytd"
        column = f"{figure}_{basis}" + ("_ly" if spec.get("year") == "last" else "")
        result.append((spec["header"], column, factor, figure))
    return result


def validate_file(batch: ImportBatch, profile_snapshot: dict, progress=None) -> Staged:
    """Parse and check the batch's stored file; nothing is written to the facts."""
    staged = Staged()
    annual = profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL
    sheet = read_sheet(batch.stored_file)
    if not sheet:
        staged.error(1, "", "", "文件是空的。")
        return staged
    headers = [str(h or "").strip() for h in sheet[0]]
    position = {h: i for i, h in enumerate(headers) if h}
    mapping = _mapping(profile_snapshot["columns"], annual)
    key_header = (
        profile_snapshot["key_column"]
        if profile_snapshot["match_by"] == "uscc"
        else profile_snapshot["name_column"]
    )
    needed = [key_header] + [m[0] for m in mapping]
    if profile_snapshot.get("period_column"):
        needed.append(profile_snapshot["period_column"])
    for header in needed:
        if header not in position:
            staged.error(1, header, "", f"缺少列“{header}”，请使用该方案的模板。")
    if staged.error_count:
        return staged
    if annual:
        staged_period = (dt.date(batch.month.year, 1, 1), False)
    else:
        staged_period = (batch.month, batch.combined_jan_feb)

    enterprises = Enterprise.objects.values_list("pk", "uscc", "name", "above_scale")
    by_key: dict[str, tuple[int, str, bool]] = {}
    for pk, uscc, name, above in enterprises:
        by_key[uscc if profile_snapshot["match_by"] == "uscc" else name] = (pk, name, above)
    key_i = position[key_header]
    name_i = position.get(profile_snapshot.get("name_column") or "")
    period_i = position.get(profile_snapshot.get("period_column") or "")
    cols = [
        (position[h], column, None if factor == 1 else factor, figure in NEGATIVE_ALLOWED, h)
        for h, column, factor, figure in mapping
    ]
    seen: dict[tuple[int, dt.date], int] = {}
    total = len(sheet) - 1
    for r, raw in enumerate(sheet[1:], start=2):
        if progress and r % 20000 == 0:
            progress(r - 1, total)
        if not any(v not in (None, "") for v in raw):
            continue
        staged.row_count += 1
        key = (
            str(raw[key_i] or "").strip().upper()
            if profile_snapshot["match_by"] == "uscc"
            else str(raw[key_i] or "").strip()
        )
        if not key:
            staged.error(r, key_header, "", "企业代码/名称为空。")
            continue
        if profile_snapshot["match_by"] == "uscc" and not USCC_RE.match(key):
            staged.error(r, key_header, key, "统一社会信用代码格式不正确（应为18位）。")
            continue
        if period_i is not None:
            parsed = parse_period(raw[period_i])
            if parsed is None:
                staged.error(
                    r,
                    profile_snapshot["period_column"],
                    raw[period_i],
                    "期别无法识别，应写作“2026-10”“2026年10月”或“2026年1-2月”。",
                )
                continue
            period, combined = (dt.date(parsed[0].year, 1, 1), False) if annual else parsed
        else:
            period, combined = staged_period
        values: dict[str, Decimal] = {}
        bad = False
        width = len(raw)
        for index, column, scale, may_be_negative, header in cols:
            cell = raw[index] if index < width else None
            if cell is None or cell == "":
                continue
            if type(cell) is float:
                number = Decimal(repr(cell))  # calamine's whole numbers are floats: exact via their text
            else:
                try:
                    number = to_decimal(cell)
                except (InvalidOperation, ValueError):
                    staged.error(r, header, cell, "不是有效的数字。")
                    bad = True
                    continue
                if number is None:
                    continue
            if number < 0 and not may_be_negative:
                staged.error(r, header, cell, "不能为负数。")
                bad = True
                continue
            if scale is not None:
                number *= scale
            if abs(number) >= MAX_VALUE:
                staged.error(r, header, cell, "数值过大（换算后超过1000万亿），请检查单位。")
                bad = True
                continue
            values[column] = number
        match = by_key.get(key)
        if match is None:
            name = str(raw[name_i] or "") if name_i is not None else ""
            staged.new_enterprises.append({"row": r, "key": key, "name": name})
            continue
        pk, name, above = match
        if (pk, period) in seen:
            staged.error(r, key_header, key, f"与第{seen[(pk, period)]}行重复（同一企业同一期别）。")
            continue
        seen[(pk, period)] = r
        if bad:
            continue
        if profile_snapshot["match_by"] == "name":
            staged.name_matches.append({"row": r, "name": key, "enterprise_id": pk})
        staged.rows.append((pk, period, above, combined, values, r))
        staged.months.add(period)
    if not annual and not staged.error_count:
        _derive_and_check(staged, batch.source, {m[1] for m in mapping})
    return staged


# The plausibility checks look at the principal figures only: enough to catch a wrong unit or
# a misplaced decimal point, cheap enough for a province's file.
CHECKED = ("gross_output", "main_revenue", "revenue", "electricity_kwh", "tax_paid")
UNIT_BANDS = (
    (Decimal(5), Decimal(20), "10倍"),
    (Decimal(500), Decimal(2000), "1000倍"),
    (Decimal("0.05"), Decimal("0.2"), "1/10"),
    (Decimal("0.0005"), Decimal("0.002"), "1/1000"),
)


def _db_previous(months: set, source: str, columns: list[str]) -> dict[tuple[int, dt.date], dict]:
    """Previous-month rows of the same source, only the needed columns, as Decimals."""
    if not months or not columns:
        return {}
    from django.db import connection

    from qiangxian.core.bulk import fetch

    qn = connection.ops.quote_name
    table = qn(MonthlyFact._meta.db_table)
    result: dict[tuple[int, dt.date], dict] = {}
    for month in months:
        sql = (
            f"SELECT enterprise_id, {', '.join(f'CAST({qn(c)} AS TEXT)' for c in columns)} FROM {table} "
            "WHERE month = %s AND source = %s"
        )
        for row in fetch(sql, [month, source]):
            result[(row[0], month)] = {
                c: Decimal(v) for c, v in zip(columns, row[1:], strict=True) if v is not None
            }
    return result


def _derive_and_check(staged: Staged, source: str, mapped: set[str]) -> None:
    """Derive single-month ↔ cumulative values, then list jumps, unit suspects and missing firms."""
    months = sorted(staged.months)
    previous_months = {dt.date(m.year, m.month - 1, 1) for m in months if m.month > 1}
    pairs = []  # (cumulative column, single-month column, which one the file gives)
    for code, figure in MONTHLY_FIGURES.items():
        if not figure.flow:
            continue
        for cum, single in (("ytd", "month"), ("ytd_ly", "month_ly")):
            c_col, s_col = f"{code}_{cum}", f"{code}_{single}"
            if c_col in mapped and s_col not in mapped:
                pairs.append((c_col, s_col, "cum"))
            elif s_col in mapped and c_col not in mapped:
                pairs.append((c_col, s_col, "single"))
    checked = [f"{c}_month" for c in CHECKED if f"{c}_month" in mapped or f"{c}_ytd" in mapped]
    needed = sorted({p[0] for p in pairs} | set(checked)) or ["gross_output_ytd"]
    db_prev = _db_previous(previous_months, source, needed)
    in_file = {(r[0], r[1]): r[4] for r in staged.rows}
    threshold = Decimal(MonitorSettings.current().jump_pct) / 100
    zero = Decimal(0)
    for pk, month, _above, combined, values, line in sorted(staged.rows, key=lambda r: r[1]):
        if month.month > 1:
            prev_key = (pk, dt.date(month.year, month.month - 1, 1))
            prev = in_file.get(prev_key) or db_prev.get(prev_key) or {}
        else:
            prev = {}
        if not combined:  # 1-2月 together: no single February; the cumulative is kept as reported
            for c_col, s_col, given in pairs:
                prev_cum = zero if month.month == 1 else prev.get(c_col)
                if prev_cum is None:
                    continue
                if given == "cum":
                    cum_v = values.get(c_col)
                    if cum_v is not None:
                        values[s_col] = cum_v - prev_cum
                else:
                    single_v = values.get(s_col)
                    if single_v is not None:
                        values[c_col] = prev_cum + single_v
        if not prev:
            continue
        for col in checked:
            now, before = values.get(col), prev.get(col)
            if now is None or not before or before <= 0 or now <= 0:
                continue
            ratio = now / before
            for low, high, label in UNIT_BANDS:
                if low <= ratio <= high:
                    staged.unit_suspects.append(
                        {
                            "row": line,
                            "enterprise_id": pk,
                            "figure": MONTHLY_FIGURES[col[:-6]].name,
                            "value": str(now),
                            "previous": str(before),
                            "reason": f"约为上月的{label}，疑似单位错误",
                        }
                    )
                    break
            else:
                if abs(ratio - 1) > threshold:
                    staged.jumps.append(
                        {
                            "row": line,
                            "enterprise_id": pk,
                            "figure": MONTHLY_FIGURES[col[:-6]].name,
                            "value": str(now),
                            "previous": str(before),
                            "change": f"{(ratio - 1) * 100:+.1f}%",
                        }
                    )
    present = {(r[0], r[1]) for r in staged.rows}
    for pk, month in db_prev:
        following = dt.date(month.year, month.month + 1, 1) if month.month < 12 else None
        if following in staged.months and (pk, following) not in present:
            staged.missing.append({"enterprise_id": pk, "month": following.isoformat()})


def _staged_path(batch: ImportBatch) -> Path:
    return import_dir() / f"batch-{batch.pk}.staged"


SEP = "\x1f"


def save_staged(batch: ImportBatch, staged: Staged) -> None:
    """Keep the normalised rows next to the batch until it is committed.

    One header of columns, then per row its key and the values as one separated string: marshal
    reads that back far faster than a structure of many small objects.
    """
    columns = sorted({c for row in staged.rows for c in row[4]})
    rows = [
        (
            pk,
            period.toordinal(),
            above,
            combined,
            SEP.join("" if (v := values.get(c)) is None else str(v) for c in columns),
        )
        for pk, period, above, combined, values, _line in staged.rows
    ]
    with _staged_path(batch).open("wb") as stream:
        marshal.dump((columns, rows), stream)


def load_staged(batch: ImportBatch) -> tuple[list[str], list[tuple]]:
    """Columns and rows saved by :func:`save_staged`: (enterprise, period, above, combined, [text|None])."""
    with _staged_path(batch).open("rb") as stream:
        columns, rows = marshal.load(stream)
    result = []
    for pk, day, above, combined, text in rows:
        values = [v or None for v in text.split(SEP)] if columns else []
        result.append((pk, dt.date.fromordinal(day), above, combined, values))
    return columns, result


def fact_model(profile_snapshot: dict):
    return AnnualFact if profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL else MonthlyFact


def value_columns(profile_snapshot: dict) -> list[str]:
    if profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL:
        return list(ANNUAL_FIGURES)
    from .figures import monthly_columns

    return monthly_columns()
