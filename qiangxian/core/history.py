"""Record history as a timeline: who changed what, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = {"+": "创建", "~": "修改", "-": "删除"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    subject: str = ""


def _display(model, field_name: str, value) -> str:
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return "" if value is None else str(value)
    if isinstance(value, list):
        # A many-to-many field's history holds its through rows ({"task": 1, "orgunit": 5}).
        return _display_many(model_field, value)
    if value in (None, ""):
        return "（空）"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        obj = model_field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _display_many(model_field, rows: list) -> str:
    related = model_field.related_model
    key = related._meta.model_name
    ids = [row.get(key) for row in rows if isinstance(row, dict) and row.get(key) is not None]
    if not ids:
        return "（空）"
    found = related._default_manager.in_bulk(ids)
    return "、".join(str(found[i]) if i in found else f"#{i}" for i in ids)


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _entry(model, record, previous, subject: str = "") -> HistoryEntry:
    changes: list[Change] = []
    if previous is not None and record.history_type == "~":
        delta = record.diff_against(previous)
        changes = [
            Change(_label(model, c.field), _display(model, c.field, c.old), _display(model, c.field, c.new))
            for c in delta.changes
        ]
    user = record.history_user
    return HistoryEntry(
        when=record.history_date,
        who=(str(user) if user else "系统"),
        action=ACTIONS.get(record.history_type, record.history_type),
        reason=record.history_change_reason or "",
        changes=changes,
        subject=subject,
    )


def timeline(obj, limit: int = 200) -> list[HistoryEntry]:
    """The object's history, newest first, each entry with its field changes."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    return [
        _entry(model, record, records[index + 1] if index + 1 < len(records) else None)
        for index, record in enumerate(records[:limit])
    ]


def records_timeline(sources, limit: int = 200) -> list[HistoryEntry]:
    """The merged history of several records, deleted ones included, newest first.

    ``sources`` holds ``(model, filters, describe)``: the history of every ``model`` row matching
    ``filters`` (on the historical table, so rows deleted since still count), each entry labelled
    by ``describe(historical_record)``. Used where a page shows a set of small records that have
    no page of their own, e.g. an enterprise's assessment data.
    """
    entries: list[HistoryEntry] = []
    for model, filters, describe in sources:
        records = (
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        last: dict = {}
        for record in records:
            key = getattr(record, model._meta.pk.attname)
            entries.append(_entry(model, record, last.get(key), subject=describe(record)))
            last[key] = record
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
