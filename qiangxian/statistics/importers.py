"""Reading, validating and staging monthly/annual sheets according to an import profile.

A sheet is parsed once at staging, row by row as calamine yields it: every cell is converted
(unit, cumulative or single month, current or last year), rows are matched to enterprises,
single-month and cumulative values are derived from each other, and the review is built (errors
with row, column, value and a Chinese reason; counts of rows matched by code or by name, not in
the registry, not above scale, without a prior-year value, at zero; jumps, declines and likely
unit errors; enterprises missing since last month). The normalised rows are written in chunks
next to the batch as they are made, so neither the sheet nor the staged rows are ever held whole
in memory, and the commit only writes.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings

from qiangxian.core.access import scope_of
from qiangxian.core.bulk import among
from qiangxian.enterprises.models import Enterprise

from . import sheets
from .figures import ANNUAL_FIGURES, UNITS
from .import_review import PLAUSIBLE_MAX, Checker, needed_columns, pairs_of
from .models import AnnualFact, ImportBatch, ImportProfile, MonthlyFact
from .staging import StagedWriter, _staged_path, discard_staged, import_dir, load_staged, load_staged_raw

__all__ = ["discard_staged", "import_dir", "load_staged", "load_staged_raw", "validate_file"]

# No enterprise figure comes near 1000万亿 (in yuan, kWh or persons); larger is a unit or typing
# error, and the stored rollups rely on values fitting in 64-bit integer fen.
MAX_VALUE = Decimal("1e15")
FAST_BOUND = 9e14  # below it a float cell is surely under MAX_VALUE once scaled
NEGATIVE_ALLOWED = {"profit"}
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:年|-|/|\.)\s*(?:(1)\s*[-—~至]\s*)?(\d{1,2})\s*月?\s*$")


def max_listed() -> int:
    """How many entries of each review list (errors included) are stored and shown; counts stay exact."""
    return int(getattr(settings, "QX_IMPORT_MAX_LISTED", 200))


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


class Listing:
    """A review list: the first ``limit`` entries kept, every entry counted."""

    def __init__(self, limit: int) -> None:
        self.items: list[dict] = []
        self.count = 0
        self.limit = limit

    def add(self, item: dict) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(item)


# Review lists: key in the stored review → key of its count (the names the pages already read).
LISTS = {
    "errors": "error_count",
    "new_enterprises": "new_count",
    "missing": "missing_count",
    "jumps": "jump_count",
    "unit_suspects": "unit_count",
    "name_matches": "name_match_count",
    "not_above": "not_above_count",
    "blank_prior": "blank_prior_count",
    "zero_current": "zero_count",
    "declines": "decline_count",
    "skipped": "skipped_count",
}


@dataclass
class Staged:
    """The outcome of validation: counts, capped review lists and the staged rows' file."""

    limit: int = 200
    lists: dict[str, Listing] = field(default_factory=dict)
    row_count: int = 0
    matched_code: int = 0
    matched_name: int = 0
    staged_count: int = 0
    months: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lists = {name: Listing(self.limit) for name in LISTS}

    def error(self, row, column: str, value, reason: str) -> None:
        self.lists["errors"].add(
            {"row": row, "column": column, "value": "" if value is None else str(value), "reason": reason}
        )

    def note(self, name: str, item: dict) -> None:
        self.lists[name].add(item)

    def keeps(self, name: str) -> bool:
        """Whether the next entry of a list is kept; when not, it is counted here and then dropped
        (a caller spares making an entry nobody will see)."""
        listing = self.lists[name]
        if len(listing.items) < listing.limit:
            return True
        listing.count += 1
        return False

    @property
    def error_count(self) -> int:
        return self.lists["errors"].count

    def review(self) -> dict:
        result: dict = {name: listing.items for name, listing in self.lists.items()}
        result.update({count: self.lists[name].count for name, count in LISTS.items()})
        result.update(
            {
                "row_count": self.row_count,
                "matched_code": self.matched_code,
                "matched_name": self.matched_name,
                "listed_limit": self.limit,
                "months": sorted(m.isoformat() for m in self.months),
            }
        )
        return result


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


def _previous_month(month: dt.date) -> dt.date | None:
    return dt.date(month.year, month.month - 1, 1) if month.month > 1 else None


def _registry(match_by: str, uploader=None):
    """Code → and name → (pk, name, above scale); a name two enterprises share matches neither.

    Only the enterprises the uploader may see: a county's file never writes another county's firms.
    """
    by_code: dict[str, tuple] = {}
    by_name: dict[str, tuple | None] = {}
    firms = Enterprise.objects.visible_to(uploader) if uploader is not None else Enterprise.objects.all()
    for pk, uscc, name, above in firms.values_list("pk", "uscc", "name", "above_scale").iterator(5000):
        entry = (pk, name, above)
        by_code[uscc] = entry
        key = name.strip()
        by_name[key] = None if key in by_name else entry
    return by_code, by_name


def validate_file(batch: ImportBatch, profile_snapshot: dict, progress=None) -> Staged:
    """Parse and check the batch's stored file, staging its rows; nothing is written to the facts.

    Raises :class:`sheets.FileUnreadable` when the file is no workbook (the caller answers it).
    """
    staged = Staged(limit=max_listed())
    annual = profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL
    layout = sheets.Layout.of(profile_snapshot)
    mapping = _mapping(profile_snapshot["columns"], annual)
    # Without a period column every row is of the batch's month: last month is read once and each
    # row is finished as it is read. With one, rows are kept and finished in month order.
    streaming = annual or not profile_snapshot.get("period_column")
    last_month = _previous_month(batch.month) if streaming and not annual else None
    # calamine parses the workbook without holding the GIL (a second or so for 100,000 rows): the
    # registry and last month are read from the database meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(sheets.open_sheet, batch.stored_file, layout.sheet_name)
        by_code, by_name = _registry(profile_snapshot["match_by"], batch.created_by)
        within = None
        if batch.created_by is not None and scope_of(batch.created_by).counties is not None:
            within = sorted({entry[0] for entry in by_code.values()})
        db_prev: dict = {}
        if last_month:
            db_prev = _db_previous({last_month}, batch.source, needed_columns(mapping, annual), within)
        sheet = loading.result()
    total = max(sheet.height - layout.header_row, 0)
    rows = sheets.iter_rows(sheet)
    header = None
    for _ in range(layout.header_row):
        header = next(rows, None)
    if header is None:
        staged.error(
            layout.header_row,
            "",
            "",
            f"表格不足{layout.header_row}行，找不到表头，请检查方案的“表头所在行”。",
        )
        return staged
    position: dict[str, int] = {}
    for i, h in enumerate(header):
        position.setdefault(sheets.norm(h), i)
    position.pop("", None)
    by_uscc = profile_snapshot["match_by"] == "uscc"
    key_header = profile_snapshot["key_column"] if by_uscc else profile_snapshot["name_column"]
    needed = [key_header] + [m[0] for m in mapping]
    if profile_snapshot.get("period_column"):
        needed.append(profile_snapshot["period_column"])
    for h in needed:
        if sheets.norm(h) not in position:
            staged.error(
                layout.header_row,
                h,
                "",
                f"缺少列“{h}”（第{layout.header_row}行表头），请使用该方案的模板或检查表头所在行。",
            )
    if staged.error_count:
        return staged
    fixed_period = (
        (dt.date(batch.month.year, 1, 1), False) if annual else (batch.month, batch.combined_jan_feb)
    )
    key_i = position[sheets.norm(key_header)]
    name_i = position.get(sheets.norm(profile_snapshot.get("name_column") or ""))
    period_i = position.get(sheets.norm(profile_snapshot.get("period_column") or ""))
    ident = list(dict.fromkeys(i for i in (key_i, name_i, 0, 1) if i is not None))
    cols = [
        (
            position[sheets.norm(h)],
            column,
            None if factor == 1 else factor,
            figure in NEGATIVE_ALLOWED,
            h,
            FAST_BOUND / float(factor),
        )
        for h, column, factor, figure in mapping
    ]
    read_cells = CellReader(cols, {column: PLAUSIBLE_MAX.get(figure) for _h, column, _f, figure in mapping})
    writer = StagedWriter(_staged_path(batch), sorted({m[1] for m in mapping} | _derived(mapping, annual)))
    checker = Checker(staged, writer, mapping, annual, batch.source)
    pending: list[tuple] = []
    seen: dict[tuple[int, dt.date], int] = {}
    line = layout.header_row
    for raw in rows:
        line += 1
        if progress and line % 20000 == 0:
            progress(line - layout.header_row, total)
        if not any(v not in (None, "") for v in raw):
            continue
        staged.row_count += 1
        if layout.skip_total_rows and sheets.is_total_row(raw, ident):
            staged.note("skipped", {"row": line, "reason": "合计/小计行"})
            continue
        key_cell = raw[key_i] if key_i < len(raw) else None
        key = str(key_cell if key_cell is not None else "").strip()
        key = key.upper() if by_uscc else key
        if not key:
            if layout.skip_blank_key:
                staged.note("skipped", {"row": line, "reason": "没有企业代码" if by_uscc else "没有企业名称"})
            else:
                staged.error(line, key_header, "", "企业代码/名称为空。")
            continue
        if by_uscc and not USCC_RE.match(key):
            staged.error(line, key_header, key, "统一社会信用代码格式不正确（应为18位）。")
            continue
        if period_i is not None:
            parsed = parse_period(raw[period_i] if period_i < len(raw) else None)
            if parsed is None:
                staged.error(
                    line,
                    profile_snapshot["period_column"],
                    raw[period_i] if period_i < len(raw) else "",
                    "期别无法识别，应写作“2026-10”“2026年10月”或“2026年1-2月”。",
                )
                continue
            period, combined = (dt.date(parsed[0].year, 1, 1), False) if annual else parsed
        else:
            period, combined = fixed_period
        values, bad, plausible = read_cells(staged, raw, line)
        name = ""
        if name_i is not None and name_i < len(raw) and raw[name_i] not in (None, ""):
            name = str(raw[name_i]).strip()
        match = by_code.get(key) if by_uscc else by_name.get(key)
        by_name_match = not by_uscc
        if match is None and by_uscc and name:
            match = by_name.get(name)  # a wrong or changed code: the name matches, to be confirmed
            by_name_match = match is not None
        if match is None:
            staged.note("new_enterprises", {"row": line, "key": key, "name": name})
            continue
        pk, _registered_name, above = match
        if (pk, period) in seen:
            staged.error(line, key_header, key, f"与第{seen[(pk, period)]}行重复（同一企业同一期别）。")
            continue
        seen[(pk, period)] = line
        if bad:
            continue
        if by_name_match:
            staged.matched_name += 1
            staged.note("name_matches", {"row": line, "name": name or key, "key": key, "enterprise_id": pk})
        else:
            staged.matched_code += 1
        if not above and staged.keeps("not_above"):
            staged.note("not_above", {"row": line, "enterprise_id": pk})
        if streaming:
            prev = db_prev.get((pk, last_month)) if last_month else None
            checker.finish(pk, period, above, combined, values, line, prev, plausible)
        else:
            pending.append((pk, period, above, combined, values, line, plausible))
    if pending:
        pending.sort(key=lambda r: r[1])
        previous = {p for r in pending if (p := _previous_month(r[1]))}
        db_prev = _db_previous(previous, batch.source, checker.needed, within)
        in_file = {(r[0], r[1]): r[4] for r in pending}
        for pk, period, above, combined, values, line, plausible in pending:
            before = _previous_month(period)
            prev = None
            if before:
                # Read when the earlier row is finished: its derived values count too.
                prev = in_file.get((pk, before))
                prev = checker.previous(prev) if prev else db_prev.get((pk, before))
            checker.finish(pk, period, above, combined, values, line, prev, plausible)
    writer.close()
    if not annual:
        for pk, month in db_prev:
            following = dt.date(month.year, month.month + 1, 1) if month.month < 12 else None
            if following in staged.months and (pk, following) not in seen:
                staged.note("missing", {"enterprise_id": pk, "month": following.isoformat()})
    return staged


def _derived(mapping, annual: bool) -> set[str]:
    """The columns derived from mapped ones (single month from cumulative and back)."""
    if annual:
        return set()
    pairs = pairs_of({m[1] for m in mapping})
    return {s if given == "cum" else c for c, s, given in pairs}


FLOAT_ONLY = {float}
# How far inside a limit a float cell must be for its exact value to be surely inside too: the
# text of a float (its shortest repr) and the float differ by less than 1e-16 of the value.
MARGIN = 1 - 1e-9


class CellReader:
    """A row's mapped cells converted as :func:`_row_values` does, with a shortcut for most rows.

    Most rows hold only numbers (floats, as calamine gives them) well inside their bounds: for
    such a row the checks are made on the floats, all cells at once and in C, and only the
    conversion to Decimal is done cell by cell. Any other row (a blank, a text, a negative value,
    a value near a limit) takes :func:`_row_values`. A row taken by the shortcut is also within
    the plausible range of every column it holds (``plausible`` is True), which the review then
    need not check again.
    """

    def __init__(self, cols, plausible: dict[str, Decimal | None]) -> None:
        self.cols = cols
        indices = [c[0] for c in cols]
        if len(indices) > 1:
            self.pick = operator.itemgetter(*indices)
        elif indices:  # itemgetter of one index gives the cell, not a tuple of one
            self.pick = lambda raw, i=indices[0]: (raw[i],)
        else:
            self.pick = None
        self.columns = [c[1] for c in cols]
        self.scales = [Decimal(1) if c[2] is None else c[2] for c in cols]
        highs, lows = [], []
        for _i, column, scale, may_be_negative, _h, bound in cols:
            limit = plausible.get(column)
            high = bound if limit is None else min(bound, float(limit) / float(scale or 1) * MARGIN)
            highs.append(high)
            lows.append(-high if may_be_negative else 0.0)
        self.highs, self.lows = highs, lows

    def __call__(self, staged: Staged, raw: list, line: int) -> tuple[dict[str, Decimal], bool, bool]:
        """(values, whether a cell was refused, whether every value is surely plausible)."""
        try:
            cells = self.pick(raw) if self.pick is not None else None
        except IndexError:  # a short row: some cells are blank
            cells = None
        if (
            cells is not None
            and set(map(type, cells)) == FLOAT_ONLY
            and all(map(operator.lt, cells, self.highs))
            and all(map(operator.le, self.lows, cells))
        ):
            numbers = map(operator.mul, map(Decimal, map(repr, cells)), self.scales)
            return dict(zip(self.columns, numbers, strict=True)), False, True
        values, bad = _row_values(staged, raw, self.cols, line)
        return values, bad, False


def _row_values(staged: Staged, raw: list, cols, line: int) -> tuple[dict[str, Decimal], bool]:
    """The converted values of one row (blank cells left out: a blank is not a zero)."""
    values: dict[str, Decimal] = {}
    bad = False
    width = len(raw)
    for index, column, scale, may_be_negative, header, bound in cols:
        cell = raw[index] if index < width else None
        if cell is None or cell == "":
            continue
        if type(cell) is float and 0 <= cell < bound:
            # The common cell: a plain non-negative number far from the limit, checked as a float.
            number = Decimal(repr(cell))
            values[column] = number * scale if scale is not None else number
            continue
        if type(cell) is float:
            number = Decimal(repr(cell))  # calamine's whole numbers are floats: exact via their text
        else:
            try:
                number = to_decimal(cell)
            except (InvalidOperation, ValueError):
                staged.error(line, header, cell, "不是有效的数字。")
                bad = True
                continue
            if number is None:
                continue
        if number < 0 and not may_be_negative:
            staged.error(line, header, cell, "不能为负数。")
            bad = True
            continue
        if scale is not None:
            number *= scale
        if abs(number) >= MAX_VALUE:
            staged.error(line, header, cell, "数值过大（换算后超过1000万亿），请检查单位。")
            bad = True
            continue
        values[column] = number
    return values, bad


def _db_previous(
    months: set, source: str, columns: list[str], within: list[int] | None = None
) -> dict[tuple[int, dt.date], tuple]:
    """Previous-month rows of the same source: the needed columns in order, as the database writes
    them (text, read as a Decimal when used: a text is half the size of its Decimal, and a hundred
    thousand rows of last month stay in memory through the whole validation); a row without any
    of them is ``()``, as good as no row for the checks.

    ``within``: only these enterprises (the uploader's, inside a county boundary): in a province,
    one county's file does not read every county's last month.
    """
    if not months or not columns:
        return {}
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(MonthlyFact._meta.db_table)
    only, only_params = "", []
    if within is not None:
        sql, only_params = among("enterprise_id", within)
        only = f" AND {sql}"
    result: dict[tuple[int, dt.date], tuple] = {}
    width = len(columns)
    for month in months:
        sql = (
            f"SELECT enterprise_id, {', '.join(f'CAST({qn(c)} AS TEXT)' for c in columns)} FROM {table} "
            f"WHERE month = %s AND source = %s{only}"
        )
        # Read in chunks (a server-side cursor on PostgreSQL): the whole result is never held in
        # the client library beside the dictionary.
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, [month, source, *only_params])
            while rows := cursor.fetchmany(5000):
                for row in rows:
                    values = row[1:]
                    result[(row[0], month)] = () if values.count(None) == width else values
    return result


def fact_model(profile_snapshot: dict):
    return AnnualFact if profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL else MonthlyFact


def value_columns(profile_snapshot: dict) -> list[str]:
    if profile_snapshot["kind"] == ImportProfile.Kind.ANNUAL:
        return list(ANNUAL_FIGURES)
    from .figures import monthly_columns

    return monthly_columns()
