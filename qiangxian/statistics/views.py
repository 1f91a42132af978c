"""Pages of 运行监测: indicators, breakdowns and drill-downs, imports, targets, warnings."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qiangxian.core import audit, exports, formatting
from qiangxian.core.access import issued_by, may_issue, settings_note
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.lists import Column, render_list
from qiangxian.core.params import parse_year

from . import calc, indicators, profile_builder, selectors, services, targets
from .figures import MONTHLY_FIGURES, Source, figure_label
from .filters import BatchFilter
from .forms import (
    CommitForm,
    OfficialForm,
    SettingsForm,
    TargetForm,
    UploadForm,
)
from .models import AnnualFact, ImportBatch, MonitorSettings, MonitorWarning, OfficialFigure, Rollup
from .templatetags.stats import (
    column_unit,
    comparable_note,
    format_value,
    money_column_unit,
    months_label,
)

GROUP_KINDS = ["town", "park", "zone", "cluster", "division"]


def _require_manage(user) -> None:
    if not user.can_manage:
        raise PermissionDenied("只有领导小组办公室和系统管理员可以执行此操作。")


def _common(request):
    """Month, period, population and scope from the query string, checked against the user."""
    scope = selectors.requested_scope(
        request.user, request.GET.get("scope_kind"), request.GET.get("scope_id")
    )
    months = selectors.available_months()
    month = selectors.parse_month(request.GET.get("month"), months[0] if months else None)
    period = "month" if request.GET.get("period") == "month" else "ytd"
    above_only = request.GET.get("above", "1") != "0"
    return {
        "scope": scope,
        "months": months,
        "month": month,
        "period": period,
        "above_only": above_only,
        "scope_label": selectors.scope_label(scope),
    }


def _indicator(request, key="indicator") -> indicators.Indicator:
    try:
        return indicators.get(request.GET.get(key) or "gross_output")
    except KeyError as exc:
        raise Http404("未找到该指标。") from exc


def overview(request):
    """Every indicator for one month and scope, with the bureau's published figures beside."""
    ctx = _common(request)
    rows = []
    official = []
    if ctx["month"] in ctx["months"]:
        total_rows = indicators.fetch_rows(
            month=ctx["month"], above_only=ctx["above_only"], scope=ctx["scope"]
        )
        basis = indicators.current_basis()
        for code, indicator in indicators.CATALOGUE.items():
            values = indicators.values_from_rows(code, total_rows, ctx["period"], basis)
            rows.append({"indicator": indicator, "item": values[0] if values else None})
        official = list(
            OfficialFigure.objects.filter(
                month=ctx["month"], scope_kind=ctx["scope"][0], scope_id=ctx["scope"][1]
            )
        )
    return render(
        request,
        "statistics/overview.html",
        {
            **ctx,
            "title": "运行监测",
            "rows": rows,
            "basis_label": calc.BASIS_LABELS[indicators.current_basis()],
            "official": official,
            "group_kinds": GROUP_KINDS,
            "group_labels": indicators.GROUP_LABELS,
            "official_labels": {
                **indicators.OFFICIAL_ONLY,
                **{c: i.name for c, i in indicators.CATALOGUE.items()},
            },
            "scope_options": selectors.scope_options(request.user),
        },
    )


def catalogue(request):
    """The indicator catalogue: code, name, unit, definition, formula, source figures."""
    selectors.require_aggregate_scope(request.user)
    items = [
        {
            "indicator": i,
            "figures": [
                (f, figure_label(f), dict(Source.choices)[MONTHLY_FIGURES[f].source]) for f in i.figures
            ],
        }
        for i in indicators.CATALOGUE.values()
    ]
    return render(
        request,
        "statistics/catalogue.html",
        {"title": "指标目录", "items": items, "official": indicators.OFFICIAL_ONLY},
    )


def _query(ctx, **extra) -> str:
    from urllib.parse import urlencode

    params = {
        "month": ctx["month"].strftime("%Y-%m") if ctx["month"] else "",
        "period": ctx["period"],
        "above": "1" if ctx["above_only"] else "0",
        "scope_kind": ctx["scope"][0],
        "scope_id": ctx["scope"][1],
        **extra,
    }
    return urlencode(params)


def _growth_header(indicator: indicators.Indicator, basis_label: str) -> str:
    if indicator.is_ratio and indicator.unit == "%":
        return f"变动（个百分点，{basis_label}）"
    return f"增速（%，{basis_label}）"


def _growth_number(indicator: indicators.Indicator, item) -> Decimal | None:
    """A growth as the page shows it: % ratios change in points, the rest in percent."""
    if item is None or item.growth is None:
        return None
    if indicator.is_ratio and indicator.unit == "%":
        return formatting.round_half_up(item.growth, 1)
    return formatting.percent_number(item.growth)


def _period_name(ctx) -> str:
    month = ctx["month"]
    if month is None:
        return "本期"
    return "当月" if ctx["period"] == "month" else months_label(month)


def breakdown(request):
    """One indicator by town, park, zone, cluster or industry division: share, contribution, pull, rank."""
    ctx = _common(request)
    indicator = _indicator(request)
    group_kind = request.GET.get("group", "town")
    if group_kind not in GROUP_KINDS:
        raise Http404("未找到该分组。")
    total, items = (None, [])
    if ctx["month"] in ctx["months"]:
        total, items = indicators.breakdown(
            indicator.code,
            month=ctx["month"],
            period=ctx["period"],
            above_only=ctx["above_only"],
            scope=ctx["scope"],
            group_kind=group_kind,
        )
    column = column_unit(indicator.code, [total.value if total else None, *(i.value for i in items)])
    basis_label = calc.BASIS_LABELS[total.basis if total else indicators.current_basis()]
    period_name = _period_name(ctx)
    if request.GET.get("export") == "xlsx":
        summable = not indicator.is_ratio

        def row(label, i, is_total=False):
            return [
                label,
                column.number(i.value),
                column.number(i.base),
                _growth_number(indicator, i),
                Decimal(100) if is_total and summable else formatting.percent_number(i.share),
                Decimal(100)
                if is_total and summable and i.delta
                else formatting.percent_number(i.contribution),
                (formatting.percent_number(i.growth) if is_total else formatting.percent_number(i.pull))
                if summable
                else None,
                None if is_total else i.rank,
                i.n_comparable,
                i.n_reported,
            ]

        rows = [row(i.label, i) for i in items]
        if total is not None:
            rows.insert(0, row(f"合计（{ctx['scope_label']}）", total, is_total=True))
        notes = [f"{ctx['scope_label']} {indicator.name} 按{indicators.GROUP_LABELS[group_kind]}（平台测算）"]
        if total is not None and comparable_note(total):
            notes.append(f"增速口径：{basis_label}。{comparable_note(total)}。")
        return exports.xlsx_attachment(
            f"{indicator.name}-按{indicators.GROUP_LABELS[group_kind]}.xlsx",
            lambda stream: exports.write_xlsx(
                stream,
                sheets=[
                    (
                        indicator.name,
                        [
                            "名称",
                            f"{period_name}（{column.label}）",
                            f"上年同期（{column.label}）",
                            _growth_header(indicator, basis_label),
                            "占比（%）",
                            "贡献率（%）",
                            "拉动（个百分点）",
                            "排名",
                            "可比企业（户）",
                            "报送企业（户）",
                        ],
                        rows,
                    )
                ],
                notes=notes,
            ),
        )
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [period_name, "上年同期"]},
        "grid": {"left": 60, "right": 20, "bottom": 80, "top": 40},
        "xAxis": {"type": "category", "data": [i.label for i in items], "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "name": column.label},
        "series": [
            {
                "name": period_name,
                "type": "bar",
                "data": [None if i.value is None else float(column.number(i.value)) for i in items],
            },
            {
                "name": "上年同期",
                "type": "bar",
                "data": [None if i.base is None else float(column.number(i.base)) for i in items],
            },
        ],
    }
    return render(
        request,
        "statistics/breakdown.html",
        {
            **ctx,
            "title": f"{indicator.name} · 按{indicators.GROUP_LABELS[group_kind]}",
            "indicator": indicator,
            "group_kind": group_kind,
            "total": total,
            "items": items,
            "chart": chart,
            "column": column,
            "basis_label": basis_label,
            "period_name": period_name,
            "group_kinds": GROUP_KINDS,
            "group_labels": indicators.GROUP_LABELS,
            "query": _query(ctx, indicator=indicator.code),
            "keep": {"indicator": indicator.code, "group": group_kind},
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )


def drilldown(request):
    """The enterprises behind one aggregate, whose sum is the aggregate; each links to its fact rows."""
    ctx = _common(request)
    indicator = _indicator(request)
    group_kind = request.GET.get("group_kind", "total")
    group_key = request.GET.get("group_key", "")
    if group_kind not in ["total", *GROUP_KINDS] or ctx["month"] not in ctx["months"]:
        raise Http404("未找到该记录，或您无权查看。")
    # The group must exist inside the user's scope (a town user cannot read another town's firms).
    if not Rollup.objects.filter(
        month=ctx["month"],
        above_only=ctx["above_only"],
        scope_kind=ctx["scope"][0],
        scope_id=ctx["scope"][1],
        group_kind=group_kind,
        group_key=group_key,
    ).exists():
        raise Http404("未找到该记录，或您无权查看。")
    basis = indicators.current_basis()
    aggregate = indicators.value(
        indicator.code,
        month=ctx["month"],
        period=ctx["period"],
        above_only=ctx["above_only"],
        scope=ctx["scope"],
        group=(group_kind, group_key),
        basis=basis,
    )
    items = indicators.enterprise_values(
        indicator.code,
        month=ctx["month"],
        period=ctx["period"],
        above_only=ctx["above_only"],
        scope=ctx["scope"],
        group=(group_kind, group_key),
        basis=basis,
    )
    if not indicator.is_ratio:
        for item in items:
            item.share = calc.share(item.value, aggregate.value if aggregate else None)
            # Under the comparable basis a new entrant adds nothing to the growth: no pull.
            counted = basis == calc.ALL or not item.extra["new_entrant"]
            item.pull = (
                calc.pull(item.growth_value, item.base, aggregate.base if aggregate else None)
                if counted
                else None
            )
    sort = request.GET.get("sort", "value")
    keyfunc = {
        "value": lambda i: i.value or 0,
        "growth": lambda i: i.growth if i.growth is not None else -999,
        "pull": lambda i: i.pull if i.pull is not None else -999,
    }.get(sort, lambda i: i.value or 0)
    items.sort(key=lambda i: (keyfunc(i), -int(i.group_key)), reverse=True)
    label = (
        indicators.group_labels(group_kind, [group_key]).get(group_key, "合计")
        if group_kind != "total"
        else ctx["scope_label"]
    )
    column = column_unit(indicator.code, [aggregate.value if aggregate else None, *(i.value for i in items)])
    basis_label = calc.BASIS_LABELS[basis]
    period_name = _period_name(ctx)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                i.label,
                column.number(i.value),
                None if i.extra["new_entrant"] else column.number(i.base),
                "是" if i.extra["new_entrant"] else "否",
                _growth_number(indicator, i),
                formatting.percent_number(i.share),
                formatting.percent_number(i.pull),
            ]
            for i in items
        ]
        if aggregate is not None:
            rows.insert(
                0,
                [
                    f"合计（{label}）",
                    column.number(aggregate.value),
                    column.number(aggregate.base),
                    None,
                    _growth_number(indicator, aggregate),
                    None if indicator.is_ratio else Decimal(100),
                    None,
                ],
            )
        notes = [f"{label} {indicator.name} 企业明细（平台测算）"]
        if aggregate is not None and comparable_note(aggregate):
            notes.append(f"增速口径：{basis_label}。{comparable_note(aggregate)}。")
        return exports.xlsx_attachment(
            f"{indicator.name}-{label}-企业明细.xlsx",
            lambda stream: exports.write_xlsx(
                stream,
                sheets=[
                    (
                        "企业明细",
                        [
                            "企业",
                            f"{period_name}（{column.label}）",
                            f"上年同期（{column.label}）",
                            "新投产（无上年同期数）",
                            _growth_header(indicator, basis_label),
                            "占比（%）",
                            "拉动（个百分点）",
                        ],
                        rows,
                    )
                ],
                notes=notes,
            ),
        )
    sum_value = (
        sum((i.value for i in items if i.value is not None), Decimal(0)) if not indicator.is_ratio else None
    )
    return render(
        request,
        "statistics/drilldown.html",
        {
            **ctx,
            "title": f"{label} · {indicator.name} · 企业明细",
            "indicator": indicator,
            "items": items,
            "aggregate": aggregate,
            "sum_value": sum_value,
            "group_kind": group_kind,
            "group_key": group_key,
            "label": label,
            "column": column,
            "basis_label": basis_label,
            "period_name": period_name,
            "sort": sort,
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
            "query": _query(ctx, indicator=indicator.code, group_kind=group_kind, group_key=group_key),
        },
    )


def enterprise(request, pk):
    """One enterprise's figures by month and source, with each row's batch and the corrections."""
    firm = selectors.access_enterprise(request.user, pk)
    audit.record_enterprise_view(request.user, firm, page="企业运行数据")
    months = selectors.available_months()
    year = parse_year(request.GET.get("year"), months[0].year if months else 2026)
    facts = list(selectors.enterprise_facts(user=request.user, enterprise_id=firm.pk, year=year))
    columns = [(code, f.name) for code, f in MONTHLY_FIGURES.items()]
    rows = []
    for fact in facts:
        cells = []
        for code, _ in columns:
            ytd, mon = getattr(fact, f"{code}_ytd"), getattr(fact, f"{code}_month")
            ly = getattr(fact, f"{code}_ytd_ly")
            if ytd is None and mon is None:
                cells.append(None)
                continue
            cells.append(
                {
                    "ytd": format_value(ytd, code),
                    "month": format_value(mon, code),
                    "ly": format_value(ly, code),
                    "growth": calc.growth(ytd, ly),
                }
            )
        rows.append({"fact": fact, "cells": cells})
    annual = AnnualFact.objects.visible_to(request.user).filter(enterprise=firm).order_by("-year")
    return render(
        request,
        "statistics/enterprise.html",
        {
            "title": f"{firm.name} · 运行数据",
            "firm": firm,
            "rows": rows,
            "columns": columns,
            "year": year,
            "years": sorted({m.year for m in months}, reverse=True),
            "annual": annual,
            "revisions": selectors.enterprise_revisions(user=request.user, enterprise_id=firm.pk),
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )


# --- imports -------------------------------------------------------------------------------

BATCH_COLUMNS = [
    Column("file_name", "文件", sort="file_name", link=lambda b: reverse("statistics:batch", args=[b.pk])),
    Column("profile", "导入方案", sort="profile__name"),
    Column("source", "来源", sort="source", value=lambda b: b.get_source_display()),
    Column("month", "月份", sort="month", display=lambda b: formatting.format_month(b.month)),
    Column("status", "状态", sort="status", value=lambda b: b.get_status_display()),
    Column("row_count", "行数", numeric=True),
    Column("error_count", "错误", numeric=True),
    Column("created_by", "上传人"),
    Column("created_at", "上传时间", sort="created_at"),
]


def batch_list(request):
    qs = selectors.batch_list(user=request.user)
    if not (request.user.can_manage or (selectors.aggregate_scope(request.user) or ("",))[0] == "county"):
        raise PermissionDenied("您无权查看数据导入。")
    return render_list(
        request,
        queryset=qs,
        columns=BATCH_COLUMNS,
        template="statistics/batch_list.html",
        title="数据导入",
        filterset_class=BatchFilter,
        default_sort="-created_at",
        export_name="导入批次",
        extra_context={"breadcrumbs": [("运行监测", reverse("statistics:overview"))]},
    )


def batch_upload(request):
    _require_manage(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"month": (selectors.latest_month() or None) and selectors.latest_month().strftime("%Y-%m")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.import_upload(
                actor=request.user,
                profile=data["profile"],
                uploaded=data["file"],
                month=data["month"],
                combined_jan_feb=data["combined_jan_feb"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if getattr(batch, "already_uploaded", False):
                messages.info(
                    request,
                    f"该文件已于{timezone.localtime(batch.created_at):%Y年%m月%d日 %H:%M}上传"
                    f"（{batch.get_status_display()}），未重复导入，以下是该批次。",
                )
            return redirect("statistics:batch", pk=batch.pk)
    return render(
        request,
        "statistics/upload.html",
        {
            "title": "上传月报",
            "form": form,
            "profiles": selectors.profile_list(user=request.user),
            "breadcrumbs": [
                ("运行监测", reverse("statistics:overview")),
                ("数据导入", reverse("statistics:batches")),
            ],
        },
    )


def batch_detail(request, pk):
    batch = selectors.access_batch_by_id(request.user, pk)
    review = batch.review or {}
    from qiangxian.enterprises.models import Enterprise

    ids = {
        x.get("enterprise_id")
        for key in (
            "missing",
            "jumps",
            "unit_suspects",
            "name_matches",
            "not_above",
            "blank_prior",
            "zero_current",
            "declines",
        )
        for x in review.get(key, [])
    }
    names = dict(Enterprise.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
    return render(
        request,
        "statistics/batch_detail.html",
        {
            "title": f"导入批次：{batch.file_name}",
            "batch": batch,
            "review": review,
            "names": names,
            "commit_form": CommitForm(),
            "can_manage": request.user.can_manage,
            "interrupted": services.batch_interrupted(batch),
            "errors_rest": (review.get("error_count") or 0) - len(review.get("errors", [])),
            "drop_pct": MonitorSettings.current().jump_pct,
            "uncounted": [n for n in review.get("column_notes", []) if not n["counted"]],
            "breadcrumbs": [
                ("运行监测", reverse("statistics:overview")),
                ("数据导入", reverse("statistics:batches")),
            ],
        },
    )


@require_POST
def batch_commit(request, pk):
    batch = selectors.access_batch_by_id(request.user, pk)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        batch = services.import_commit(
            actor=request.user, batch=batch, confirm_names=form.cleaned_data.get("confirm_names", False)
        )
    except ValidationError as error:
        messages.error(request, "未提交：" + "；".join(error.messages))
    else:
        if batch.status == ImportBatch.Status.COMMITTED and not (batch.inserted or batch.updated):
            messages.info(request, f"文件内容与已有数据完全相同，未作任何更改（{batch.unchanged} 条未变）。")
        elif batch.status == ImportBatch.Status.COMMITTED:
            messages.success(
                request,
                f"已提交：新增 {batch.inserted} 条，更正 {batch.updated} 条，"
                f"未变 {batch.unchanged} 条；汇总数据已更新。",
            )
        else:
            messages.info(request, "正在后台提交，完成后本页显示结果。")
    return redirect("statistics:batch", pk=batch.pk)


@require_POST
def batch_rollback(request, pk):
    batch = selectors.access_batch_by_id(request.user, pk)
    try:
        services.import_rollback(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "未撤销：" + "；".join(error.messages))
    else:
        messages.success(request, "已撤销该批次，原有数据已恢复，汇总数据已更新。")
    return redirect("statistics:batch", pk=batch.pk)


@require_POST
def batch_retry(request, pk):
    """Run an interrupted validation or commit again."""
    batch = selectors.access_batch_by_id(request.user, pk)
    try:
        services.import_retry(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "未重试：" + "；".join(error.messages))
    else:
        messages.info(request, "已重新交给后台处理，完成后本页显示结果。")
    return redirect("statistics:batch", pk=batch.pk)


@require_POST
def batch_discard(request, pk):
    """Remove a batch that was never committed."""
    batch = selectors.access_batch_by_id(request.user, pk)
    try:
        services.import_discard(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "未放弃：" + "；".join(error.messages))
        return redirect("statistics:batch", pk=batch.pk)
    messages.success(request, f"已放弃批次“{batch.file_name}”，未写入任何数据。")
    return redirect("statistics:batches")


PROFILE_COLUMNS = [
    Column("name", "方案名称", sort="name", link=lambda p: reverse("statistics:profile_edit", args=[p.pk])),
    Column("source", "来源", sort="source", value=lambda p: p.get_source_display()),
    Column("kind", "类型", value=lambda p: p.get_kind_display()),
    Column("match_by", "匹配方式", value=lambda p: p.get_match_by_display()),
    Column("column_count", "映射列数", numeric=True, value=lambda p: len(p.columns)),
    Column("mapped", "数据列", value=lambda p: "、".join(profile_builder.column_summary(p.columns, p.kind))),
    Column(
        "template",
        "模板",
        export=False,
        display=lambda p: "下载模板",
        link=lambda p: reverse("statistics:profile_template", args=[p.pk]),
    ),
]


def profile_list(request):
    if not (request.user.can_manage or (selectors.aggregate_scope(request.user) or ("",))[0] == "county"):
        raise PermissionDenied("您无权查看导入方案。")
    return render_list(
        request,
        queryset=selectors.profile_list(user=request.user),
        columns=PROFILE_COLUMNS,
        template="statistics/profile_list.html",
        title="导入方案",
        default_sort="name",
        extra_context={"breadcrumbs": [("运行监测", reverse("statistics:overview"))]},
    )


def profile_template(request, pk):
    profile = selectors.access_profile_by_id(request.user, pk)
    headers, rows, notes = services.template_rows(profile)
    if profile.header_row > 1:
        # The template keeps the profile's layout (a title row, then the header on its own row),
        # so the file filled in from it imports under the same profile.
        above = [[""] for _ in range(profile.header_row - 2)]
        headers, rows = [f"{profile.name}（导入模板）"], [*above, headers, *rows]
        notes = [*notes, f"表头在第{profile.header_row}行，企业数据从第{profile.header_row + 1}行开始填写。"]
    return exports.xlsx_attachment(
        profile.name + "-模板.xlsx",
        lambda stream: exports.write_xlsx(
            stream, sheets=[(profile.sheet_name or "数据", headers, rows)], notes=notes
        ),
    )


# --- targets, warnings, official figures, settings -----------------------------------------


def target_list(request):
    own = selectors.require_aggregate_scope(request.user)
    month = selectors.parse_month(request.GET.get("month"), selectors.latest_month())
    form = TargetForm(request.POST or None, initial={"year": month.year if month else 2026})
    if request.method == "POST":
        # Targets are issued by the office of any level (a city's for its counties).
        if not may_issue(request.user):
            raise PermissionDenied("只有领导小组办公室和系统管理员可以设置年度目标。")
        if form.is_valid():
            data = form.cleaned_data
            kind, _, unit_id = data["scope"].partition(":")
            factor = Decimal(100_000_000)
            try:
                services.target_save(
                    actor=request.user,
                    indicator=data["indicator"],
                    year=data["year"],
                    value=data["value_yi"] * factor,
                    scope_kind=kind,
                    scope_id=int(unit_id or 0),
                    above_only=data["above_only"],
                    responsible_unit=data["responsible_unit"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "已保存年度目标。")
                return redirect(reverse("statistics:targets") + (f"?month={month:%Y-%m}" if month else ""))
    items = []
    if month:
        items = targets.progress_for(
            year=month.year, month=month, scope=None if own[0] == "county" else own, user=request.user
        )
        for p in items:
            p.issued_by = issued_by(request.user, p.target.issuer_id, "目标")
    return render(
        request,
        "statistics/targets.html",
        {
            "title": "年度目标",
            "items": items,
            "money_unit": money_column_unit(
                (v, p.target.indicator) for p in items for v in (p.target.value, p.actual)
            ),
            "month": month,
            "form": form,
            "can_manage": may_issue(request.user),
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )


WARNING_COLUMNS = [
    Column(
        "enterprise",
        "企业",
        sort="enterprise__name",
        link=lambda w: reverse("statistics:enterprise", args=[w.enterprise_id]),
    ),
    Column("kind", "预警类型", sort="kind", value=lambda w: w.get_kind_display()),
    Column("reason", "原因"),
    Column("town", "乡镇", sort="enterprise__town__name", value=lambda w: w.enterprise.town),
    Column("park", "园区", value=lambda w: w.enterprise.park or "—"),
]


def warnings(request):
    """Warning lists with reasons and links; groups whose output, tax and electricity disagree."""
    ctx = _common(request)
    kind = request.GET.get("kind") or None
    if kind and kind not in MonitorWarning.Kind.values:
        raise Http404("未找到该预警类型。")
    qs = (
        selectors.warning_list(user=request.user, month=ctx["month"], kind=kind)
        if ctx["month"]
        else MonitorWarning.objects.none()
    )
    settings = MonitorSettings.current()
    disagreement = []
    if ctx["month"] in ctx["months"]:
        rows = indicators.fetch_rows(
            month=ctx["month"],
            above_only=ctx["above_only"],
            scope=ctx["scope"],
            group_kinds=("town", "park", "cluster"),
        )
        labels = {}
        for gk in ("town", "park", "cluster"):
            labels.update(
                {
                    (gk, k): v
                    for k, v in indicators.group_labels(
                        gk, [r.group_key for r in rows if r.group_kind == gk]
                    ).items()
                }
            )
        for row in rows:
            g = {
                c: indicators.growth_of(c, row, settings.growth_basis)
                for c in ("gross_output", "tax_paid", "electricity_kwh")
            }
            known = [v for v in g.values() if v is not None]
            if len(known) >= 2 and (max(known) - min(known)) * 100 > settings.disagreement_pp:
                disagreement.append(
                    {
                        "label": labels.get((row.group_kind, row.group_key), row.group_key),
                        "kind": indicators.GROUP_LABELS[row.group_kind],
                        "growth": g,
                        "spread": (max(known) - min(known)),
                    }
                )
    return render_list(
        request,
        queryset=qs,
        columns=WARNING_COLUMNS,
        template="statistics/warnings.html",
        title="运行预警",
        default_sort="kind",
        export_name="运行预警",
        extra_context={
            **ctx,
            "kind": kind,
            "kinds": MonitorWarning.Kind.choices,
            "disagreement": disagreement,
            "settings": settings,
            "basis_label": settings.get_growth_basis_display(),
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )


def official_list(request):
    selectors.require_aggregate_scope(request.user)
    form = OfficialForm(request.POST or None)
    if request.method == "POST":
        if not (request.user.can_manage or request.user.role == "bureau"):
            raise PermissionDenied("只有统计局和领导小组办公室可以录入发布数。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.official_figure_save(
                    actor=request.user,
                    indicator=data["indicator"],
                    month=data["month"],
                    value=None if data["value_yi"] is None else data["value_yi"] * Decimal(100_000_000),
                    growth=None if data["growth_pct"] is None else data["growth_pct"] / 100,
                    note=data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "已保存统计局发布数。")
                return redirect("statistics:official")
    items = (
        OfficialFigure.objects.visible_to(request.user)
        .select_related("entered_by")
        .filter(scope_kind="county")[:100]
    )
    labels = {**indicators.OFFICIAL_ONLY, **{c: i.name for c, i in indicators.CATALOGUE.items()}}
    return render(
        request,
        "statistics/official.html",
        {
            "title": "统计局发布数",
            "items": items,
            "labels": labels,
            "form": form,
            "can_edit": request.user.can_manage or request.user.role == "bureau",
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )


def settings_edit(request):
    if not request.user.can_issue:
        raise PermissionDenied("只有领导小组办公室和系统管理员可以执行此操作。")
    row = MonitorSettings.current()
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.settings_update(actor=request.user, **{f: form.cleaned_data[f] for f in form.fields})
        messages.success(request, "已保存监测参数，最近月份的预警已重新计算。")
        return redirect("statistics:warnings")
    return render(
        request,
        "core/form_page.html",
        {
            "title": "监测参数",
            "intro": settings_note(row, request.user, "监测参数"),
            "form": form,
            "cancel_url": reverse("statistics:warnings"),
            "breadcrumbs": [("运行监测", reverse("statistics:overview"))],
        },
    )
