"""Drafting quality on the annotated corpus, and the time to draft a 6,000-character document.

Prints BENCH supervision.draft_recall (share of annotated targets found with the right value,
unit and comparator), supervision.draft_precision (share of proposed targets that are annotated
targets) and supervision.draft_ms (median of several runs on a 6,000-character document).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections import Counter
from pathlib import Path

import _setup  # noqa: F401  (puts the project on sys.path)

from qiangxian.supervision.drafting import draft

CORPUS = Path(__file__).resolve().parent / "corpus" / "supervision"


def _key(value: str, unit: str, comparator: str) -> tuple:
    return (str(float(value)), unit, comparator)


def main() -> None:
    found = expected = proposed = right = 0
    texts = []
    for path in sorted(CORPUS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        texts.append(doc["text"])
        result = draft(doc["text"], dt.date.fromisoformat(doc["date"]))
        gold = Counter(_key(t["value"], t["unit"], t["comparator"]) for t in doc["targets"])
        got = Counter(_key(t.value, t.unit, t.comparator) for t in result.targets)
        hits = sum((gold & got).values())
        found += hits
        right += hits
        expected += sum(gold.values())
        proposed += sum(got.values())
    recall = found / expected * 100 if expected else 0
    precision = right / proposed * 100 if proposed else 0
    big = ""
    while len(big) < 6000:
        big += "\n".join(texts) + "\n"
    big = big[:6000]
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        draft(big, dt.date(2026, 2, 20))
        runs.append((time.perf_counter() - start) * 1000)
    print(f"# corpus: {len(texts)} documents, {expected} annotated targets, {proposed} proposed")
    print(f"BENCH supervision.draft_recall {recall:.1f} %")
    print(f"BENCH supervision.draft_precision {precision:.1f} %")
    print(f"BENCH supervision.draft_ms {statistics.median(runs):.1f} ms")


if __name__ == "__main__":
    main()
