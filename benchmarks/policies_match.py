"""Policy matching at province scale: 100 clauses × 100,000 enterprises, and one enterprise's page.

Set-up (not timed): the demo's units, 100,000 enterprises written straight to the table, 100
published clauses of the usual shapes (R&D, revenue, tax thresholds, titles, rates with caps,
tiers, exclusion groups with 就高不就低, budgets), and a synthetic snapshot of the indicators
they read (lognormal money figures, ~1% missing). The snapshot is given to the run: building it
from the database is measured by ``rules.all_tiers_100k`` (same builder).

Prints:
    BENCH policies.match_100k <s> s         run_matching: every clause evaluated, exclusions,
                                             caps and budgets, met/unknown/near rows stored
    BENCH policies.engine_vs_numpy <ratio> ratio   eligibility + amounts through the engine over
                                             the same computation written by hand in numpy
    BENCH policies.enterprise_page <ms> ms  GET /policies/enterprise/<id>/ (median of 20)
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import numpy as np
from _setup import report, setup

N = int(os.environ.get("QX_BENCH_N", 100_000))
CLAUSES = 100


def _enterprises(ctx) -> np.ndarray:
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc

    town = ctx.towns[0]
    rows = [
        Enterprise(
            uscc=make_uscc("9", "1", "361129", f"B{i:07d}"),
            name=f"基准企业{i:06d}",
            town=town,
            industry_code="3311",
        )
        for i in range(N)
    ]
    Enterprise.objects.bulk_create(rows, batch_size=5000)
    return np.array(sorted(Enterprise.objects.values_list("pk", flat=True)), dtype=np.int64)


def _snapshot(ids: np.ndarray, as_of: dt.date):
    from qiangxian.rules.engine import Snapshot

    rng = np.random.default_rng(11)
    n = len(ids)

    def holes(a):
        a = a.astype(float)
        a[rng.random(n) < 0.01] = np.nan
        return a

    revenue = np.round(rng.lognormal(np.log(3e7), 1.0, n), -4)
    cols = {
        ("revenue", "last_year"): holes(revenue),
        ("revenue", "year_minus_2"): holes(revenue / rng.uniform(0.8, 1.4, n)),
        ("rd_expense", "last_year"): holes(np.round(revenue * rng.uniform(0, 0.07, n), -3)),
        ("tax_paid", "last_year"): holes(np.round(revenue * rng.uniform(0.01, 0.06, n), -3)),
        ("employees", "last_year"): holes(np.round(rng.lognormal(np.log(80), 0.9, n))),
    }
    held = rng.random(n) < 0.08
    return Snapshot(
        enterprise_ids=ids,
        columns=cols,
        designations={"高新技术企业": (held, None), "规模以上工业企业": (revenue >= 2e7, None)},
        judgements={},
        established=np.full(n, np.datetime64("2012-05-01"), dtype="datetime64[D]"),
        as_of=as_of,
    )


def _clause_specs():
    rng = np.random.default_rng(5)
    specs = []
    for k in range(CLAUSES):
        shape = k % 5
        t = int(rng.choice([300, 500, 800, 1000, 1500, 2000]))
        if shape == 0:
            specs.append(
                (
                    f"研发费用@上年 >= {t}万 且 研发费用@上年 / 营业收入@上年 >= 3%",
                    "rate",
                    "0.1",
                    "研发费用@上年",
                    100,
                    "研发",
                )
            )
        elif shape == 1:
            specs.append((f"营业收入@上年 >= {t * 50}万", "fixed", str(10 + k), "", None, "规模"))
        elif shape == 2:
            specs.append((f"实缴税金@上年 >= {t}万", "tiers", None, "实缴税金@上年", None, ""))
        elif shape == 3:
            specs.append((f'持有("高新技术企业") 且 营业收入@上年 >= {t}万', "fixed", "10", "", None, ""))
        else:
            specs.append(
                (f"从业人员@上年 >= {t // 2}人 且 增长率(营业收入@近2年) >= 10%", "fixed", "5", "", None, "")
            )
    return specs


def _publish(office, as_of):
    from decimal import Decimal

    from qiangxian.policies import services

    policy = services.policy_save(
        actor=office, data={"title": "基准政策", "effective_from": as_of.replace(month=1, day=1)}
    )
    for k, (expr, kind, value, base, cap, group) in enumerate(_clause_specs()):
        data = {
            "title": f"条款{k + 1}",
            "effective_from": as_of.replace(month=1, day=1),
            "quote": expr,
            "eligibility": expr,
            "benefit_kind": kind,
            "mode": "auto_grant",
            "exclusion_group": group,
            "exclusion_rule": "highest" if group else "stack",
            "cap_per_enterprise_year": Decimal(cap * 10_000) if cap else None,
            "budget": Decimal(50_000_000) if k % 7 == 0 else None,
        }
        if kind == "fixed":
            data["benefit_amount"] = Decimal(value) * 10_000
        elif kind == "rate":
            data.update(benefit_rate=Decimal(value), benefit_base=base)
        else:
            data.update(benefit_base=base, benefit_tiers=[[5e6, 1e5], [1e7, 2e5], [2e7, 5e5]])
        services.clause_save(actor=office, policy=policy, data=data)
    services.policy_publish(actor=office, policy=policy)


def _numpy_reference(snap):
    """The same eligibility and amounts written by hand (complete columns, no near misses)."""
    c = snap.columns
    rev, rev2 = c[("revenue", "last_year")], c[("revenue", "year_minus_2")]
    rd, tax, emp = c[("rd_expense", "last_year")], c[("tax_paid", "last_year")], c[("employees", "last_year")]
    hightech = snap.designations["高新技术企业"][0]
    out = []
    for k, (_, _kind, value, _, cap, _) in enumerate(_clause_specs()):
        t = float(_clause_specs()[k][0].split(">= ")[1].split("万")[0].split("人")[0])
        shape = k % 5
        if shape == 0:
            met = (rd >= t * 1e4) & (rd / rev >= 0.03)
            amount = np.minimum(rd * 0.1, cap * 1e4)
        elif shape == 1:
            met = rev >= t * 1e4
            amount = np.full(len(rev), float(value) * 1e4)
        elif shape == 2:
            met = tax >= t * 1e4
            amount = np.select([tax >= 2e7, tax >= 1e7, tax >= 5e6], [5e5, 2e5, 1e5], 0.0)
        elif shape == 3:
            met = hightech & (rev >= t * 1e4)
            amount = np.full(len(rev), 1e5)
        else:
            met = (emp >= t) & (rev / rev2 - 1 >= 0.1)
            amount = np.full(len(rev), 5e4)
        out.append(np.where(met, amount, np.nan))
    return out


def main() -> None:
    setup(fresh=True, name="bench_policies")
    import importlib

    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from qiangxian.core.models import User
    from qiangxian.demo.context import DemoContext
    from qiangxian.policies import services
    from qiangxian.policies.calc import benefit_amounts
    from qiangxian.policies.services.matching import compile_open, open_versions
    from qiangxian.rules.choices import ResultType
    from qiangxian.rules.engine.vector import VectorEvaluator
    from qiangxian.rules.evaluation import evaluate_on_snapshot

    as_of = timezone.localdate()
    ctx = DemoContext(seed=20260101, n_enterprises=10, password="Bench-pass-2026")
    started = time.perf_counter()
    with transaction.atomic():
        importlib.import_module("qiangxian.demo.steps_core").generate(ctx)
        ids = _enterprises(ctx)
        office = User.objects.get(username="office")
        _publish(office, as_of)
    print(f"set-up: {N} enterprises, {CLAUSES} clauses in {time.perf_counter() - started:.0f} s", flush=True)
    snap = _snapshot(ids, as_of)

    if os.environ.get("QX_BENCH_PROFILE"):
        import cProfile
        import pstats

        services.run_matching(actor=office, as_of=as_of, snapshot=snap)  # warm: URLs, imports
        cProfile.runctx(
            "services.run_matching(actor=office, as_of=as_of, snapshot=snap)",
            globals(),
            locals(),
            "/tmp/pm.prof",
        )
        pstats.Stats("/tmp/pm.prof").sort_stats("cumulative").print_stats(45)
        return
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run = services.run_matching(actor=office, as_of=as_of, snapshot=snap)
        times.append(time.perf_counter() - start)
    print(f"  run: met {run.met_count}, near {run.near_count}, unknown {run.unknown_count}", flush=True)
    report("policies.match_100k", statistics.median(times), "s")

    compiled, _ = compile_open(open_versions(as_of))

    def engine():
        ev = VectorEvaluator(snap)
        for cc in compiled:
            tri = evaluate_on_snapshot(cc.eligibility, snap, result_type=ResultType.BOOL, as_of=as_of)
            base = ev.number(cc.base.typed) if cc.base is not None else None
            np.where(tri.outcome == 1, benefit_amounts(cc.benefit, base, snap.size), np.nan)

    def by_hand():
        _numpy_reference(snap)

    e = statistics.median([_timed(engine) for _ in range(5)])
    h = statistics.median([_timed(by_hand) for _ in range(5)])
    report("policies.engine_vs_numpy", e / h, "ratio")

    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    pk = int(ids[len(ids) // 3])
    url = f"/policies/enterprise/{pk}/"
    assert client.get(url).status_code == 200
    page = statistics.median([_timed(lambda: client.get(url)) for _ in range(20)])
    report("policies.enterprise_page", page * 1000, "ms")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
