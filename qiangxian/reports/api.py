"""API of the reports: generate a report, list the archive, fetch one with its figures and file."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from qiangxian.core import exports
from qiangxian.core.params import Id, Limit, Offset, YearMonth

from . import selectors, services
from .documents import DOCX_MIME
from .models import ReportKind

router = Router()

ScopeKind = Literal["county", "town", "park", "zone"]


class ReportGenerateIn(Schema):
    kind: Literal["monthly", "meeting"] = "monthly"
    month: YearMonth
    scope_kind: ScopeKind | None = None
    scope_id: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None


class GeneratedReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    month: dt.date
    scope_kind: str
    scope_id: int
    scope_label: str
    version: int
    previous_id: int | None
    scheduled: bool
    created_by: str | None
    created_at: dt.datetime
    data_as_of: dt.datetime | None
    file_url: str
    extra_file_url: str | None
    unfilled: list[dict]


class ReportDetailOut(GeneratedReportOut):
    headline: str
    figures: dict
    changes: list[dict]


class ReportFillIn(Schema):
    month: YearMonth


class ReportTemplateOut(Schema):
    id: int
    name: str
    file_name: str
    mapping: list[dict]


def _out(report) -> dict:
    return {
        "id": report.pk,
        "kind": report.kind,
        "kind_label": report.get_kind_display(),
        "title": report.title,
        "month": report.month,
        "scope_kind": report.scope_kind,
        "scope_id": report.scope_id,
        "scope_label": report.scope_label,
        "version": report.version,
        "previous_id": report.previous_id,
        "scheduled": report.scheduled,
        "created_by": str(report.created_by) if report.created_by_id else None,
        "created_at": report.created_at,
        "data_as_of": report.data_as_of,
        "file_url": f"/api/reports/{report.pk}/file",
        "extra_file_url": f"/api/reports/{report.pk}/file?which=extra" if report.extra_file else None,
        "unfilled": report.unfilled,
    }


@router.post("/", response={201: ReportDetailOut}, summary="生成报告")
def generate(request, payload: ReportGenerateIn):
    """按月份和范围生成月度分析（monthly）或领导小组会议材料（meeting）；乡镇、园区用户只能生成本辖区。"""
    scope = services.resolve_scope(request.user, payload.scope_kind, payload.scope_id)
    make = services.generate_meeting if payload.kind == ReportKind.MEETING else services.generate_monthly
    report = make(actor=request.user, month=payload.month, scope=scope)
    return 201, _detail(report)


def _detail(report) -> dict:
    return {
        **_out(report),
        "headline": services.headline_text(report),
        "figures": report.figures,
        "changes": services.changes(report),
    }


@router.get("/", response=list[GeneratedReportOut], summary="报告存档")
def report_list(
    request,
    kind: Literal["monthly", "meeting", "upward"] | None = None,
    month: YearMonth | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    qs = selectors.report_list(user=request.user, kind=kind)
    if month:
        from qiangxian.statistics.selectors import parse_month

        qs = qs.filter(month=parse_month(month))
    return [_out(r) for r in qs[offset : offset + limit]]


@router.get("/{report_id}", response=ReportDetailOut, summary="报告详情（含所用数据和与上一版相比的变化）")
def report_detail(request, report_id: Id):
    return _detail(selectors.access_report_by_id(request.user, report_id))


@router.get("/{report_id}/file", summary="下载报告文件")
def report_file(request, report_id: Id, which: Literal["file", "extra"] = "file"):
    report = selectors.access_report_by_id(request.user, report_id)
    field = report.extra_file if which == "extra" else report.file
    if not field:
        raise Http404
    with field.open("rb") as handle:
        content = handle.read()
    suffix = field.name.rsplit(".", 1)[-1]
    return exports.attachment(
        content,
        f"{report.title}-第{report.version}版.{suffix}",
        DOCX_MIME if suffix == "docx" else exports.XLSX_MIME,
    )


@router.get("/templates/", response=list[ReportTemplateOut], summary="上报报表模板")
def template_list(request):
    return [
        {"id": t.pk, "name": t.name, "file_name": t.file_name, "mapping": t.mapping}
        for t in selectors.template_list(user=request.user)
    ]


@router.post("/templates/", response={201: ReportTemplateOut}, summary="上传上报报表模板")
def template_upload(
    request,
    name: Form[Annotated[str, Field(min_length=1, max_length=100)]],
    mapping: Form[Annotated[str, Field(max_length=200_000)]] = "",
    file: File[UploadedFile] = None,
):
    """mapping 每行一条规则，如“表1!C5 = 工业总产值 累计 全县”或“表1!D6:D20 = gross_output 增速 乡镇 B”。"""
    template = services.template_save(actor=request.user, name=name, upload=file, mapping_text=mapping)
    return 201, {
        "id": template.pk,
        "name": template.name,
        "file_name": template.file_name,
        "mapping": template.mapping,
    }


@router.post("/templates/{template_id}/fill", response={201: ReportDetailOut}, summary="按月填写上报报表")
def template_fill(request, template_id: Id, payload: ReportFillIn):
    template = selectors.access_template_by_id(request.user, template_id)
    return 201, _detail(services.fill_template(actor=request.user, template=template, month=payload.month))
