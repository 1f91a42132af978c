"""Spreadsheet import of the registry: the template, the upload, the batches and undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.exports import xlsx_attachment

from .. import selectors
from ..forms import ImportForm
from ..importers import import_batch_undo, import_registry, write_registry
from ..importers.files import MAX_BYTES
from ..models import ImportBatch
from ._common import manager_required, registry_breadcrumbs


@manager_required
def import_template(request):
    return xlsx_attachment("企业名录导入模板.xlsx", write_registry)


@manager_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"文件过大，单个文件不能超过 {MAX_BYTES // 1024 // 1024} MB。")
        else:
            result = import_registry(actor=request.user, content=upload.read(), file_name=upload.name)
            if result.batch is not None:
                messages.success(
                    request,
                    f"导入成功：新增 {result.batch.created_count} 户，更新 "
                    f"{result.batch.updated_count} 户，未变化 {result.batch.unchanged_count} 户。",
                )
                for warning in result.plan.warnings[:20]:
                    messages.warning(request, f"第{warning.row}行 {warning.column}：{warning.reason}")
                return redirect("enterprises:import_batch", pk=result.batch.pk)
    return render(
        request,
        "enterprises/import.html",
        {
            "title": "企业名录导入",
            "form": form,
            "result": result,
            "batches": selectors.import_batches()[:50],
            "breadcrumbs": registry_breadcrumbs(),
        },
    )


@manager_required
def import_batch(request, pk):
    batch = get_object_or_404(selectors.import_batches(), pk=pk)
    return render(
        request,
        "enterprises/import_batch.html",
        {
            "title": f"导入批次 #{batch.pk}",
            "batch": batch,
            "items": batch.items.select_related("enterprise")[:500],
            "breadcrumbs": registry_breadcrumbs(("企业名录导入", reverse("enterprises:import"))),
        },
    )


@manager_required
@require_POST
def import_undo(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        import_batch_undo(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已撤销导入批次 #{batch.pk}。")
    return redirect("enterprises:import_batch", pk=pk)
