"""Meetings whose decisions are supervised."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangxian.core.access import home_county_id

from ..models import Meeting
from .tasks import _require_manage


@transaction.atomic
def meeting_save(
    *,
    actor,
    title: str,
    held_on: dt.date,
    attendees: str = "",
    note: str = "",
    meeting: Meeting | None = None,
) -> Meeting:
    """Record (or correct) a meeting."""
    _require_manage(actor)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写会议名称。"})
    if held_on is None:
        raise ValidationError({"held_on": "请填写会议日期。"})
    meeting = meeting or Meeting(created_by=actor, county_id=home_county_id(actor))
    meeting.title, meeting.held_on = title.strip(), held_on
    meeting.attendees, meeting.note = attendees, note
    meeting._history_user = actor
    meeting.save()
    return meeting
