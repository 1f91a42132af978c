"""Reads of the policy module, always through the one access gate (``visible_to``)."""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, F, Q, Sum

from qiangxian.core.access import get_visible_or_404, scope_of
from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.catalogue import rule_catalogue
from qiangxian.rules.engine import RuleError
from qiangxian.statistics.snapshot import build_snapshot

from .calc import MET, compile_clause
from .choices import ApplicationStatus, MatchOutcome, PolicyStatus
from .models import Application, Clause, ClauseOutcome, ClauseVersion, Match, MatchRun, Payment, Policy
from .outcomes import PackedMatches, enterprise_matches, unpack


def policy_list(*, user):
    return Policy.objects.visible_to(user).select_related("issuer").annotate(clause_total=Count("clauses"))


def access_policy(user, pk) -> Policy:
    return get_visible_or_404(Policy.objects, user, pk)


def clause_list(*, user):
    return Clause.objects.visible_to(user).select_related("policy")


def access_clause(user, pk) -> Clause:
    return get_visible_or_404(Clause.objects.select_related("policy"), user, pk)


def run_list(*, user):
    return MatchRun.objects.visible_to(user)


def access_run(user, pk) -> MatchRun:
    return get_visible_or_404(MatchRun.objects, user, pk)


def latest_run(*, user) -> MatchRun | None:
    return run_list(user=user).filter(status="done").order_by("-started_at", "-pk").first()


def visible_enterprise_ids(user) -> np.ndarray | None:
    """Ids of the enterprises whose results the user may see (None: every one)."""
    if scope_of(user).everything:
        return None
    ids = Enterprise.objects.visible_to(user).values_list("pk", flat=True)
    return np.array(sorted(ids), dtype=np.int64)


def match_list(*, user, run: MatchRun | None = None, clause_ids=None) -> PackedMatches:
    """Results of a run (None: every done run), of the clauses given (None: all), the user may see.

    Read from the packed results: reading writes nothing.
    """
    # Every done run, not only those the user may open: an enterprise sees its own rows of them.
    runs = [run] if run is not None else MatchRun.objects.filter(status="done").order_by("pk")
    return PackedMatches.of_runs(runs, clause_ids=clause_ids, enterprise_ids=visible_enterprise_ids(user))


def sees_every_match(user) -> bool:
    """Whether the user sees every result of a run (then the packed counts answer for the rows)."""
    return scope_of(user).everything


def clause_summaries(*, user, run: MatchRun) -> list[dict]:
    """Per clause of a run: met, near, unknown and cost over the enterprises the user may see."""
    fields = ("clause_id", "clause__title", "clause__number", "clause__policy__title", "clause_version__mode")
    order = ("clause__policy_id", "clause__sort_order")
    if sees_every_match(user):
        rows = (
            ClauseOutcome.objects.filter(run=run)
            .values(*fields, met=F("met_count"), near=F("near_count"), unknown=F("unknown_count"))
            .annotate(cost=F("cost"))
            .order_by(*order)
        )
        return [{**r, "cost": r["cost"] if r["met"] else None} for r in rows]
    rows = []
    for u, idx in match_list(user=user, run=run).parts:
        o = u.outcome
        counts = PackedMatches([(u, idx)]).summary()
        if not (counts["met"] or counts["near"] or counts["unknown"]):
            continue
        rows.append(
            {
                "clause_id": o.clause_id,
                "clause__title": o.clause.title,
                "clause__number": o.clause.number,
                "clause__policy__title": o.clause.policy.title,
                "clause_version__mode": o.clause_version.mode,
                **counts,
            }
        )
    return rows


def exposure_by_enterprise(*, user, run: MatchRun, limit: int = 20) -> list[dict]:
    """The enterprises with the most money on a run: total and number of met clauses."""
    visible = visible_enterprise_ids(user)
    ids, amounts = [], []
    for o in ClauseOutcome.objects.filter(run=run):
        a = unpack(o.layout, o.data)
        met = a["outcome"] == MET
        if visible is not None:
            met &= np.isin(a["enterprise"], visible)
        ids.append(a["enterprise"][met])
        amounts.append(a["amount"][met])
    if not ids:
        return []
    ids_all, amounts_all = np.concatenate(ids), np.concatenate(amounts)
    enterprises, index = np.unique(ids_all, return_inverse=True)
    totals = np.zeros(len(enterprises))
    np.add.at(totals, index, np.nan_to_num(amounts_all))
    counts = np.bincount(index, minlength=len(enterprises))
    # The same order as the database gives: total descending, then no particular order.
    top = np.argsort(-totals, kind="stable")[:limit]
    names = dict(Enterprise.objects.filter(pk__in=enterprises[top].tolist()).values_list("pk", "name"))
    return [
        {
            "enterprise_id": int(enterprises[k]),
            "enterprise__name": names.get(int(enterprises[k]), ""),
            "total": Decimal(str(round(float(totals[k]), 2))),
            "clauses": int(counts[k]),
        }
        for k in top
    ]


def application_list(*, user):
    return Application.objects.visible_to(user).select_related(
        "enterprise", "clause__policy", "clause_version", "payment"
    )


def access_application(user, pk) -> Application:
    return get_visible_or_404(
        Application.objects.select_related("enterprise", "clause__policy", "clause_version"), user, pk
    )


def payment_list(*, user):
    return Payment.objects.filter(application__in=application_list(user=user).values("pk")).select_related(
        "application__enterprise", "application__clause", "paying_unit"
    )


def own_enterprise(user) -> Enterprise | None:
    """The enterprise an enterprise user signs in for (None for officials)."""
    unit_id = getattr(user, "org_unit_id", None)
    if unit_id is None or getattr(user, "role", "") != "enterprise":
        return None
    return Enterprise.objects.filter(org_unit_id=unit_id).first()


def clause_trace_lines(version: ClauseVersion, enterprise, as_of: dt.date | None = None) -> list[str]:
    """Why an enterprise does or does not meet a clause version, line by line, on today's data."""
    as_of = as_of or dt.date.today()
    try:
        compiled = compile_clause(version)
    except RuleError as exc:
        return [f"条款规则无法编译：{exc.message}"]
    snapshot = build_snapshot(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk),
        as_of=as_of,
        catalogue=rule_catalogue(),
        identifiers=compiled.identifiers() or None,
        with_sources=True,
    )
    trace = compiled.eligibility.explain(snapshot, enterprise.pk)
    lines = [f"结果：{trace.outcome_label}"]
    lines += [check.text for check in trace.checks]
    lines += list(trace.gaps) + list(trace.notes)
    return [str(x) for x in lines if x]


@dataclass
class EnterpriseBenefits:
    enterprise: Enterprise
    run: MatchRun | None
    met: list[Match]
    near: list[Match]
    unknown: list[Match]
    applications: list[Application]
    received_by_year: list[tuple[int, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((m.amount or Decimal(0) for m in self.met), Decimal(0))


def enterprise_benefits(*, user, enterprise: Enterprise) -> EnterpriseBenefits:
    """What an enterprise can get, what it is close to, what it received (the caller checked access)."""
    run = MatchRun.objects.filter(status="done").order_by("-started_at", "-pk").first()
    matches = enterprise_matches(run, enterprise.pk) if run else []
    applications = list(
        application_list(user=user).filter(enterprise=enterprise).order_by("-year", "-created_at")
    )
    received = (
        Payment.objects.filter(application__enterprise=enterprise)
        .values("application__year")
        .annotate(total=Sum("amount"))
        .order_by("-application__year")
    )
    return EnterpriseBenefits(
        enterprise=enterprise,
        run=run,
        met=[m for m in matches if m.outcome == MatchOutcome.MET],
        near=[m for m in matches if m.near],
        unknown=[m for m in matches if m.outcome == MatchOutcome.UNKNOWN],
        applications=applications,
        received_by_year=[(r["application__year"], r["total"]) for r in received],
    )


@dataclass
class ClauseFigures:
    clause: Clause
    eligible: int
    near: int
    cost: Decimal
    notified: int
    confirmed: int
    approved: int
    paid: int
    paid_amount: Decimal
    budget: Decimal | None
    median_days: float | None
    p90_days: float | None

    @property
    def uptake(self) -> float | None:
        """应享尽享率: paid ÷ eligible."""
        return self.paid / self.eligible if self.eligible else None

    @property
    def budget_used(self) -> float | None:
        return float(self.paid_amount / self.budget) if self.budget else None


def _percentile(values: list[int], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return float(pystats.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1])


def payment_days(notified_at, created_at, paid_on: dt.date) -> int:
    """Days from the notice (or the application, where none was sent) to the payment."""
    return max(0, (paid_on - (notified_at or created_at).date()).days)


def clause_figures(*, user, year: int, run: MatchRun | None = None) -> list[ClauseFigures]:
    """Per clause: eligible, near, cost, notified, confirmed, approved, paid, days to payment."""
    run = run or latest_run(user=user)
    by_clause = {
        row["clause_id"]: {"eligible": row["met"], "near": row["near"], "cost": row["cost"]}
        for row in (clause_summaries(user=user, run=run) if run else [])
    }
    apps = application_list(user=user).filter(year=year)
    app_counts = {
        row["clause_id"]: row
        for row in apps.values("clause_id").annotate(
            notified=Count("pk", filter=Q(notified_at__isnull=False)),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            approved=Count("pk", filter=Q(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID])),
            paid=Count("pk", filter=Q(status=ApplicationStatus.PAID)),
            paid_amount=Sum("payment__amount"),
        )
    }
    days: dict[int, list[int]] = defaultdict(list)
    for clause_id, start, created, paid_on in apps.filter(status=ApplicationStatus.PAID).values_list(
        "clause_id", "notified_at", "created_at", "payment__paid_on"
    ):
        days[clause_id].append(payment_days(start, created, paid_on))
    out = []
    clauses = (
        clause_list(user=user).filter(policy__status=PolicyStatus.PUBLISHED).prefetch_related("versions")
    )
    for clause in clauses.order_by("policy_id", "sort_order", "pk"):
        m, a = by_clause.get(clause.pk, {}), app_counts.get(clause.pk, {})
        version = clause.version_on(dt.date(year, 12, 31))
        out.append(
            ClauseFigures(
                clause=clause,
                eligible=m.get("eligible", 0),
                near=m.get("near", 0),
                cost=m.get("cost") or Decimal(0),
                notified=a.get("notified", 0),
                confirmed=a.get("confirmed", 0),
                approved=a.get("approved", 0),
                paid=a.get("paid", 0),
                paid_amount=a.get("paid_amount") or Decimal(0),
                budget=version.budget if version else None,
                median_days=pystats.median(days[clause.pk]) if days[clause.pk] else None,
                p90_days=_percentile(days[clause.pk], 0.9),
            )
        )
    return out


@dataclass
class CountyPayments:
    """A county's policy money in a year: applications paid, amount, days to payment, uptake."""

    paid: int = 0
    amount: Decimal = Decimal(0)
    days: list[int] | None = None
    eligible: int = 0

    @property
    def median_days(self) -> float | None:
        return pystats.median(self.days) if self.days else None

    @property
    def uptake(self) -> float | None:
        """应享尽享率: paid ÷ eligible on the county's latest match run."""
        return self.paid / self.eligible if self.eligible else None


def county_payments(*, user, year: int) -> dict[int, CountyPayments]:
    """Per county of the enterprises the user may see: the year's paid applications and money,
    the days to payment, and the eligible count of the county's latest match run."""
    out: dict[int, CountyPayments] = defaultdict(lambda: CountyPayments(days=[]))
    paid = application_list(user=user).filter(year=year, status=ApplicationStatus.PAID)
    for county, start, created, paid_on, amount in paid.values_list(
        "enterprise__town__county", "notified_at", "created_at", "payment__paid_on", "payment__amount"
    ):
        row = out[county]
        row.paid += 1
        row.amount += amount or Decimal(0)
        if paid_on is not None:
            row.days.append(payment_days(start, created, paid_on))
    latest: dict[int, MatchRun] = {}
    for run in run_list(user=user).filter(status="done", county__isnull=False).order_by("-started_at", "-pk"):
        latest.setdefault(run.county_id, run)
    for county, run in latest.items():
        out[county].eligible = sum(r["met"] or 0 for r in clause_summaries(user=user, run=run))
    return dict(out)
