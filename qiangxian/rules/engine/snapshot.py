"""The columnar input of an evaluation: one row per enterprise, one array per (indicator, period)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .catalogue import window_years

BoolColumn = tuple[np.ndarray, np.ndarray | None]  # values, known mask (None = all known)


@dataclass
class Snapshot:
    """Indicator values for a set of enterprises at one evaluation date.

    - `columns[(identifier, period)]`: float arrays, NaN = missing. A window may be given
      directly as an (n, years) array under its window key (e.g. "last_2_years"); otherwise
      it is assembled from the single-year columns. An absent column reads as all missing.
    - `designations[name]`: (held, known) boolean arrays; an absent designation is unknown.
    - `judgements[text]`: recorded human judgements for 人工判断("text"), same shape.
    - `years_established` (float, NaN missing) or `established` (datetime64[D], NaT missing)
      plus `as_of`: the source of 成立年限.
    - `sources[(identifier, period)]`: optional {enterprise_id: text} shown in explanations.
    - `expired[name]`: optional {enterprise_id: date} of titles that lapsed before `as_of`, so a
      trace reads "已于 2025-12-31 到期" rather than just "未持有".
    """

    enterprise_ids: np.ndarray
    columns: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    designations: dict[str, BoolColumn] = field(default_factory=dict)
    judgements: dict[str, BoolColumn] = field(default_factory=dict)
    established: np.ndarray | None = None
    years_established: np.ndarray | None = None
    as_of: date | None = None
    sources: Mapping[tuple[str, str], Mapping[int, Any]] = field(default_factory=dict)
    expired: Mapping[str, Mapping[int, date]] = field(default_factory=dict)
    _index: dict[int, int] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.enterprise_ids = np.asarray(self.enterprise_ids, dtype=np.int64)
        n = len(self.enterprise_ids)
        for key, col in self.columns.items():
            col = np.asarray(col, dtype=np.float64)
            if col.shape[0] != n:
                raise ValueError(f"列 {key} 的行数 {col.shape[0]} 与企业数 {n} 不一致")
            self.columns[key] = col
        self._complete: dict[tuple[str, str], tuple[np.ndarray, bool]] = {}

    @property
    def size(self) -> int:
        return len(self.enterprise_ids)

    def row_of(self, enterprise_id: int) -> int:
        """Row index of an enterprise; raises KeyError if it is not in the snapshot."""
        if self._index is None:
            self._index = {int(e): i for i, e in enumerate(self.enterprise_ids)}
        return self._index[int(enterprise_id)]

    def column(self, identifier: str, period: str) -> np.ndarray:
        """A single-year column, or a window as an (n, years) array; missing -> NaN."""
        col = self.columns.get((identifier, period))
        if col is not None:
            return col
        years = window_years(period)
        if years:
            return np.column_stack([self.column(identifier, y) for y in years])
        return np.full(self.size, np.nan)

    def designation(self, name: str) -> BoolColumn:
        """(held, known) for a designation; unknown everywhere when the snapshot lacks it."""
        found = self.designations.get(name)
        if found is None:
            z = np.zeros(self.size, dtype=bool)
            return z, z
        held, known = found
        held = np.asarray(held, dtype=bool)
        known = np.ones(self.size, dtype=bool) if known is None else np.asarray(known, dtype=bool)
        return held & known, known

    def judgement(self, text: str) -> BoolColumn:
        """Recorded judgements for 人工判断(text); unknown where nobody has judged."""
        found = self.judgements.get(text)
        if found is None:
            z = np.zeros(self.size, dtype=bool)
            return z, z
        value, known = found
        value = np.asarray(value, dtype=bool)
        known = np.ones(self.size, dtype=bool) if known is None else np.asarray(known, dtype=bool)
        return value & known, known

    def years_since_established(self) -> np.ndarray:
        """Completed whole years from establishment to `as_of` (NaN when unknown)."""
        if self.years_established is not None:
            return np.asarray(self.years_established, dtype=np.float64)
        if self.established is None or self.as_of is None:
            return np.full(self.size, np.nan)
        est = np.asarray(self.established, dtype="datetime64[D]")
        missing = np.isnat(est)
        est_safe = np.where(missing, np.datetime64(self.as_of, "D"), est)
        years = est_safe.astype("datetime64[Y]").astype(np.int64) + 1970
        month_start = est_safe.astype("datetime64[M]")
        months = month_start.astype(np.int64) % 12 + 1
        days = (est_safe - month_start).astype(np.int64) + 1
        full = self.as_of.year - years
        # Not yet reached the anniversary this year: one year fewer.
        before = (self.as_of.month < months) | ((self.as_of.month == months) & (self.as_of.day < days))
        out = (full - before.astype(np.int64)).astype(np.float64)
        out[missing] = np.nan
        return out

    # -- per-enterprise reads (the explanation path reads one row, not whole columns) ----
    def value_at(self, identifier: str, period: str, row: int) -> float | tuple[float, ...]:
        """One enterprise's value (a tuple for a window, oldest year first); NaN if missing."""
        col = self.columns.get((identifier, period))
        if col is not None:
            raw = col[row]
            return tuple(float(v) for v in raw) if col.ndim == 2 else float(raw)
        years = window_years(period)
        if years:
            return tuple(float(self.value_at(identifier, y, row)) for y in years)  # type: ignore[arg-type]
        return float("nan")

    @staticmethod
    def _tri_at(found: BoolColumn | None, row: int) -> bool | None:
        if found is None:
            return None
        value, known = found
        if known is not None and not bool(known[row]):
            return None
        return bool(value[row])

    def designation_at(self, name: str, row: int) -> bool | None:
        """Whether one enterprise holds a designation; None when unknown."""
        return self._tri_at(self.designations.get(name), row)

    def judgement_at(self, text: str, row: int) -> bool | None:
        """One enterprise's recorded judgement; None when nobody has judged."""
        return self._tri_at(self.judgements.get(text), row)

    def years_established_at(self, row: int) -> float:
        """Completed whole years from establishment to `as_of` for one enterprise."""
        if self.years_established is not None:
            return float(self.years_established[row])
        if self.established is None or self.as_of is None:
            return float("nan")
        raw = np.asarray(self.established, dtype="datetime64[D]")[row]
        if np.isnat(raw):
            return float("nan")
        est: date = raw.astype(object)
        before = (self.as_of.month, self.as_of.day) < (est.month, est.day)
        return float(self.as_of.year - est.year - (1 if before else 0))

    def source_of(self, identifier: str, period: str, enterprise_id: int) -> Any:
        """Where a value came from (import batch, user edit...), if the caller supplied it."""
        by_enterprise = self.sources.get((identifier, period))
        return None if by_enterprise is None else by_enterprise.get(int(enterprise_id))

    def complete(self, identifier: str, period: str, column: np.ndarray) -> bool:
        """Whether a column has no missing (or infinite) value, worked out once per column.

        The answer is kept with the array it was computed on: replacing a column in
        ``columns`` is noticed; columns are not changed in place once evaluated.
        """
        key = (identifier, period)
        found = self._complete.get(key)
        if found is not None and found[0] is column:
            return found[1]
        with np.errstate(all="ignore"):
            whole = bool(np.isfinite(np.add.reduce(column, axis=None))) if column.size else True
        self._complete[key] = (column, whole)
        return whole

    def expiry_of(self, name: str, enterprise_id: int) -> date | None:
        """The date a designation the enterprise no longer holds expired, if recorded."""
        by_enterprise = self.expired.get(name)
        return None if by_enterprise is None else by_enterprise.get(int(enterprise_id))

    def take(self, rows: np.ndarray | list[int]) -> Snapshot:
        """A snapshot restricted to some rows (same columns, same date)."""
        idx = np.asarray(rows, dtype=np.int64)

        def pick(col: BoolColumn) -> BoolColumn:
            return np.asarray(col[0])[idx], None if col[1] is None else np.asarray(col[1])[idx]

        return Snapshot(
            enterprise_ids=self.enterprise_ids[idx],
            columns={k: v[idx] for k, v in self.columns.items()},
            designations={k: pick(v) for k, v in self.designations.items()},
            judgements={k: pick(v) for k, v in self.judgements.items()},
            established=None if self.established is None else np.asarray(self.established)[idx],
            years_established=None if self.years_established is None else self.years_established[idx],
            as_of=self.as_of,
            sources=self.sources,
            expired=self.expired,
        )
