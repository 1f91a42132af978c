"""Drafting quality on the annotated corpus, and the time to draft a 6,000-character document.

Prints BENCH supervision.draft_recall (share of annotated targets found with the right value,
unit and comparator) and supervision.draft_precision (share of proposed targets that are
annotated targets), measured on the public documents of the corpus (``source`` is an address);
the same two figures on the dev part (``split: dev``: the documents the rules may be adjusted to)
as supervision.draft_recall_dev / draft_precision_dev; on the fresh sets
(``split: fresh1``, ``fresh2``...: documents gathered and annotated after the rules were written,
never used to adjust them) together as supervision.draft_recall_fresh / draft_precision_fresh and
each apart (draft_recall_fresh1...); and supervision.draft_ms (median of several runs on a
6,000-character document).

``--verbose`` lists, per document, the annotated targets missed and the proposals not annotated;
``--split dev`` limits that listing, and the figures printed, to the documents the rules may be
adjusted to (tune with ``--verbose --split dev``: the fresh sets are then not even scored, so that
their figures are read only once, at the end of a round of changes).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import _setup  # noqa: F401  (puts the project on sys.path)

from qiangxian.supervision.drafting import draft

CORPUS = Path(__file__).resolve().parent / "corpus" / "supervision"


def _key(value: str, unit: str, comparator: str) -> tuple:
    return (str(float(value)), unit, comparator)


def _score(docs: list[dict], verbose: bool = False, split: str = "") -> tuple[float, float, int, int]:
    expected = proposed = hits = 0
    for doc in docs:
        result = draft(doc["text"], dt.date.fromisoformat(doc["date"]))
        gold = Counter(_key(t["value"], t["unit"], t["comparator"]) for t in doc["targets"])
        got = Counter(_key(t.value, t.unit, t.comparator) for t in result.targets)
        hits += sum((gold & got).values())
        expected += sum(gold.values())
        proposed += sum(got.values())
        shown = verbose and (not split or doc.get("split") == split)
        if shown and (gold - got or got - gold):
            print(f"# {doc['name']}: missed {sorted((gold - got).elements())}")
            print(f"#   extra {sorted((got - gold).elements())}")
    recall = hits / expected * 100 if expected else 0.0
    precision = hits / proposed * 100 if proposed else 0.0
    return recall, precision, expected, proposed


def main() -> None:
    verbose = "--verbose" in sys.argv
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv[:-1] else ""
    docs = []
    for path in sorted(CORPUS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["name"] = path.stem
        docs.append(doc)
    public = [d for d in docs if d["source"].startswith("http")]
    if split:
        chosen = [d for d in public if d.get("split") == split]
        recall, precision, expected, proposed = _score(chosen, verbose, split)
        print(f"# {split}: {len(chosen)} documents, {expected} annotated targets, {proposed} proposed")
        print(f"BENCH supervision.draft_recall_{split} {recall:.1f} %")
        print(f"BENCH supervision.draft_precision_{split} {precision:.1f} %")
        return
    dev = [d for d in public if d.get("split") == "dev"]
    fresh = [d for d in public if d.get("split", "").startswith("fresh")]
    fresh_splits = sorted({d["split"] for d in fresh})
    synthetic = [d for d in docs if not d["source"].startswith("http")]
    recall, precision, expected, proposed = _score(public, verbose, split)
    d_recall, d_precision, d_expected, d_proposed = _score(dev)
    s_recall, s_precision, _, _ = _score(synthetic)
    f_recall, f_precision, f_expected, f_proposed = _score(fresh)
    per_fresh = {name: _score([d for d in fresh if d["split"] == name]) for name in fresh_splits}
    big = ""
    while len(big) < 6000:
        big += "\n".join(d["text"] for d in docs) + "\n"
    big = big[:6000]
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        draft(big, dt.date(2026, 2, 20))
        runs.append((time.perf_counter() - start) * 1000)
    print(
        f"# public documents: {len(public)} ({len(dev)} dev), "
        f"{expected} annotated targets, {proposed} proposed; dev: {d_expected} annotated, "
        f"{d_proposed} proposed"
    )
    print(
        f"# fresh documents: {len(fresh)} ({', '.join(fresh_splits)}), "
        f"{f_expected} annotated targets, {f_proposed} proposed"
    )
    print(f"# synthetic documents: {len(synthetic)}, recall {s_recall:.1f} %, precision {s_precision:.1f} %")
    print(f"BENCH supervision.draft_recall {recall:.1f} %")
    print(f"BENCH supervision.draft_precision {precision:.1f} %")
    print(f"BENCH supervision.draft_recall_dev {d_recall:.1f} %")
    print(f"BENCH supervision.draft_precision_dev {d_precision:.1f} %")
    print(f"BENCH supervision.draft_recall_fresh {f_recall:.1f} %")
    print(f"BENCH supervision.draft_precision_fresh {f_precision:.1f} %")
    for name, (recall_n, precision_n, expected_n, proposed_n) in per_fresh.items():
        print(f"# {name}: {expected_n} annotated, {proposed_n} proposed")
        print(f"BENCH supervision.draft_recall_{name} {recall_n:.1f} %")
        print(f"BENCH supervision.draft_precision_{name} {precision_n:.1f} %")
    print(f"BENCH supervision.draft_ms {statistics.median(runs):.1f} ms")


if __name__ == "__main__":
    main()
