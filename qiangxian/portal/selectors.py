"""Reads of the enterprise's portal: everything about one enterprise, through each module's own
selectors (scoped to the user), so the portal never computes a figure its own way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from qiangxian.core.access import get_visible_or_404

from .models import CorrectionRequest, DataRequest, EnterpriseAccount, Registration
from .services import own_enterprise

# The figures the portal shows, each from its authoritative source (statistics.figures).
PORTAL_FIGURES = ("gross_output", "revenue", "tax_paid", "electricity_kwh")


def enterprise_of(user):
    """The enterprise the user signs in for; 404 for anyone else (the portal is the enterprise's)."""
    enterprise = own_enterprise(user)
    if enterprise is None:
        raise Http404("该页面仅供企业用户使用。")
    return enterprise


def monthly_figures(*, user, enterprise, year: int | None = None) -> dict:
    """This year's months against last year's for the main figures, with an ECharts option.

    Each figure is read from its authoritative source's rows; last year's value is the one the
    enterprise reported as 上年同期 when it did, else its own row of last year.
    """
    from qiangxian.statistics.figures import MONTHLY_FIGURES
    from qiangxian.statistics.selectors import enterprise_facts

    facts = list(enterprise_facts(user=user, enterprise_id=enterprise.pk))
    if not facts:
        return {"year": year, "rows": [], "chart": None}
    year = year or max(f.month for f in facts).year
    by_key = {(f.month, f.source): f for f in facts}
    rows = []
    for code in PORTAL_FIGURES:
        figure = MONTHLY_FIGURES[code]
        months = []
        for m in range(1, 13):
            this = by_key.get((dt.date(year, m, 1), figure.source))
            last = by_key.get((dt.date(year - 1, m, 1), figure.source))
            value = getattr(this, f"{code}_month") if this else None
            ly = getattr(this, f"{code}_month_ly") if this else None
            if ly is None and last is not None:
                ly = getattr(last, f"{code}_month")
            ytd = getattr(this, f"{code}_ytd") if this else None
            ytd_ly = getattr(this, f"{code}_ytd_ly") if this else None
            if ytd_ly is None and last is not None:
                ytd_ly = getattr(last, f"{code}_ytd")
            months.append({"month": m, "value": value, "last": ly, "ytd": ytd, "ytd_last": ytd_ly})
        latest = next((x for x in reversed(months) if x["ytd"] is not None), None)
        growth = None
        if latest and latest["ytd_last"]:
            growth = (latest["ytd"] - latest["ytd_last"]) / latest["ytd_last"]
        if latest is not None or any(x["value"] is not None or x["last"] is not None for x in months):
            rows.append({"figure": figure, "months": months, "latest": latest, "growth": growth})
    if not rows:
        return {"year": year, "rows": [], "chart": None}
    main = rows[0]
    scale = Decimal(10_000) if main["figure"].money else Decimal(1)

    def series(key):
        return [float(x[key] / scale) if x[key] is not None else None for x in main["months"]]

    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": [f"{year}年", f"{year - 1}年"]},
        "grid": {"left": 50, "right": 16, "bottom": 30, "top": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [f"{m}月" for m in range(1, 13)]},
        "yAxis": {"type": "value", "name": "万元" if main["figure"].money else main["figure"].unit},
        "series": [
            {"name": f"{year}年", "type": "bar", "data": series("value")},
            {"name": f"{year - 1}年", "type": "line", "data": series("last")},
        ],
    }
    return {
        "year": year,
        "rows": rows,
        "chart": chart,
        "chart_title": f"{main['figure'].name}（当月）与上年同期",
    }


def tier_standing(*, user, enterprise):
    from qiangxian.tiers.selectors import enterprise_evaluation

    return enterprise_evaluation(user=user, pk=enterprise.pk)


def benefits(*, user, enterprise):
    from qiangxian.policies.selectors import enterprise_benefits

    return enterprise_benefits(user=user, enterprise=enterprise)


def applications(*, user, enterprise):
    from qiangxian.policies.selectors import application_list

    return (
        application_list(user=user)
        .filter(enterprise=enterprise)
        .select_related("clause__policy")
        .annotate(paid=Sum("payment__amount"))
        .order_by("-year", "-created_at")
    )


def demands(*, user, enterprise):
    from qiangxian.service.selectors.demands import demand_list

    return demand_list(user=user).filter(enterprise=enterprise).select_related("lead_unit").order_by("-pk")


def visits(*, user, enterprise):
    from qiangxian.service.selectors.visits import visit_list

    return visit_list(user=user).filter(enterprise=enterprise).select_related("unit").order_by("-visited_on")


def projects(*, user, enterprise):
    from qiangxian.projects.selectors import problem_list, project_list

    items = list(project_list(user=user).filter(investor=enterprise).order_by("-pk")[:50])
    problems = list(problem_list(user=user).filter(project__in=items).select_related("owner_unit", "project"))
    for project in items:
        project.portal_problems = [p for p in problems if p.project_id == project.pk]
    return items


def per_mu(*, user, enterprise) -> dict:
    from qiangxian.land import selectors as land

    run = land.current_run()
    result = land.results(user=user, run=run).filter(enterprise=enterprise).first() if run else None
    return {
        "run": run,
        "result": result,
        "objections": list(land.objections(user=user).filter(enterprise=enterprise).order_by("-pk")[:20]),
    }


def accounts(*, user, enterprise):
    return (
        EnterpriseAccount.objects.visible_to(user)
        .filter(enterprise=enterprise, user__is_active=True)
        .select_related("user")
    )


def corrections(*, user, enterprise=None):
    qs = CorrectionRequest.objects.visible_to(user).select_related("enterprise", "requested_by", "decided_by")
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


def data_requests(*, user, enterprise=None):
    qs = DataRequest.objects.visible_to(user).select_related("enterprise", "requested_by")
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


def access_data_request(user, pk) -> DataRequest:
    return get_visible_or_404(DataRequest.objects.select_related("enterprise"), user, pk)


def access_correction(user, pk) -> CorrectionRequest:
    return get_visible_or_404(CorrectionRequest.objects.select_related("enterprise"), user, pk)


def registrations(*, user):
    return Registration.objects.visible_to(user).select_related("enterprise__town", "decided_by")


def access_registration(user, pk) -> Registration:
    return get_visible_or_404(Registration.objects.select_related("enterprise__town"), user, pk)
