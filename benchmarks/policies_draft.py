"""Drafting quality: recall and precision of the clauses proposed from policy texts.

An annotated clause is *found* when one proposal's quote contains its key, every annotated
numeric condition is among the proposal's conditions (same value within 0.5%, same comparator),
and the benefit is right (kind; amount, rate, cap and tiers where annotated). Precision counts
proposals that find an annotated clause over all proposals. Reported on the whole corpus, on the
dev part (the texts the parser was corrected against) and on the held-out part (never used to
change the parser); the corpus says how many texts are public ones and how many are synthetic.

Prints:
    BENCH policies.draft_recall <share> ratio
    BENCH policies.draft_precision <share> ratio
    BENCH policies.draft_recall_dev <share> ratio
    BENCH policies.draft_precision_dev <share> ratio
    BENCH policies.draft_recall_holdout <share> ratio
    BENCH policies.draft_precision_holdout <share> ratio
"""

from __future__ import annotations

import sys
from pathlib import Path

from _setup import report, setup

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def _found(annotation: dict, proposal) -> bool:
    if annotation["key"] not in proposal.quote:
        return False
    for cond in annotation["conditions"]:
        if not any(
            _close(c.value, cond["value"]) and c.comparator == cond["comparator"] for c in proposal.conditions
        ):
            return False
    want, got = annotation["benefit"], proposal.benefit
    if want["kind"] != got.kind:
        return False
    for key in ("amount", "rate", "cap"):
        if key in want and not _close(getattr(got, key), want[key]):
            return False
    return not ("tiers" in want and [[float(t), float(a)] for t, a in want["tiers"]] != got.tiers)


def score(docs) -> tuple[float, float]:
    from qiangxian.policies.drafting import propose

    annotated = found = proposed = useful = 0
    for doc in docs:
        proposals = propose(doc["text"])
        proposed += len(proposals)
        useful += sum(1 for p in proposals if any(_found(a, p) for a in doc["clauses"]))
        annotated += len(doc["clauses"])
        found += sum(1 for a in doc["clauses"] if any(_found(a, p) for p in proposals))
    return found / annotated if annotated else 0.0, useful / proposed if proposed else 0.0


def main() -> None:
    setup(fresh=False, name="bench_draft")
    from policy_drafting_corpus import DOCS

    origins = {}
    for doc in DOCS:
        origins[doc["origin"]] = origins.get(doc["origin"], 0) + 1
    held_out = [d["id"] for d in DOCS if d["split"] == "holdout"]
    print(f"  corpus: {len(DOCS)} texts {origins}; held out: {held_out}")
    recall, precision = score(DOCS)
    report("policies.draft_recall", recall, "ratio")
    report("policies.draft_precision", precision, "ratio")
    recall, precision = score([d for d in DOCS if d["split"] == "dev"])
    report("policies.draft_recall_dev", recall, "ratio")
    report("policies.draft_precision_dev", precision, "ratio")
    holdout = [d for d in DOCS if d["split"] == "holdout"]
    recall, precision = score(holdout)
    report("policies.draft_recall_holdout", recall, "ratio")
    report("policies.draft_precision_holdout", precision, "ratio")


if __name__ == "__main__":
    main()
