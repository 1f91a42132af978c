"""Writes of the reports module: generate and archive a report, keep the closing text, compare."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qiangxian.core.access import scope_of, settings_county_id
from qiangxian.core.concurrency import STALE
from qiangxian.core.models import OrgUnit
from qiangxian.statistics import selectors as stats_selectors

from . import documents, fill, selectors
from .models import GeneratedReport, ReportKind, ReportNote, ReportSettings, ReportTemplate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _county_of(scope) -> OrgUnit | None:
    if scope[0] == "county":
        return OrgUnit.objects.filter(pk=scope[1]).first() if scope[1] else None
    unit = OrgUnit.objects.filter(pk=scope[1]).select_related("county").first()
    return unit.county if unit is not None else None


def require_author(actor) -> None:
    """The office (and administrators) write the county's reports; a town, park or zone its own."""
    if getattr(actor, "can_manage", False) or scope_of(actor).kind in ("town", "park", "zone"):
        return
    raise PermissionDenied("只有办公室和乡镇、园区用户可以生成报告。")


def resolve_scope(user, kind: str | None, unit_id) -> tuple[str, int]:
    """The scope asked for, if the user may report on it (a town user: the town only)."""
    return stats_selectors.requested_scope(user, kind, unit_id)


def _archive(
    *, actor, kind, month, scope, title, figures, content: bytes, filename, scheduled=False, **extra
):
    previous = selectors.previous_report(kind=kind, month=month, scope=scope, template=extra.get("template"))
    report = GeneratedReport(
        kind=kind,
        month=month,
        scope_kind=scope[0],
        scope_id=scope[1],
        scope_label=figures.get("meta", {}).get("scope_label") or stats_selectors.scope_label(scope),
        county=_county_of(scope),
        title=title,
        figures=figures,
        data_as_of=selectors.data_as_of(month),
        previous=previous,
        version=(previous.version + 1) if previous else 1,
        created_by=actor,
        scheduled=scheduled,
        **{k: v for k, v in extra.items() if k != "extra_content"},
    )
    report._history_user = actor
    report.file.save(filename, ContentFile(content), save=False)
    if extra.get("extra_content"):
        name, data = extra["extra_content"]
        report.extra_file.save(name, ContentFile(data), save=False)
    report.save()
    return report


def issuer_label(scope) -> str:
    if scope[0] == "county":
        return f"{stats_selectors.scope_label(scope)}工业强县领导小组办公室"
    return stats_selectors.scope_label(scope)


@transaction.atomic
def generate_monthly(*, actor, month, scope, scheduled: bool = False) -> GeneratedReport:
    """Write the month's analysis for the scope and archive it with the figures it used.

    The month must have statistics and the scope must be the actor's to read (else a refusal,
    nothing written).
    """
    require_author(actor)
    month = selectors.checked_month(month)
    figures = selectors.monthly_figures(user=actor, month=month, scope=scope)
    if all(h["value"] is None for h in figures["headlines"]):
        raise ValidationError(
            {
                "month": f"{figures['meta']['scope_label']}{month.year}年{month.month}月"
                "没有规上工业数据，无法生成报告。"
            }
        )
    note = ReportNote.objects.filter(month=month, scope_kind=scope[0], scope_id=scope[1]).first()
    content = documents.monthly_docx(figures, note=note.text if note else "", issuer=issuer_label(scope))
    label = figures["meta"]["scope_label"]
    title = f"{label}{month.year}年{documents.months_label(month)}工业经济运行分析"
    return _archive(
        actor=actor,
        kind=ReportKind.MONTHLY,
        month=month,
        scope=scope,
        title=title,
        figures=figures,
        content=content,
        filename=f"monthly-{scope[0]}-{scope[1]}-{month:%Y-%m}.docx",
        scheduled=scheduled,
    )


@transaction.atomic
def note_save(*, actor, month: dt.date, scope, text: str, version: int | None = None) -> ReportNote:
    """Keep the office's closing section for a month and scope (409 on a stale version)."""
    require_author(actor)
    if len(text) > 20000:
        raise ValidationError({"text": "下一步工作不能超过20000字。"})
    note, created = ReportNote.objects.select_for_update().get_or_create(
        month=month, scope_kind=scope[0], scope_id=scope[1], defaults={"county": _county_of(scope)}
    )
    if not created and version is not None and version != note.version:
        raise ValidationError("该段文字已被他人修改，请刷新后重试。", code=STALE)
    note.text = text
    note.version = note.version + (0 if created else 1)
    note.updated_by = actor
    note._history_user = actor
    note.save()
    return note


# --- what changed between two generations -----------------------------------------------------


def figure_lines(figures: dict) -> dict[str, tuple[str, str]]:
    """Every figure of a report as key → (label, text as the report shows it)."""
    from qiangxian.statistics.templatetags.stats import format_value

    from .documents import _d, pct_cell

    lines: dict[str, tuple[str, str]] = {}
    for h in figures.get("headlines", []):
        lines[f"headline.{h['code']}.value"] = (h["name"], format_value(_d(h["value"]), h["code"]))
        lines[f"headline.{h['code']}.growth"] = (f"{h['name']}增速（%）", pct_cell(h["growth"]))
        if h.get("completion") is not None:
            lines[f"headline.{h['code']}.completion"] = (
                f"{h['name']}完成年度目标（%）",
                pct_cell(h["completion"]),
            )
    for kind, block in figures.get("breakdowns", {}).items():
        for i in block["items"]:
            base = f"{kind}.{i['key']}"
            lines[f"{base}.value"] = (f"{i['label']}产值", format_value(_d(i["value"]), "gross_output"))
            lines[f"{base}.growth"] = (f"{i['label']}增速（%）", pct_cell(i["growth"]))
            lines[f"{base}.pull"] = (f"{i['label']}拉动（个百分点）", pct_cell(i["pull"]))
    for t in figures.get("targets", []):
        lines[f"target.{t['indicator']}.completion"] = (
            f"目标：{t['name']}完成率（%）",
            pct_cell(t["completion"]),
        )
    projects = figures.get("projects")
    if projects:
        lines["projects.investment"] = (
            "工业投资完成额",
            format_value(_d(projects["investment"]["actual"]), "gross_output"),
        )
        lines["projects.signed_not_started"] = ("签约未开工项目（个）", str(projects["signed_not_started"]))
        for light, label in (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")):
            lines[f"projects.{light}"] = (f"{label}项目（个）", str(projects["lights"].get(light, 0)))
    problems = figures.get("problems")
    if problems:
        for key, label in (
            ("problems_open", "办理中项目问题（个）"),
            ("problems_overdue", "逾期项目问题（个）"),
            ("demands_open", "在办企业诉求（件）"),
            ("demands_overdue", "逾期企业诉求（件）"),
        ):
            lines[f"problems.{key}"] = (label, str(problems[key]))
    for cell in figures.get("cells", []):
        lines[f"cell.{cell['ref']}"] = (cell["ref"], cell["text"])
    return lines


def changes(report: GeneratedReport) -> list[dict]:
    """The figures that differ from the previous generation of the same report (as shown)."""
    if report.previous is None:
        return []
    old, new = figure_lines(report.previous.figures), figure_lines(report.figures)
    result = []
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key), new.get(key)
        if before is None or after is None or before[1] != after[1]:
            result.append(
                {
                    "key": key,
                    "label": (after or before)[0],
                    "before": before[1] if before else "（无）",
                    "after": after[1] if after else "（无）",
                }
            )
    return result


def now() -> dt.datetime:
    return timezone.now()


@transaction.atomic
def generate_meeting(*, actor, month, scope, scheduled: bool = False) -> GeneratedReport:
    """The leading group's meeting material (.docx and .xlsx with the same tables), archived."""
    require_author(actor)
    month = selectors.checked_month(month)
    figures = selectors.meeting_figures(user=actor, month=month, scope=scope)
    label = figures["meta"]["scope_label"]
    docx = documents.meeting_docx(figures, issuer=issuer_label(scope))
    xlsx = documents.meeting_xlsx(figures)
    stem = f"meeting-{scope[0]}-{scope[1]}-{month:%Y-%m}"
    return _archive(
        actor=actor,
        kind=ReportKind.MEETING,
        month=month,
        scope=scope,
        title=f"{label}工业强县领导小组会议材料（{month.year}年{month.month}月）",
        figures=figures,
        content=docx,
        filename=f"{stem}.docx",
        scheduled=scheduled,
        extra_content=(f"{stem}.xlsx", xlsx),
    )


def headline_text(report: GeneratedReport) -> str:
    """The report's headline sentence, as written in the document."""
    if report.kind == ReportKind.MONTHLY and report.figures.get("headlines"):
        return documents.headline_sentence(report.figures)
    return ""


@transaction.atomic
def settings_save(*, actor, auto_monthly: bool) -> ReportSettings:
    if not getattr(actor, "can_issue", False):
        raise PermissionDenied("只有办公室可以修改报告参数。")
    row = ReportSettings.own(settings_county_id(actor))
    row.auto_monthly = auto_monthly
    row._history_user = actor
    row.save()
    return row


# --- upward tables ---------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *, actor, name: str, upload, mapping_text: str, template: ReportTemplate | None = None
) -> ReportTemplate:
    """Store an uploaded .xlsx template (or change a stored one's mapping), validated first:
    not an .xlsx, a missing sheet, an unknown indicator or group are refused, nothing saved."""
    if not getattr(actor, "can_manage", False):
        raise PermissionDenied("只有办公室可以管理上报报表模板。")
    content = None
    if upload is not None:
        content = upload.read()
        book = fill.open_template(content, upload.name)
    elif template is None:
        raise ValidationError({"file": "请上传模板文件（.xlsx）。"})
    else:
        with template.file.open("rb") as handle:
            book = fill.open_template(handle.read(), template.file_name)
    mapping = fill.parse_mapping(mapping_text)
    fill.check_mapping(mapping, book)
    scope = scope_of(actor)
    if template is None:
        template = ReportTemplate(county_id=scope.county_id, uploaded_by=actor)
    template.name = name
    template.mapping = mapping
    if content is not None:
        template.file_name = upload.name[:200]
        template.file.save(f"template-{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(content), save=False)
    template._history_user = actor
    template.save()
    return template


@transaction.atomic
def fill_template(*, actor, template: ReportTemplate, month) -> GeneratedReport:
    """Fill a copy of the template with the month's figures and archive it with the cells that
    could not be filled."""
    if not getattr(actor, "can_manage", False):
        raise PermissionDenied("只有办公室可以填写上报报表。")
    month = selectors.checked_month(month)
    scope = stats_selectors.require_aggregate_scope(actor)
    with template.file.open("rb") as handle:
        content = handle.read()
    result = fill.fill(content, template.mapping, month=month, county_scope=scope, user=actor)
    figures = {
        "meta": {"month": f"{month:%Y-%m}", "scope_label": stats_selectors.scope_label(scope)},
        "cells": result.cells,
    }
    return _archive(
        actor=actor,
        kind=ReportKind.UPWARD,
        month=month,
        scope=scope,
        title=f"{template.name}（{month.year}年{month.month}月）",
        figures=figures,
        content=result.content,
        filename=f"upward-{template.pk}-{month:%Y-%m}.xlsx",
        template=template,
        unfilled=result.unfilled,
    )
