"""The 12345 list import page and its template."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from qiangxian.core.exports import xlsx_attachment

from ..importers import import_hotline, write_template


class HotlineImportForm(forms.Form):
    file = forms.FileField(label="12345工单清单（.xlsx/.xls/.csv）")


def hotline_template(request):
    if not request.user.can_manage:
        raise PermissionDenied("只有领导小组办公室可以导入12345工单。")
    return xlsx_attachment("12345工单导入模板.xlsx", write_template)


def hotline_import(request):
    if not request.user.can_manage:
        raise PermissionDenied("只有领导小组办公室可以导入12345工单。")
    form = HotlineImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_hotline(actor=request.user, content=upload.read(), file_name=upload.name)
        if result.ok:
            messages.success(
                request,
                f"导入成功：新增诉求 {len(result.created)} 件（已按分办规则交办），"
                f"跳过已导入工单 {result.skipped} 件。",
            )
            return redirect("service:import")
    return render(
        request,
        "service/import.html",
        {
            "title": "12345工单导入",
            "form": form,
            "result": result,
            "breadcrumbs": [("服务企业", "/service/")],
        },
    )
