"""Drafting quality: recall and precision of the clauses proposed from policy texts.

An annotated clause is *found* when one proposal's quote contains its key, every annotated
numeric condition is among the proposal's conditions (same value within 0.5%, same comparator),
and the benefit is right (kind; amount, rate, cap and tiers where annotated). Precision counts
proposals that find an annotated clause over all proposals. Reported on the whole corpus, on the
dev part (the texts the parser was corrected against) and on the held-out part (never used to
change the parser), then on the public texts alone (all, dev, held out) and on the synthetic ones
alone; it first prints how many texts of each origin and split it scores and which are held out.

Prints:
    BENCH policies.draft_recall <share> ratio
    BENCH policies.draft_precision <share> ratio
    BENCH policies.draft_recall_dev <share> ratio
    BENCH policies.draft_precision_dev <share> ratio
    BENCH policies.draft_recall_holdout <share> ratio
    BENCH policies.draft_precision_holdout <share> ratio
    BENCH policies.draft_recall_public[_dev|_holdout] <share> ratio
    BENCH policies.draft_precision_public[_dev|_holdout] <share> ratio
    BENCH policies.draft_recall_synthetic <share> ratio
    BENCH policies.draft_precision_synthetic <share> ratio
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


def check_corpus(docs) -> None:
    """Refuse a corpus whose annotations cannot be scored: unknown split or origin, a repeated id,
    a public text without its source and address, a key that is not in its text."""
    ids = [d["id"] for d in docs]
    problems = [f"repeated id {i}" for i in sorted(set(ids)) if ids.count(i) > 1]
    for doc in docs:
        if doc["split"] not in ("dev", "holdout") or doc["origin"] not in ("public", "synthetic"):
            problems.append(f"{doc['id']}: split or origin")
        if doc["origin"] == "public" and not (doc.get("source") and doc.get("url")):
            problems.append(f"{doc['id']}: public text without source or url")
        problems += [
            f"{doc['id']}: key {c['key']!r} not in text"
            for c in doc["clauses"]
            if c["key"] not in doc["text"]
        ]
    if problems:
        raise SystemExit("corpus: " + "; ".join(problems))


def main() -> None:
    setup(fresh=False, name="bench_draft")
    from policy_drafting_corpus import DOCS

    check_corpus(DOCS)
    for origin in ("public", "synthetic"):
        docs = [d for d in DOCS if d["origin"] == origin]
        held_out = [d["id"] for d in docs if d["split"] == "holdout"]
        print(
            f"  {origin}: {len(docs)} texts, {len(docs) - len(held_out)} dev, {len(held_out)} held out: "
            + ", ".join(held_out)
        )
    parts = [
        ("", DOCS),
        ("_dev", [d for d in DOCS if d["split"] == "dev"]),
        ("_holdout", [d for d in DOCS if d["split"] == "holdout"]),
        ("_public", [d for d in DOCS if d["origin"] == "public"]),
        ("_public_dev", [d for d in DOCS if d["origin"] == "public" and d["split"] == "dev"]),
        ("_public_holdout", [d for d in DOCS if d["origin"] == "public" and d["split"] == "holdout"]),
        ("_synthetic", [d for d in DOCS if d["origin"] == "synthetic"]),
    ]
    for suffix, docs in parts:
        recall, precision = score(docs)
        report(f"policies.draft_recall{suffix}", recall, "ratio")
        report(f"policies.draft_precision{suffix}", precision, "ratio")


if __name__ == "__main__":
    main()
