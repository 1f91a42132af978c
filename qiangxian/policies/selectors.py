"""Reads of the policy module, always through the one access gate (``visible_to``)."""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from qiangxian.core.access import get_visible_or_404
from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.catalogue import rule_catalogue
from qiangxian.rules.engine import RuleError
from qiangxian.statistics.snapshot import build_snapshot

from .calc import compile_clause
from .choices import ApplicationStatus, MatchOutcome, PolicyStatus
from .models import Application, Clause, ClauseVersion, Match, MatchRun, Payment, Policy


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


def match_list(*, user, run: MatchRun | None = None):
    qs = Match.objects.visible_to(user).select_related("enterprise", "clause__policy", "clause_version")
    return qs.filter(run=run) if run is not None else qs


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
    matches = (
        list(
            Match.objects.filter(run=run, enterprise=enterprise)
            .select_related("clause__policy", "clause_version")
            .order_by("clause__policy_id", "clause__sort_order")
        )
        if run
        else []
    )
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


def clause_figures(*, user, year: int, run: MatchRun | None = None) -> list[ClauseFigures]:
    """Per clause: eligible, near, cost, notified, confirmed, approved, paid, days to payment."""
    run = run or latest_run(user=user)
    matches = match_list(user=user, run=run) if run else Match.objects.none()
    by_clause = {
        row["clause_id"]: row
        for row in matches.values("clause_id").annotate(
            eligible=Count("pk", filter=Q(outcome=MatchOutcome.MET)),
            near=Count("pk", filter=Q(near=True)),
            cost=Sum("amount", filter=Q(outcome=MatchOutcome.MET)),
        )
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
        began = (start or created).date()
        days[clause_id].append(max(0, (paid_on - began).days))
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
