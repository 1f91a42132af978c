"""The dashboard page (驾驶舱): one month and scope, tables with their charts, Excel export."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from qiangxian.core import exports, formatting, fragments
from qiangxian.projects import selectors as project_selectors
from qiangxian.statistics import selectors
from qiangxian.statistics.models import MonitorWarning
from qiangxian.statistics.templatetags.stats import format_value, money_column_unit, period_label

from . import counties as county_board
from . import services

BREAKDOWN_LABELS = services.BREAKDOWN_LABELS


def _chart_trend(board: services.Dashboard) -> dict:
    months = [f"{row['month'].month}月" for row in board.trend]

    def wan(v):
        return None if v is None else round(float(v) / 10000, 2)

    def pct(v):
        return None if v is None else round(float(v) * 100, 1)

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": ["本年当月产值", "上年同月产值", "累计增速"]},
        "grid": {"left": 70, "right": 50, "bottom": 30, "top": 50},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [{"type": "value", "name": "万元"}, {"type": "value", "name": "%"}],
        "series": [
            {"name": "本年当月产值", "type": "bar", "data": [wan(r.get("month_value")) for r in board.trend]},
            {"name": "上年同月产值", "type": "bar", "data": [wan(r.get("month_base")) for r in board.trend]},
            {
                "name": "累计增速",
                "type": "line",
                "yAxisIndex": 1,
                "data": [pct(r["growth"]) for r in board.trend],
            },
        ],
    }


def _chart_pull(items, title: str) -> dict:
    items = [i for i in items if i.pull is not None][:15]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 110, "right": 30, "bottom": 30, "top": 30},
        "xAxis": {"type": "value", "name": "百分点"},
        "yAxis": {"type": "category", "data": [i.label for i in reversed(items)]},
        "series": [
            {
                "name": f"{title}拉动",
                "type": "bar",
                "data": [round(float(i.pull) * 100, 2) for i in reversed(items)],
            }
        ],
    }


def dashboard(request):
    """The leaders' overview for the user's jurisdiction (or a scope a county user picks)."""
    scope = selectors.requested_scope(
        request.user, request.GET.get("scope_kind"), request.GET.get("scope_id")
    )
    months = selectors.available_months()
    month = selectors.parse_month(request.GET.get("month"), months[0] if months else None)
    above_only = request.GET.get("above", "1") != "0"
    context = {
        "title": "驾驶舱",
        "months": months,
        "month": month,
        "scope": scope,
        "above_only": above_only,
        "scope_options": selectors.scope_options(request.user),
    }
    if month is None or month not in months:
        content = render_to_string("dashboard/_board.html", {**context, "board": None}, request=request)
        return render(request, "dashboard/index.html", {**context, "content": content})
    if request.GET.get("export") == "xlsx":
        board = services.build_cached(month=month, scope=scope, above_only=above_only)
        projects = project_selectors.dashboard_summary(
            user=request.user, year=month.year, month=month.month, area=scope
        )
        buffer = io.BytesIO()
        exports.write_xlsx(
            buffer,
            sheets=[*services.export_sheets(board), services.project_sheet(projects)],
            notes=[
                f"{board.scope_label} {period_label(month)} 驾驶舱数据（平台测算）",
                "金额单位：万元；增速、占比、贡献率为百分比，拉动为个百分点，均按四舍五入保留一位小数。",
                f"增速口径：{board.basis_label}。工业总产值{board.total_note}。",
            ],
        )
        return exports.attachment(buffer.getvalue(), f"驾驶舱-{board.scope_label}-{month:%Y-%m}.xlsx")
    # The body is the same for every reader of the scope: kept until the board's inputs or the
    # projects' change (the month list, the scope and the population are in the query string).
    key = fragments.fragment_key(
        "dashboard",
        request,
        version=services.data_version() + project_selectors.dashboard_summary_version(),
        extra=[month, scope, above_only, [str(m) for m in months]],
    )
    content = fragments.cached(key, lambda: _board_html(request, context, month, scope, above_only), request)
    return render(request, "dashboard/index.html", {**context, "content": content})


def _board_html(request, context: dict, month, scope, above_only: bool) -> str:
    """The dashboard's body for one month, scope and population."""
    board = services.build_cached(month=month, scope=scope, above_only=above_only)
    # The same selector as the projects overview, so both pages show one set of figures.
    projects = project_selectors.dashboard_summary(
        user=request.user, year=month.year, month=month.month, area=scope
    )
    drill = reverse("statistics:drilldown")
    breakdowns = []
    for kind, items in board.breakdowns.items():
        unit = formatting.money_unit(i.value for i in items)
        breakdowns.append(
            {
                "kind": kind,
                "label": BREAKDOWN_LABELS[kind],
                "items": items,
                "unit": unit,
                "unit_label": formatting.MONEY_UNIT_LABELS[unit],
                "chart": _chart_pull(items, BREAKDOWN_LABELS[kind]),
                "chart_id": f"chart-pull-{kind}",
            }
        )
    ranked = [r.value for rows in board.rankings.values() for r in rows] + [
        r.value for r in board.new_entrants
    ]
    rank_unit = formatting.money_unit(ranked)
    trend_unit = formatting.money_unit(
        v for r in board.trend for v in (r.get("month_value"), r.get("month_base"), r["value"])
    )
    scope_params = {
        "month": month.strftime("%Y-%m"),
        "above": "1" if above_only else "0",
        "scope_kind": scope[0],
        "scope_id": scope[1],
    }
    drill_query = urlencode({"indicator": services.BREAKDOWN_FIGURE, **scope_params})
    warning_links = [
        {"kind": k, "label": label, "count": board.warnings.get(k, 0)}
        for k, label in MonitorWarning.Kind.choices
    ]
    return render_to_string(
        "dashboard/_board.html",
        {
            **context,
            "board": board,
            "summary": projects,
            "trend_chart": _chart_trend(board),
            "breakdowns": breakdowns,
            "rank_labels": services.RANK_LABELS,
            "warning_links": warning_links,
            "drill_url": drill,
            "drill_query": drill_query,
            "scope_query": urlencode(scope_params),
            "target_money_unit": money_column_unit(
                (v, p.target.indicator) for p in board.targets for v in (p.target.value, p.actual)
            ),
            "rank_unit": rank_unit,
            "rank_unit_label": formatting.MONEY_UNIT_LABELS[rank_unit],
            "trend_unit": trend_unit,
            "trend_unit_label": formatting.MONEY_UNIT_LABELS[trend_unit],
            "headline_texts": [format_value(h.item.value, h.item.code) for h in board.headlines],
        },
        request=request,
    )


def counties(request):
    """Counties side by side for a city or province user, each linking to its (read-only) dashboard."""
    if not county_board.counties_of(request.user):
        raise PermissionDenied("各县对比仅对市级、省级用户开放。")
    months = selectors.available_months()
    month = selectors.parse_month(request.GET.get("month"), months[0] if months else None)
    board = county_board.build(user=request.user, month=month) if month in months else None
    return render(
        request,
        "dashboard/counties.html",
        {"title": "各县对比", "months": months, "month": month, "board": board},
    )
