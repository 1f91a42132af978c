"""Pages of approvals: the project page's checklist tab, the items list, units' performance,
regional assessments and the import of the approval system's export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from qiangxian.core import exports
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.lists import Column, render_list

from .. import services as project_services
from ..choices import ImportKind
from . import importer, selectors, services
from .filters import ApprovalItemFilter
from .forms import ApprovalImportForm, ChecklistForm, ItemActionForm, RegionalForm

CRUMBS = [("项目", "/projects/"), ("前期手续", "/projects/approvals/")]


def detail_section(request, project, action: str | None, can_edit: bool):
    """The checklist tab of the project page: (a redirect after a successful post, or the context)."""
    forms = {
        "checklist": ChecklistForm(
            request.POST if action == "checklist" else None, initial={"project_kind": project.project_kind}
        ),
        "item": ItemActionForm(request.POST if action == "item" else None, project=project),
    }
    if action in forms:
        form = forms[action]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "checklist":
                    if not can_edit:
                        raise PermissionDenied("您无权修改该项目。")
                    services.checklist_create(
                        actor=request.user, project=project, project_kind=data["project_kind"]
                    )
                    message = "已按模板生成手续清单。"
                else:
                    item = services.item_record(
                        actor=request.user,
                        item=data["item"],
                        action=data["step"],
                        on=data["on"],
                        text=data["text"],
                        unit=data["unit"],
                    )
                    message = f"已登记“{item.kind.name}”{services.ACTIONS[data['step']]}。"
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, message)
                return redirect(reverse("projects:detail", args=[project.pk]) + "?tab=approvals"), None
    items = selectors.checklist(project)
    can_record = can_edit or any(services.can_record(request.user, i) for i in items)
    return None, {
        "approval_forms": forms,
        "approval_items": items,
        "approval_summary": selectors.checklist_summary(items) if items else None,
        "can_record": can_record,
    }


def _status_cell(item):
    css = {
        "approved": "success",
        "inherited": "info",
        "not_applicable": "secondary",
        "returned": "warning",
    }.get(item.status, "danger" if item.late else "primary")
    return format_html('<span class="badge text-bg-{}">{}</span>', css, item.status_label)


def item_list(request):
    today = timezone.localdate()

    def annotated(item):
        if not hasattr(item, "status"):
            selectors.annotate_item(item, today)
        return item

    columns = [
        Column("project__code", "项目编号", sort="project__code"),
        Column(
            "project",
            "项目名称",
            sort="project__name",
            link=lambda i: reverse("projects:detail", args=[i.project_id]) + "?tab=approvals",
        ),
        Column("stage", "项目阶段", value=lambda i: i.project.get_stage_display()),
        Column("kind", "事项", sort="kind__phase"),
        Column("unit", "办理单位", sort="unit__name", value=lambda i: i.unit.name if i.unit_id else "未定"),
        Column(
            "status",
            "状态",
            value=lambda i: annotated(i).status_label,
            display=lambda i: _status_cell(annotated(i)),
        ),
        Column("submitted_on", "申报日期", sort="submitted_on"),
        Column("accepted_on", "受理日期", sort="accepted_on"),
        Column("approved_on", "办结日期", sort="approved_on"),
        Column(
            "held_days",
            "办理用时（工作日）",
            numeric=True,
            value=lambda i: annotated(i).held_days,
            display=lambda i: "—" if annotated(i).held_days is None else annotated(i).held_days,
        ),
        Column("promised_days", "承诺时限（工作日）", numeric=True, sort="promised_days"),
        Column("statutory_days", "法定时限（工作日）", numeric=True, sort="statutory_days"),
        Column(
            "note",
            "文号/原因",
            value=lambda i: (
                i.documents
                or i.return_reason
                or i.na_reason
                or (f"{i.inherited_from.zone}区域评估" if i.inherited_from_id else "")
            ),
        ),
    ]
    return render_list(
        request,
        queryset=selectors.item_list(user=request.user).select_related("inherited_from__zone"),
        columns=columns,
        template="projects/approvals/items.html",
        title="前期手续与要素保障",
        filterset_class=ApprovalItemFilter,
        default_sort="project__code",
        export_name="项目审批事项",
        extra_context={
            "breadcrumbs": CRUMBS[:1],
            "can_import": project_services.can_edit_project(request.user),
        },
    )


UNIT_HEADERS = [
    "办理单位",
    "已办结事项（件）",
    "办理用时中位数（工作日）",
    "办理用时90%分位（工作日）",
    "承诺时限（工作日，中位）",
    "法定时限（工作日，中位）",
    "按承诺时限办结率（%）",
    "在办（件）",
    "超承诺时限在办（件）",
    "超法定时限在办（件）",
]
PART_HEADERS = [
    "等待的手续",
    "办理单位",
    "涉及项目（个）",
    "合计工作日",
    "平均每个项目（工作日）",
    "占签约至开工时间（%）",
]


def _pct(value):
    return None if value is None else round(value * 100, 1)


def unit_rows(units):
    """The unit figures as table rows (page and export)."""
    return [
        [
            u["unit"],
            u["handled"],
            u["median_days"],
            u["p90_days"],
            u["promised_days"],
            u["statutory_days"],
            _pct(u["on_time_share"]),
            u["open"],
            u["overdue"],
            u["overdue_statutory"],
        ]
        for u in units
    ]


def part_rows(breakdown):
    """The signing-to-start breakdown as table rows (page and export)."""
    return [
        [
            p["item"],
            p["unit"] or "—",
            p["projects"],
            p["days"],
            round(p["average"], 1) if p["average"] is not None else None,
            _pct(p["share"]),
        ]
        for p in breakdown["parts"]
    ]


def unit_performance(request):
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    units = selectors.unit_performance(user=request.user, year=year_value)
    breakdown = selectors.signing_to_start(user=request.user, year=year_value)
    period = f"{year_value}年" if year_value else "全部年度"
    if request.GET.get("export") == "xlsx":
        buffer = io.BytesIO()
        exports.write_xlsx(
            buffer,
            sheets=[
                ("办理单位效能", UNIT_HEADERS, unit_rows(units)),
                ("签约至开工分解", PART_HEADERS, part_rows(breakdown)),
            ],
            notes=[
                f"统计范围：{period}；用时按法定节假日调整后的工作日计算，自受理（未受理的自申报）起至办结。",
                "中位数与90%分位取实际出现的用时（最近秩法）；区域评估覆盖和不适用的事项不计入。",
                "签约至开工分解：按办结日期把每个项目的签约至开工时间切段，每段计入在该段末办结的手续。",
            ],
        )
        return exports.attachment(buffer.getvalue(), f"审批办理单位效能-{period}.xlsx")
    return render(
        request,
        "projects/approvals/units.html",
        {
            "title": "审批办理单位效能",
            "breadcrumbs": CRUMBS,
            "unit_headers": UNIT_HEADERS,
            "units": units,
            "unit_rows": unit_rows(units),
            "part_headers": PART_HEADERS,
            "breakdown": breakdown,
            "part_rows": part_rows(breakdown),
            "year": year_value,
            "period": period,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        },
    )


def regional(request):
    can_manage = project_services.can_manage_settings(request.user)
    form = RegionalForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有领导小组办公室可以登记区域评估。")
        if form.is_valid():
            try:
                assessment = services.regional_save(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, f"已登记{assessment}，{assessment.items.count()}个项目的该事项改为区域评估覆盖。"
                )
                return redirect("projects:approvals_regional")
    return render(
        request,
        "projects/approvals/regional.html",
        {
            "title": "区域评估",
            "breadcrumbs": CRUMBS,
            "assessments": selectors.regional_list(user=request.user),
            "form": form,
            "can_manage": can_manage,
        },
    )


def import_page(request):
    if not project_services.can_edit_project(request.user):
        raise PermissionDenied("您无权导入审批办件。")
    form = ApprovalImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importer.stage_file(user=request.user, file_name=upload.name, content=upload.read())
        return redirect("projects:batch", pk=batch.pk)
    from ..models import ProgressImportBatch

    batches = ProgressImportBatch.objects.filter(kind=ImportKind.APPROVALS).select_related("uploaded_by")
    if not project_services.can_manage_settings(request.user):
        batches = batches.filter(uploaded_by=request.user)
    return render(
        request,
        "projects/approvals/import.html",
        {
            "title": "导入审批办件",
            "breadcrumbs": CRUMBS,
            "form": form,
            "batches": batches[:30],
            "columns": importer.COLUMN_HELP,
        },
    )
