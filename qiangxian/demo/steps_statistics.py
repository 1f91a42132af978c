"""Demo step: three years of monthly figures, annual figures, official figures and targets.

Every figure derives from ``ctx.latent_revenue`` (this year's annual revenue): last year's and
the year before's are discounted by per-enterprise growth rates centred so the county's output
grows about 19% this year. A few enterprises stall in the last months; the size ladder leaves
some close to the 2000万 threshold on both sides.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone

from qiangxian.core.bulk import bulk_insert
from qiangxian.core.models import OrgUnit, User
from qiangxian.enterprises.models import Enterprise
from qiangxian.statistics import rollup
from qiangxian.statistics.figures import MONTHLY_FIGURES, Source
from qiangxian.statistics.models import AnnualFact, ImportBatch, MonthlyFact, OfficialFigure, Target
from qiangxian.statistics.services import default_profiles

from .context import DemoContext

LABEL = "运行监测数据（月度、年度、发布数、目标）"
THRESHOLD = 20_000_000
# Seasonal shape of a year's output (Spring Festival in January/February, a strong December).
SEASON = np.array([0.068, 0.052, 0.083, 0.084, 0.086, 0.088, 0.083, 0.084, 0.088, 0.089, 0.090, 0.105])
SEASON = SEASON / SEASON.sum()


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The month before today: the latest month the county has figures for."""
    today = today or timezone.localdate()
    return rollup.add_months(dt.date(today.year, today.month, 1), -1)


def _round(values: np.ndarray) -> list:
    return [None if np.isnan(v) else v for v in np.round(values, 2).tolist()]


def generate(ctx: DemoContext) -> None:
    """Monthly facts for every enterprise, annual facts, official figures and the county's targets."""
    rng = np.random.default_rng(ctx.seed + 17)
    end = last_complete_month()
    years = [end.year - 2, end.year - 1, end.year]
    ids = np.array(ctx.enterprise_ids, dtype=np.int64)
    n = len(ids)
    if n == 0:
        return
    latent = np.array([ctx.latent_revenue[int(i)] for i in ids])
    places = dict(Enterprise.objects.filter(pk__in=ids.tolist()).values_list("pk", "park_id"))
    in_park = np.array([places.get(int(i)) is not None for i in ids])

    # Growth this year and last: parks grow faster (they hold the county's new capacity).
    g_this = rng.normal(0.19, 0.10, n) + np.where(in_park, 0.03, -0.02)
    g_last = rng.normal(0.09, 0.08, n)
    annual = {years[2]: latent, years[1]: latent / (1 + g_this)}
    annual[years[0]] = annual[years[1]] / (1 + g_last)
    before_first = annual[years[0]] / (1 + rng.normal(0.07, 0.06, n))

    output_ratio = rng.uniform(1.01, 1.08, n)
    sales_ratio = rng.uniform(0.93, 0.995, n)
    exporter = rng.random(n) < 0.22
    export_share = np.where(exporter, rng.uniform(0.05, 0.45, n), 0.0)
    margin = rng.normal(0.055, 0.03, n)
    tax_rate = rng.uniform(0.018, 0.042, n)
    yuan_per_kwh = rng.uniform(25, 140, n)
    revenue_per_person = rng.uniform(3.0e5, 7.0e5, n)
    rd_rate = np.where(latent >= THRESHOLD, rng.uniform(0.004, 0.035, n), rng.uniform(0, 0.01, n))

    # A few mid-sized firms stop producing for the last three months.
    stalled = np.zeros(n, dtype=bool)
    candidates = np.arange(min(n, 120), min(n, 700))
    if len(candidates):
        stalled[rng.choice(candidates, size=min(8, len(candidates)), replace=False)] = True

    def monthly(year_values: np.ndarray, seed_shift: int) -> np.ndarray:
        noise = 1 + np.random.default_rng(ctx.seed + seed_shift).normal(0, 0.05, (n, 12))
        return year_values[:, None] * SEASON[None, :] * np.clip(noise, 0.7, 1.3)

    revenue_m = {y: monthly(annual[y], i) for i, y in enumerate(years)}
    revenue_m[years[0] - 1] = monthly(before_first, 9)
    # Near the 2000万 line: a few small firms accelerate this year (入规 candidates), a few
    # above-scale firms just over the line slow down (退规 risk).
    rising = np.flatnonzero((latent >= 1.55e7) & (latent < THRESHOLD))[:6]
    falling = np.flatnonzero((latent >= THRESHOLD) & (latent < 2.3e7) & ~stalled)[:5]
    revenue_m[years[2]][rising] *= 1.2
    revenue_m[years[2]][falling] *= 0.8
    end_index = end.year * 12 + end.month - 1
    for k in range(12):
        idx = years[2] * 12 + k
        if idx > end_index - 3 and idx <= end_index:
            revenue_m[years[2]][stalled, k] = 0.0

    office = ctx.users.get("office") or User.objects.filter(role="office").first() or User.objects.first()
    profiles = default_profiles(actor=office)
    batches = {}
    for source, profile in profiles.items():
        batches[source] = ImportBatch.objects.create(
            profile=profile,
            source=source,
            file_name="演示数据初始化.xlsx",
            status=ImportBatch.Status.COMMITTED,
            created_by=office,
            committed_by=office,
            committed_at=timezone.now(),
            month=end,
            county=ctx.county,
            review={"note": "演示数据"},
        )

    def figures_of(rev: np.ndarray) -> dict[str, np.ndarray]:
        output = rev * output_ratio[:, None]
        return {
            "gross_output": output,
            "sales_output": output * sales_ratio[:, None],
            "export_delivery": output * export_share[:, None],
            "revenue": rev,
            "main_revenue": rev * 0.96,
            "profit": rev * margin[:, None],
            "tax_paid": rev * tax_rate[:, None],
            "electricity_kwh": output / yuan_per_kwh[:, None],
            "rd_expense": rev * rd_rate[:, None],
        }

    by_year = {y: figures_of(revenue_m[y]) for y in [years[0] - 1, *years]}
    # One park's tax lags its output this year (tax breaks for new lines): the warning page's
    # "output, tax and electricity disagree" list has a real case to show.
    lagging_park = next((p.pk for p in ctx.parks if p.name == "白沙食品产业园"), None)
    lagging = (
        np.array([places.get(int(i)) == lagging_park for i in ids]) if lagging_park else np.zeros(n, bool)
    )
    by_year[years[2]]["tax_paid"][lagging] *= 0.82
    employees = {y: np.maximum(1, np.round(annual[y] / revenue_per_person)) for y in years}
    above_by_year = {y: annual[y] >= THRESHOLD for y in years}
    above_by_year[years[2]] = latent >= THRESHOLD

    sources = {s: [c for c, f in MONTHLY_FIGURES.items() if f.source == s] for s in Source.values}
    id_list = ids.tolist()
    for source in (Source.STATS, Source.TAX, Source.POWER):
        codes = sources[source]
        columns = ["enterprise_id", "month", "source", "batch_id", "above_scale", "combined_jan_feb"] + [
            f"{c}_{p}" for c in codes for p in ("ytd", "month", "ytd_ly", "month_ly")
        ]
        rows = []
        for year in years:
            figs, figs_ly = by_year[year], by_year[year - 1]
            cum = {c: np.cumsum(figs[c], axis=1) for c in codes if c != "employees"}
            cum_ly = {c: np.cumsum(figs_ly[c], axis=1) for c in codes if c != "employees"}
            for k in range(12):
                month = dt.date(year, k + 1, 1)
                if month > end:
                    break
                parts = []
                for c in codes:
                    if c == "employees":
                        emp = employees[year] * (1 + 0.01 * np.sin(k))
                        emp_ly = employees.get(year - 1, employees[year] / 1.05)
                        parts += [np.round(emp), np.round(emp), np.round(emp_ly), np.round(emp_ly)]
                    else:
                        # Firms revise last year's figures slightly: 上年同期 differs from the stored year.
                        parts += [
                            cum[c][:, k],
                            figs[c][:, k],
                            cum_ly[c][:, k] * 1.002,
                            figs_ly[c][:, k] * 1.002,
                        ]
                parts = [_round(p) for p in parts]
                flags = above_by_year[year].tolist()
                for i, pk in enumerate(id_list):
                    rows.append(
                        (pk, month, source, batches[source].pk, flags[i], False, *(p[i] for p in parts))
                    )
        bulk_insert(MonthlyFact, columns, rows)

    _annual(ctx, ids, annual, years, rng, batches[Source.STATS])
    rollup.refresh_months(MonthlyFact.objects.values_list("month", flat=True).distinct(), follow=False)
    _official_and_targets(ctx, end, office)


def _annual(ctx, ids, annual, years, rng, batch) -> None:
    land = dict(Enterprise.objects.filter(pk__in=ids.tolist()).values_list("pk", "land_area_mu"))
    rows = []
    for year in years[:2]:
        rev = annual[year]
        for i, pk in enumerate(ids.tolist()):
            r = float(rev[i])
            assets = r * float(rng.uniform(0.8, 1.6))
            energy = Decimal(str(round(r / 1.0e4 * float(rng.uniform(0.02, 0.2)), 2)))
            pollutants = [
                Decimal(str(round(r / 1e8 * float(rng.uniform(0.5, 3)), 2))),
                Decimal(str(round(r / 1e9 * float(rng.uniform(0.5, 3)), 2))),
                Decimal(str(round(r / 1e8 * float(rng.uniform(0.2, 2)), 2))),
                Decimal(str(round(r / 1e8 * float(rng.uniform(0.2, 2)), 2))),
            ]
            # About one firm in seven is not among the surveyed pollution sources: no emission data
            # (the per-mu scheme scores it at the average for 单位排放产值).
            if i % 7 == 3:
                pollutants = [None] * 4
            rows.append(
                AnnualFact(
                    enterprise_id=pk,
                    year=year,
                    source=Source.STATS,
                    batch=batch,
                    land_mu=land.get(pk),
                    energy_tce=energy,
                    cod_t=pollutants[0],
                    ammonia_t=pollutants[1],
                    so2_t=pollutants[2],
                    nox_t=pollutants[3],
                    rd_staff=Decimal(int(max(0, r / 2.0e6 * float(rng.uniform(0, 1))))),
                    ip_class1=Decimal(int(rng.poisson(r / 2.0e8))),
                    ip_class2=Decimal(int(rng.poisson(r / 2.0e7))),
                    total_assets=Decimal(str(round(assets, 2))),
                    total_liabilities=Decimal(str(round(assets * float(rng.uniform(0.3, 0.7)), 2))),
                    main_business_share=Decimal(str(round(float(rng.uniform(92, 99.5)), 2))),
                )
            )
    AnnualFact.objects.bulk_create(rows, batch_size=1000)


def _official_and_targets(ctx, end: dt.date, office) -> None:
    from qiangxian.statistics import indicators

    county = ctx.county or OrgUnit.objects.filter(kind="county").order_by("pk").first()
    stats = OrgUnit.objects.filter(kind="bureau", name="统计局", parent=county).first()
    jxj = OrgUnit.objects.filter(kind="bureau", name="经信局", parent=county).first()
    tax = OrgUnit.objects.filter(kind="bureau", name="税务局", parent=county).first()
    # A lone county's figures are keyed ("county", 0); a county of the demo city by its id.
    key = county.pk if ctx.city is not None else 0
    rng = ctx.rng
    official = []
    for back in range(6):
        month = rollup.add_months(end, -back)
        if month.month == 1:
            continue
        county_value = indicators.value("gross_output", month=month, above_only=True, scope=("county", key))
        platform = county_value.growth if county_value else None
        official.append(
            OfficialFigure(
                indicator="value_added",
                month=month,
                scope_id=key,
                value=None,
                growth=Decimal(str(round(0.085 + rng.uniform(-0.012, 0.012), 4))),
                note="县统计局月度统计快报",
                entered_by=office,
            )
        )
        if platform is not None:
            official.append(
                OfficialFigure(
                    indicator="gross_output",
                    month=month,
                    scope_id=key,
                    value=(county_value.value * Decimal("0.995")).quantize(Decimal("0.01")),
                    growth=(platform - Decimal("0.004")).quantize(Decimal("0.0001")),
                    note="县统计局月度统计快报",
                    entered_by=office,
                )
            )
    OfficialFigure.objects.bulk_create(official)

    # Targets: scale the county's published goals to this demo's size (next year's value ≈ 1.12 ×).
    year = end.year
    december_last = dt.date(year - 1, 12, 1)
    targets = [
        (
            "gross_output",
            True,
            "county",
            key,
            stats or county,
            Decimal("1.13"),
            "规上工业总产值（县委经济工作会议目标）",
        ),
        ("main_revenue", True, "county", key, jxj or county, Decimal("1.12"), "规上工业营业收入"),
        ("tax_paid", False, "county", key, tax or county, Decimal("1.08"), "工业税收"),
        ("electricity_kwh", False, "county", key, jxj or county, Decimal("1.10"), "工业用电量"),
    ]
    for park in ctx.parks:
        targets.append(
            ("gross_output", True, "park", park.pk, park, Decimal("1.18"), f"{park.name}规上工业总产值")
        )
    rows = []
    for code, above, scope_kind, scope_id, unit, factor, note in targets:
        base = indicators.value(code, month=december_last, above_only=above, scope=(scope_kind, scope_id))
        if base is None or not base.value:
            continue
        digits = Decimal("1e8") if base.value > Decimal("1e9") else Decimal("1e6")
        goal = (base.value * factor / digits).quantize(Decimal(1)) * digits
        rows.append(
            Target(
                indicator=code,
                year=year,
                scope_kind=scope_kind,
                scope_id=scope_id,
                above_only=above,
                value=goal,
                responsible_unit=unit,
                note=note,
                issuer=county,
            )
        )
    Target.objects.bulk_create(rows)
