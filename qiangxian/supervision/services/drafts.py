"""Documents and the confirmation of drafted items: nothing becomes a target or task unconfirmed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangxian.core.access import home_county_id
from qiangxian.statistics import services as statistics_services
from qiangxian.statistics import targets as statistics_targets

from ..choices import DocumentKind, SourceKind, TargetKind
from ..drafting import to_yuan
from ..models import Meeting, SourceDocument, TargetSource, Task
from .tasks import _require_manage, task_create

MAX_TEXT = 200_000


def read_upload(name: str, content: bytes) -> str:
    """The text of an uploaded .docx or .txt (UTF-8 or GB18030)."""
    lower = (name or "").lower()
    if lower.endswith(".docx"):
        import docx

        try:
            document = docx.Document(io.BytesIO(content))
        except Exception as exc:  # python-docx raises several types for a damaged file
            raise ValidationError({"file": "无法读取该 Word 文件，请另存为 .docx 后重试。"}) from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("，".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError({"file": "无法识别文本文件的编码，请另存为 UTF-8。"})
    raise ValidationError({"file": "只支持 .docx 或 .txt 文件。"})


@transaction.atomic
def document_create(
    *,
    actor,
    title: str,
    doc_date: dt.date,
    text: str,
    kind: str = DocumentKind.SPEECH,
    meeting: Meeting | None = None,
) -> SourceDocument:
    """Keep a document's text so every confirmed item can point at its sentence."""
    _require_manage(actor)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写文件名称。"
    if not (text or "").strip():
        errors["text"] = "请粘贴或上传文件正文。"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"正文不能超过 {MAX_TEXT} 字。"
    if kind not in DocumentKind.values:
        errors["kind"] = "文件类型不正确。"
    if errors:
        raise ValidationError(errors)
    document = SourceDocument(
        title=title.strip(),
        doc_date=doc_date,
        text=text,
        kind=kind,
        meeting=meeting,
        created_by=actor,
        county_id=home_county_id(actor),
    )
    document._history_user = actor
    document.save()
    return document


def _check_quote(document: SourceDocument, quote: str) -> None:
    if not quote or quote not in document.text:
        raise ValidationError({"quote": "原文必须是来源文件中的一句话。"})


@transaction.atomic
def draft_confirm_target(
    *,
    actor,
    document: SourceDocument,
    quote: str,
    metric: str,
    value: Decimal,
    unit: str,
    year: int,
    comparator: str = "≥",
    kind: str = TargetKind.LEVEL,
    indicator: str | None = None,
    strength: str = "",
    deadline: dt.date | None = None,
    responsible_unit=None,
    leader: str = "",
    above_only: bool = False,
    scope_kind: str = "county",
    scope_id: int = 0,
):
    """A confirmed target: a statistics target when an indicator measures it, else a task with a figure.

    Returns the statistics ``Target`` or the ``Task``.
    """
    _require_manage(actor)
    _check_quote(document, quote)
    if value is None or value <= 0:
        raise ValidationError({"value": "目标值应大于0。"})
    yuan = to_yuan(str(value), unit)
    measured = (
        indicator
        and statistics_targets.known_indicator(indicator)
        and kind == TargetKind.LEVEL
        and (yuan is not None or statistics_targets.indicator_unit(indicator) not in ("元", ""))
    )
    if measured:
        target = statistics_services.target_save(
            actor=actor,
            indicator=indicator,
            year=year,
            value=yuan if yuan is not None else value,
            scope_kind=scope_kind,
            scope_id=scope_id,
            above_only=above_only,
            responsible_unit=responsible_unit,
            note=f"{metric}{comparator}{value}{unit}（{document.title}）"[:300],
        )
        source = TargetSource(
            target=target,
            document=document,
            meeting=document.meeting,
            quote=quote,
            metric=metric[:100],
            unit_text=unit,
            comparator=comparator,
            kind=kind,
            strength=strength,
            deadline=deadline,
            leader=leader,
        )
        source._history_user = actor
        source.save()
        return target
    if responsible_unit is None:
        raise ValidationError({"responsible_unit": "没有平台指标对应的目标转为督办事项，请选择牵头单位。"})
    return task_create(
        actor=actor,
        title=f"{metric}{comparator}{value}{unit}"[:300],
        lead_unit=responsible_unit,
        deadline=deadline or dt.date(year, 12, 31),
        source_kind=SourceKind.DOCUMENT,
        document=document,
        meeting=document.meeting,
        quote=quote,
        leader=leader,
        starts_on=min(document.doc_date, deadline or dt.date(year, 12, 31)),
        metric=metric[:100],
        metric_unit=unit,
        metric_target=value,
    )


def draft_confirm_task(
    *,
    actor,
    document: SourceDocument,
    quote: str,
    action: str,
    lead_unit,
    deadline: dt.date,
    supporting_units=(),
    leader: str = "",
) -> Task:
    """A confirmed task, pointing at its sentence in the document."""
    _check_quote(document, quote)
    return task_create(
        actor=actor,
        title=action,
        lead_unit=lead_unit,
        deadline=deadline,
        supporting_units=supporting_units,
        source_kind=SourceKind.DOCUMENT,
        document=document,
        meeting=document.meeting,
        quote=quote,
        leader=leader,
        starts_on=min(document.doc_date, deadline),
    )
