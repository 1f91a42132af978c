"""All built-in tier rule sets over 100,000 enterprises, snapshot built from the database included.

Set-up (not timed): the demo's units, enterprises and titles at province scale, then facts
written straight to the tables: for each enterprise and each source (statistics bureau, tax,
power) the months January-November of this year and December of the two years before, two
years of annual facts, and assessment data (values, qualifications, judgements) for half of
them. Timed:

- ``rules.all_tiers_100k``: build_snapshot over every enterprise plus the evaluation of every
  tier (and the SME size class), with near/gap classification, median of 3 runs;
- ``rules.explain_one``: one enterprise's full evaluation as the tier tab computes it (access
  check, snapshot with sources, traces for every tier), median of 20 runs.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import numpy as np
from _setup import report, setup

N = 100_000


def _facts(ids: np.ndarray, today: dt.date) -> None:
    from django.utils import timezone

    from qiangxian.core.bulk import bulk_insert
    from qiangxian.core.models import User
    from qiangxian.statistics.figures import MONTHLY_FIGURES
    from qiangxian.statistics.models import AnnualFact, ImportBatch, ImportProfile, MonthlyFact
    from qiangxian.tiers import tiers as tier_defs
    from qiangxian.tiers.models import (
        AssessmentAward,
        AssessmentDesignation,
        AssessmentJudgement,
        AssessmentValue,
    )

    rng = np.random.default_rng(7)
    n = len(ids)
    office = User.objects.get(username="office")
    profile = ImportProfile.objects.create(name="基准测试")
    batch = ImportBatch.objects.create(
        profile=profile, source="stats", file_name="bench.xlsx", status="committed", created_by=office
    )
    revenue = np.exp(rng.uniform(np.log(5e5), np.log(6e8), n))
    rd_share = rng.uniform(0, 0.05, n)
    months = [dt.date(today.year - 2, 12, 1), dt.date(today.year - 1, 12, 1)]
    months += [dt.date(today.year, m, 1) for m in range(1, today.month)]
    id_list = ids.tolist()
    for source in ("stats", "tax", "power"):
        codes = [c for c, f in MONTHLY_FIGURES.items() if f.source == source]
        columns = ["enterprise_id", "month", "source", "batch_id", "above_scale", "combined_jan_feb"]
        columns += [f"{c}_ytd" for c in codes]
        for month in months:
            share = 1.0 if month.month == 12 else month.month / 12
            growth = 1.0 if month.year == today.year else 0.9 ** (today.year - month.year)
            base = revenue * share * growth
            parts = []
            for code in codes:
                factor = {"rd_expense": rd_share, "employees": 1 / 3e5, "electricity_kwh": 1 / 60}.get(
                    code, 1.0
                )
                parts.append(np.round(base * factor, 2).tolist())
            rows = (
                (pk, month, source, batch.pk, False, False, *(p[i] for p in parts))
                for i, pk in enumerate(id_list)
            )
            bulk_insert(MonthlyFact, columns, rows)
    annual_cols = [
        "enterprise_id",
        "year",
        "source",
        "batch_id",
        "total_assets",
        "total_liabilities",
        "ip_class1",
        "rd_staff",
    ]
    for back in (1, 2):
        assets = np.round(revenue * 1.2, 2).tolist()
        debts = np.round(revenue * rng.uniform(0.3, 0.9, n), 2).tolist()
        ip = rng.poisson(1.0, n).tolist()
        staff = rng.integers(0, 40, n).tolist()
        bulk_insert(
            AnnualFact,
            annual_cols,
            (
                (pk, today.year - back, "stats", batch.pk, assets[i], debts[i], ip[i], staff[i])
                for i, pk in enumerate(id_list)
            ),
        )
    now = timezone.now()
    assessed = ids[rng.random(n) < 0.5].tolist()
    value_rows = []
    for pk in assessed:
        value_rows.append(
            (pk, "niche_market_years", today.year, float(rng.integers(1, 15)), "申报材料", office.pk, now)
        )
        value_rows.append(
            (pk, "srdi_quality_score", today.year, float(rng.uniform(30, 80)), "平台", office.pk, now)
        )
        value_rows.append(
            (pk, "tech_staff", today.year - 1, float(rng.integers(0, 60)), "花名册", office.pk, now)
        )
    bulk_insert(
        AssessmentValue,
        ["enterprise_id", "indicator", "year", "value", "source_note", "entered_by_id", "entered_at"],
        value_rows,
    )
    bulk_insert(
        AssessmentDesignation,
        ["enterprise_id", "name", "held", "evidence", "recorded_by_id", "recorded_at"],
        [
            (pk, name, False, "查询", office.pk, now)
            for pk in assessed
            for name in ("经营异常名录", "严重失信主体名单", tier_defs.AWARDS_COMPLETE)
        ],
    )
    # Awards with level, rank and date (counted against the evaluation date) for a few.
    awarded = ids[rng.random(n) < 0.03].tolist()
    bulk_insert(
        AssessmentAward,
        ["enterprise_id", "name", "level", "rank", "awarded_on", "evidence", "recorded_by_id", "recorded_at"],
        [
            (
                pk,
                "省科学技术进步奖",
                "national" if rng.random() < 0.2 else "provincial",
                int(rng.integers(1, 7)),
                today - dt.timedelta(days=int(rng.integers(30, 365 * 6))),
                "授奖文件",
                office.pk,
                now,
            )
            for pk in awarded
        ],
    )
    texts = [t for t, _ in tier_defs.judgement_texts()][:4]
    bulk_insert(
        AssessmentJudgement,
        ["enterprise_id", "criterion", "satisfied", "reason", "judged_on", "judged_by_id"],
        [(pk, t, True, "核实", today, office.pk) for pk in assessed for t in texts],
    )


def main() -> None:
    # QX_BENCH_REUSE=1 keeps the database of the previous run (the set-up takes minutes).
    reuse = os.environ.get("QX_BENCH_REUSE") == "1"
    setup(fresh=not reuse, name="bench_tiers")
    import importlib

    from django.db import transaction
    from django.utils import timezone

    from qiangxian.core.models import User
    from qiangxian.demo.context import DemoContext
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.statistics.snapshot import build_snapshot
    from qiangxian.tiers import selectors, tiers
    from qiangxian.tiers.evaluation import evaluate_all

    today = timezone.localdate()
    if not (reuse and Enterprise.objects.exists()):
        ctx = DemoContext(seed=20260101, n_enterprises=N, password="Bench-pass-2026")
        started = time.perf_counter()
        with transaction.atomic():
            for step in ("steps_core", "steps_enterprises", "steps_registry"):
                importlib.import_module(f"qiangxian.demo.{step}").generate(ctx)
            _facts(np.array(sorted(Enterprise.objects.values_list("pk", flat=True)), dtype=np.int64), today)
        print(f"set-up: {N} enterprises in {time.perf_counter() - started:.0f} s", flush=True)
    ids = np.array(sorted(Enterprise.objects.values_list("pk", flat=True)), dtype=np.int64)

    def all_tiers():
        snap = build_snapshot(as_of=today, identifiers=tiers.rule_identifiers())
        results = evaluate_all(snap, on=today)
        for code in tiers.EXTRA_RULESETS:
            compiled = tiers.compiled(code, today)
            if compiled is not None:
                compiled.evaluate(snap)
        return snap, results

    snap, results = all_tiers()  # warm: rule sets compiled, catalogue loaded
    assert snap.size == N
    for code, ev in results.items():
        print(f"  {code} {ev.ruleset.version}: {ev.counts()}", flush=True)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        all_tiers()
        times.append(time.perf_counter() - start)
    report("rules.all_tiers_100k", statistics.median(times), "s")

    office = User.objects.get(username="office")
    pk = int(ids[len(ids) // 2])
    selectors.enterprise_evaluation(user=office, pk=pk)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        result = selectors.enterprise_evaluation(user=office, pk=pk)
        times.append(time.perf_counter() - start)
    assert len(result.checks) == len(tiers.TIERS)
    report("rules.explain_one", statistics.median(times) * 1000, "ms")


if __name__ == "__main__":
    main()
