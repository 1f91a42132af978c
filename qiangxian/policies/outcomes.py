"""How a match run is kept: one packed row per clause (:class:`ClauseOutcome`), rows per enterprise
(:class:`Match`) written from it only where a list, an export or a notice needs them.

A run of 100 clauses over 100,000 enterprises keeps ~700,000 met, unknown and near-miss results;
writing them as rows took most of a run. The packed row holds the same facts as arrays (enterprise,
outcome, near, amounts, the value short of a bound, which data are missing) plus the few texts
they are written with, so the gap and missing-data texts are formatted when read, from numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction

from qiangxian.core.bulk import bulk_insert

from .calc import MET, NOT_MET, UNKNOWN, ClauseResult, GapPart, gap_text
from .choices import MatchOutcome
from .models import ClauseOutcome, ClauseVersion, EnterpriseSlice, Match, MatchRun

# Array name -> dtype, in the order they are packed.
ARRAYS = {
    "enterprise": "<i8",
    "outcome": "i1",
    "near": "?",
    "gross": "<f8",
    "amount": "<f8",
    "gap_part": "i1",
    "gap_value": "<f8",
    "missing": "<i8",
    "note": "<i4",  # index into texts["note_texts"], -1: none
}
# A slice (:class:`EnterpriseSlice`) holds the same arrays plus, per row, its clause, for the
# enterprises of one block of ids.
# Within a slice the enterprise is its offset in the block and the clause its index among the
# slice's clauses (sorted ids, the keys of its texts): 12 bytes a row less to write.
SLICE_ARRAYS = {**ARRAYS, "enterprise": "<u2", "clause": "<u2"}
SLICE_BITS = 10
MAX_LABELS = 62  # missing-data labels per clause a bit mask holds
LABELS = {MET: MatchOutcome.MET, NOT_MET: MatchOutcome.NOT_MET, UNKNOWN: MatchOutcome.UNKNOWN}


def pack(arrays: dict[str, np.ndarray], spec: dict[str, str] = ARRAYS) -> tuple[list, bytes]:
    """(layout, bytes) of the arrays, in ``spec`` order."""
    layout, chunks = [], []
    for name, dtype in spec.items():
        a = np.ascontiguousarray(arrays[name], dtype=dtype)
        layout.append([name, dtype, len(a)])
        chunks.append(a.tobytes())
    return layout, b"".join(chunks)


def unpack(layout: list, data) -> dict[str, np.ndarray]:
    """The arrays back from :func:`pack` (read-only views over the stored bytes)."""
    buf = bytes(data)
    out, offset = {}, 0
    for name, dtype, length in layout:
        dt = np.dtype(dtype)
        out[name] = np.frombuffer(buf, dtype=dt, count=length, offset=offset)
        offset += dt.itemsize * length
    return out


def kept_rows(result: ClauseResult) -> np.ndarray:
    """Rows of the snapshot worth keeping: met, unknown for want of data, near misses.

    An unknown that only waits for a person's judgement (人工判断) is every enterprise of a
    快申快享 clause: it is decided by the application, not kept as a match.
    """
    data_missing = np.zeros(len(result.outcome), dtype=bool)
    for label, mask in result.missing.items():
        if not label.startswith("人工判断"):
            data_missing |= mask
    met = result.outcome == MET
    return np.flatnonzero(met | ((result.outcome == UNKNOWN) & data_missing) | result.near)


def outcome_row(run: MatchRun, result: ClauseResult, ids: np.ndarray) -> ClauseOutcome:
    """The packed row of one clause's result (not saved); its arrays stay on ``.arrays``."""
    cc = result.compiled
    keep = kept_rows(result)
    labels = list(result.missing)[:MAX_LABELS]
    bits = np.zeros(len(keep), dtype=np.int64)
    for k, label in enumerate(labels):
        bits |= result.missing[label][keep].astype(np.int64) << k
    position = np.full(len(result.outcome), -1, dtype=np.int64)
    position[keep] = np.arange(len(keep))
    note_texts: dict[str, int] = {}
    note = np.full(len(keep), -1, dtype=np.int32)
    if result.notes:
        rows = np.fromiter(result.notes, dtype=np.int64, count=len(result.notes))
        kept = position[rows] >= 0
        texts = list(result.notes.values())
        codes = [note_texts.setdefault(texts[k], len(note_texts)) for k in np.flatnonzero(kept).tolist()]
        note[position[rows[kept]]] = codes
    met = result.outcome == MET
    arrays = {
        "enterprise": ids[keep],
        "outcome": result.outcome[keep],
        "near": result.near[keep],
        "gross": np.where(met, np.round(result.gross, 2), np.nan)[keep],
        "amount": np.where(met, np.round(result.amount, 2), np.nan)[keep],
        "gap_part": result.gap_part[keep],
        "gap_value": result.gap_value[keep],
        "missing": bits,
        "note": note,
    }
    layout, data = pack(arrays)
    row = ClauseOutcome(
        run=run,
        clause_id=cc.clause_id,
        clause_version_id=cc.version_id,
        met_count=int(np.count_nonzero(met)),
        near_count=int(np.count_nonzero(result.near)),
        unknown_count=int(np.count_nonzero(result.outcome == UNKNOWN)),
        cost=Decimal(str(round(float(np.nansum(np.where(met, result.amount, 0.0))), 2))),
        layout=layout,
        texts={
            "gaps": [p.as_json() for p in result.gap_parts],
            "missing": labels,
            "note_texts": list(note_texts),
        },
        data=data,
    )
    row.arrays = arrays
    return row


def slice_rows(run: MatchRun, outcomes: list[ClauseOutcome]) -> list[EnterpriseSlice]:
    """The run's kept results regrouped by blocks of 2**SLICE_BITS enterprise ids (not saved).

    ``outcomes`` carry their arrays (from :func:`outcome_row`). Within a slice the rows are in
    enterprise order, so one enterprise's rows are found by binary search.
    """
    if not outcomes:
        return []
    parts = {name: np.concatenate([o.arrays[name] for o in outcomes]) for name in ARRAYS}
    parts["clause"] = np.concatenate(
        [np.full(len(o.arrays["enterprise"]), o.clause_id, dtype=np.int64) for o in outcomes]
    )
    by_clause = {o.clause_id: o for o in outcomes}
    order = np.argsort(parts["enterprise"], kind="stable")
    parts = {name: a[order] for name, a in parts.items()}
    blocks = parts["enterprise"] >> SLICE_BITS
    parts["enterprise"] = parts["enterprise"] & ((1 << SLICE_BITS) - 1)
    edges = np.flatnonzero(np.diff(blocks)) + 1
    starts = np.concatenate([[0], edges]).tolist()
    ends = [*edges.tolist(), len(blocks)]
    out = []
    for start, end in zip(starts, ends, strict=True):
        if start == end:
            continue
        rows = {name: a[start:end] for name, a in parts.items()}
        present, rows["clause"] = np.unique(rows["clause"], return_inverse=True)
        layout, data = pack(rows, SLICE_ARRAYS)
        texts = {str(c): by_clause[c].texts for c in present.tolist()}
        out.append(EnterpriseSlice(run=run, block=int(blocks[start]), layout=layout, texts=texts, data=data))
    return out


@dataclass
class Unpacked:
    """One clause's kept results, with the texts written from the numbers on demand."""

    outcome: ClauseOutcome
    arrays: dict[str, np.ndarray]

    @classmethod
    def of(cls, outcome: ClauseOutcome) -> Unpacked:
        return cls(outcome, unpack(outcome.layout, outcome.data))

    def positions_of(self, enterprise_id: int) -> np.ndarray:
        return np.flatnonzero(self.arrays["enterprise"] == enterprise_id)

    def note(self, pos: int) -> str:
        if "note" in self.arrays:
            k = int(self.arrays["note"][pos])
            return self.outcome.texts["note_texts"][k] if k >= 0 else ""
        # Runs kept before the note array: positions listed per text.
        for text, positions in self.outcome.texts.get("notes", {}).items():
            if pos in positions:
                return text
        return ""

    def notes(self) -> dict[int, str] | None:
        """Position -> note of runs kept before the note array (None: read per row by :meth:`note`)."""
        if "note" in self.arrays:
            return None
        return {p: text for text, ps in self.outcome.texts.get("notes", {}).items() for p in ps}

    def gap(self, pos: int, parts: list[GapPart] | None = None) -> str:
        k = int(self.arrays["gap_part"][pos])
        if k < 0:
            return ""
        parts = parts or [GapPart.from_json(p) for p in self.outcome.texts.get("gaps", [])]
        return gap_text(parts[k], float(self.arrays["gap_value"][pos]))

    def missing(self, pos: int) -> str:
        if self.arrays["outcome"][pos] != UNKNOWN:
            return ""
        bits = int(self.arrays["missing"][pos])
        labels = self.outcome.texts.get("missing", [])
        return "、".join(label for k, label in enumerate(labels) if bits >> k & 1)

    def match(self, pos: int, *, notes: dict[int, str] | None = None, parts=None) -> Match:
        """An unsaved :class:`Match` as the stored row would read."""
        a = self.arrays
        o = self.outcome
        note = notes.get(pos, "") if notes is not None else self.note(pos)
        return Match(
            run_id=o.run_id,
            clause_id=o.clause_id,
            clause_version_id=o.clause_version_id,
            enterprise_id=int(a["enterprise"][pos]),
            outcome=LABELS[int(a["outcome"][pos])],
            near=bool(a["near"][pos]),
            gross_amount=money_of(a["gross"][pos]),
            amount=money_of(a["amount"][pos]),
            note=note[:300],
            missing=self.missing(pos)[:500],
            gap=self.gap(pos, parts)[:500],
        )


def money_of(value) -> Decimal | None:
    value = float(value)
    return None if value != value else Decimal(str(round(value, 2)))


MATCH_COLUMNS = (
    "run_id",
    "clause_id",
    "clause_version_id",
    "enterprise_id",
    "outcome",
    "near",
    "gross_amount",
    "amount",
    "note",
    "missing",
    "gap",
)


def _tuples(u: Unpacked):
    a, o = u.arrays, u.outcome
    notes = u.notes()
    parts = [GapPart.from_json(p) for p in o.texts.get("gaps", [])]
    gross, amount = a["gross"].tolist(), a["amount"].tolist()
    for pos, (ent, outcome, near) in enumerate(
        zip(a["enterprise"].tolist(), a["outcome"].tolist(), a["near"].tolist(), strict=True)
    ):
        g, m = gross[pos], amount[pos]
        yield (
            o.run_id,
            o.clause_id,
            o.clause_version_id,
            ent,
            LABELS[outcome],
            near,
            None if g != g else g,
            None if m != m else m,
            (notes.get(pos, "") if notes is not None else u.note(pos))[:300],
            u.missing(pos)[:500],
            u.gap(pos, parts)[:500],
        )


def materialise(run: MatchRun, clause_ids=None) -> int:
    """Write the :class:`Match` rows of the run's clauses (all, or those given) not yet written.

    Each packed row is claimed before its rows are written, so two readers do not write twice.
    Returns how many rows were written.
    """
    pending = ClauseOutcome.objects.filter(run=run, materialised=False)
    if clause_ids is not None:
        pending = pending.filter(clause_id__in=list(clause_ids))
    written = 0
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            if not ClauseOutcome.objects.filter(pk=pk, materialised=False).update(materialised=True):
                continue
            written += bulk_insert(
                Match, MATCH_COLUMNS, _tuples(Unpacked.of(ClauseOutcome.objects.get(pk=pk)))
            )
    return written


# What one enterprise's page shows of each clause (the rest of the rows is not read).
PAGE_FIELDS = (
    "mode",
    "clause_id",
    "clause__number",
    "clause__title",
    "clause__sort_order",
    "clause__policy_id",
    "clause__policy__title",
)


def enterprise_matches(run: MatchRun, enterprise_id: int) -> list[Match]:
    """The kept results of one enterprise in a run, as unsaved :class:`Match` rows.

    Reads the one slice holding the enterprise (two queries); runs kept before slices existed
    read every clause's arrays.
    """
    if not run.sliced:
        return _enterprise_matches_unsliced(run, enterprise_id)
    piece = (
        EnterpriseSlice.objects.filter(run=run, block=enterprise_id >> SLICE_BITS)
        .values_list("layout", "data", "texts")
        .first()
    )
    if piece is None:
        return []
    a = unpack(piece[0], piece[1])
    offset = enterprise_id & ((1 << SLICE_BITS) - 1)
    lo, hi = np.searchsorted(a["enterprise"], [offset, offset + 1]).tolist()
    if lo == hi:
        return []
    present = np.array(sorted(int(c) for c in piece[2]), dtype=np.int64)
    rows = {name: arr[lo:hi] for name, arr in a.items()}
    rows["clause"] = present[rows["clause"]]
    rows["enterprise"] = np.full(hi - lo, enterprise_id, dtype=np.int64)
    clause_ids = sorted(set(rows["clause"].tolist()))
    versions = {
        v.clause_id: v
        for v in ClauseVersion.objects.filter(pk__in=[run.versions[str(c)] for c in clause_ids])
        .select_related("clause__policy")
        .only(*PAGE_FIELDS)
    }
    outcomes = {
        c: ClauseOutcome(run_id=run.pk, clause_id=c, clause_version_id=versions[c].pk, texts=piece[2][str(c)])
        for c in clause_ids
    }
    out = []
    for row, clause_id in enumerate(rows["clause"].tolist()):
        m = Unpacked(outcomes[clause_id], rows).match(row)
        m.clause_version = versions[clause_id]
        m.clause = m.clause_version.clause
        out.append(m)
    out.sort(key=lambda m: (m.clause.policy_id, m.clause.sort_order, m.clause_id))
    return out


def _enterprise_matches_unsliced(run: MatchRun, enterprise_id: int) -> list[Match]:
    out = []
    outcomes = ClauseOutcome.objects.filter(run=run).select_related("clause__policy", "clause_version")
    for o in outcomes.order_by("clause__policy_id", "clause__sort_order", "clause_id"):
        u = Unpacked.of(o)
        for pos in u.positions_of(enterprise_id).tolist():
            m = u.match(pos)
            m.clause, m.clause_version = o.clause, o.clause_version
            out.append(m)
    return out


class PackedMatches:
    """Read-only list of a run's kept results (unsaved :class:`Match` rows built when read).

    Pages and the API read a run through this instead of writing its rows: a GET writes nothing.
    Parts are (clause's unpacked results, positions selected), in clause order; rows are built
    only for what is sliced out or iterated.
    """

    def __init__(self, parts: list[tuple[Unpacked, np.ndarray]]):
        self.parts = parts

    @classmethod
    def of_runs(cls, runs, *, clause_ids=None, enterprise_ids: np.ndarray | None = None) -> PackedMatches:
        """The kept results of the runs (of the clauses given), of the enterprises given (None: all)."""
        parts = []
        for run in runs:
            outcomes = ClauseOutcome.objects.filter(run=run)
            outcomes = outcomes.select_related("clause__policy", "clause_version")
            if clause_ids is not None:
                outcomes = outcomes.filter(clause_id__in=list(clause_ids))
            for o in outcomes.order_by("clause__policy_id", "clause__sort_order", "clause_id"):
                u = Unpacked.of(o)
                ents = u.arrays["enterprise"]
                if enterprise_ids is None:
                    idx = np.arange(len(ents))
                else:
                    idx = np.flatnonzero(np.isin(ents, enterprise_ids, assume_unique=False))
                parts.append((u, idx))
        return cls(parts)

    def where(self, *, outcome: int | None = None, near: bool | None = None, enterprise_id=None):
        """The rows with that outcome (MET, NOT_MET, UNKNOWN), near flag, enterprise."""
        parts = []
        for u, idx in self.parts:
            keep = np.ones(len(idx), dtype=bool)
            if outcome is not None:
                keep &= u.arrays["outcome"][idx] == outcome
            if near is not None:
                keep &= u.arrays["near"][idx] == near
            if enterprise_id is not None:
                keep &= u.arrays["enterprise"][idx] == enterprise_id
            parts.append((u, idx[keep]))
        return PackedMatches(parts)

    def by_amount(self) -> PackedMatches:
        """Largest amount first (rows without an amount last), then by enterprise; one part per row
        order (the parts are merged)."""
        if len(self.parts) != 1:
            raise ValueError("by_amount orders the rows of one clause")
        u, idx = self.parts[0]
        amount = np.nan_to_num(u.arrays["amount"][idx], nan=-np.inf)
        order = np.lexsort((u.arrays["enterprise"][idx], -amount))
        return PackedMatches([(u, idx[order])])

    def __len__(self) -> int:
        return sum(len(idx) for _, idx in self.parts)

    def count(self) -> int:
        return len(self)

    def summary(self) -> dict:
        """met, near, unknown, cost (None when nothing is met), as the database would aggregate."""
        met = near = unknown = 0
        cost = 0.0
        for u, idx in self.parts:
            outcome = u.arrays["outcome"][idx]
            is_met = outcome == MET
            met += int(np.count_nonzero(is_met))
            near += int(np.count_nonzero(u.arrays["near"][idx]))
            unknown += int(np.count_nonzero(outcome == UNKNOWN))
            cost += float(np.nansum(u.arrays["amount"][idx][is_met]))
        return {"met": met, "near": near, "unknown": unknown, "cost": money_of(cost) if met else None}

    def _rows(self, start: int, stop: int):
        offset = 0
        for u, idx in self.parts:
            if offset + len(idx) <= start:
                offset += len(idx)
                continue
            if offset >= stop:
                break
            notes = u.notes()
            parts = [GapPart.from_json(p) for p in u.outcome.texts.get("gaps", [])]
            for pos in idx[max(0, start - offset) : max(0, stop - offset)].tolist():
                m = u.match(pos, notes=notes, parts=parts)
                m.clause, m.clause_version = u.outcome.clause, u.outcome.clause_version
                yield m
            offset += len(idx)

    def __getitem__(self, key):
        if isinstance(key, int):
            rows = self[key : key + 1]
            if not rows:
                raise IndexError(key)
            return rows[0]
        start, stop, _ = key.indices(len(self))
        return with_enterprises(list(self._rows(start, stop)))

    def __iter__(self):
        total, chunk = len(self), 2000
        for start in range(0, total, chunk):
            yield from self[start : start + chunk]


def with_enterprises(matches: list[Match]) -> list[Match]:
    """The matches with their enterprises attached (one query)."""
    from qiangxian.enterprises.models import Enterprise

    ids = {m.enterprise_id for m in matches}
    found = Enterprise.objects.in_bulk(list(ids)) if ids else {}
    out = []
    for m in matches:
        if m.enterprise_id in found:  # an enterprise removed since the run is left out
            m.enterprise = found[m.enterprise_id]
            out.append(m)
    return out
