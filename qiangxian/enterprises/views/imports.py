"""Spreadsheet import of the registry: upload, review (columns, counts, 规上 changes), apply, undo.

An upload is kept under ``VAR_DIR/imports/registry/`` until it is applied; the session holds which
uploads belong to the user, so a review link cannot be opened by anyone else.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.exports import xlsx_attachment

from .. import selectors
from ..choices import ImportStatus
from ..forms import ImportForm, ImportReviewForm
from ..importers import import_batch_undo, import_registry, plan_import, write_registry
from ..models import ImportBatch, RegistryImportProfile
from ._common import manager_required, registry_breadcrumbs

SESSION_KEY = "registry_uploads"
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports" / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    """Uploads reviewed and never applied are dropped after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _stage(request, upload, *, mapping: dict, month: dt.date | None) -> str:
    folder = _folder()
    _prune(folder)
    token = uuid.uuid4().hex
    with (folder / f"{token}.upload").open("wb") as stream:
        for chunk in upload.chunks():
            stream.write(chunk)
    staged = request.session.get(SESSION_KEY, {})
    staged[token] = {"name": upload.name, "mapping": mapping, "month": month.isoformat() if month else None}
    request.session[SESSION_KEY] = staged
    return token


def _staged(request, token: str) -> tuple[dict, bytes]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    path = _folder() / f"{token}.upload"
    if entry is None or not path.exists():
        raise Http404("该上传已失效，请重新上传文件。")
    return entry, path.read_bytes()


def _forget(request, token: str) -> None:
    staged = request.session.get(SESSION_KEY, {})
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged
    (_folder() / f"{token}.upload").unlink(missing_ok=True)


@manager_required
def import_template(request):
    return xlsx_attachment("企业名录导入模板.xlsx", write_registry)


@manager_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        profile = form.cleaned_data["profile"]
        token = _stage(
            request,
            form.cleaned_data["file"],
            mapping=dict(profile.mapping) if profile else {},
            month=form.cleaned_data["scale_month"],
        )
        return redirect("enterprises:import_review", token=token)
    return render(
        request,
        "enterprises/import.html",
        {
            "title": "企业名录导入",
            "form": form,
            "batches": selectors.import_batches()[:50],
            "breadcrumbs": registry_breadcrumbs(),
        },
    )


@manager_required
def import_review(request, token):
    """What the staged file would do, with its columns mappable; applying it re-checks everything."""
    entry, content = _staged(request, token)
    month = dt.date.fromisoformat(entry["month"]) if entry["month"] else None
    mapping = entry["mapping"]
    plan = plan_import(content=content, file_name=entry["name"], mapping=mapping, scale_month=month)
    form = ImportReviewForm(request.POST or None, columns=plan.columns, initial={"scale_month": month})
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        month = form.cleaned_data["scale_month"]
        entry.update(mapping=mapping, month=month.isoformat() if month else None)
        request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: entry}
        name = form.cleaned_data["profile_name"].strip()
        if name:
            try:
                RegistryImportProfile.objects.update_or_create(
                    name=name, defaults={"mapping": mapping, "created_by": request.user}
                )
                messages.success(request, f"已保存导入方案“{name}”，下次上传时可选用。")
            except IntegrityError:
                messages.error(request, f"导入方案“{name}”保存失败，请换一个名称。")
        if request.POST.get("action") == "apply":
            result = import_registry(
                actor=request.user,
                content=content,
                file_name=entry["name"],
                mapping=mapping,
                scale_month=month,
            )
            if result.batch is not None:
                _forget(request, token)
                batch = result.batch
                text = (
                    f"导入成功：新增 {batch.created_count} 户，更新 {batch.updated_count} 户，"
                    f"未变化 {batch.unchanged_count} 户"
                )
                if batch.entered_count or batch.exited_count:
                    text += f"；入规 {batch.entered_count} 户，退规 {batch.exited_count} 户"
                messages.success(request, text + "。")
                for warning in result.plan.warnings[:20]:
                    messages.warning(request, f"第{warning.row}行 {warning.column}：{warning.reason}")
                return redirect("enterprises:import_batch", pk=batch.pk)
            if result.plan.ok:
                _forget(request, token)
                messages.info(request, "文件内容与平台现有信息一致，未做任何修改。")
                return redirect("enterprises:import")
        return redirect("enterprises:import_review", token=token)
    return render(
        request,
        "enterprises/import_review.html",
        {
            "title": f"导入预览：{entry['name']}",
            "form": form,
            "plan": plan,
            "token": token,
            "column_rows": [(c, form[f"map_{c.index}"]) for c in plan.columns],
            "month_value": f"{month:%Y-%m}" if month else "",
            "breadcrumbs": registry_breadcrumbs(("企业名录导入", reverse("enterprises:import"))),
        },
    )


@manager_required
def import_batch(request, pk):
    batch = get_object_or_404(selectors.import_batches().select_related("undo_job"), pk=pk)
    return render(
        request,
        "enterprises/import_batch.html",
        {
            "title": f"导入批次 #{batch.pk}",
            "batch": batch,
            "job": batch.undo_job,
            "items": batch.items.select_related("enterprise")[:500],
            "breadcrumbs": registry_breadcrumbs(("企业名录导入", reverse("enterprises:import"))),
        },
    )


@manager_required
@require_POST
def import_undo(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        batch = import_batch_undo(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if batch.status == ImportStatus.UNDONE:
            messages.success(request, f"已撤销导入批次 #{batch.pk}。")
        else:
            messages.info(request, f"导入批次 #{batch.pk} 较大，正在后台撤销，可在本页查看进度。")
    return redirect("enterprises:import_batch", pk=pk)
