"""Writing notices: one call, any number of recipients, one INSERT."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Notice


def notice_send(
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    users: Iterable = (),
    units: Iterable = (),
    related=None,
) -> list[Notice]:
    """Send one notice to each user and each unit given (duplicates dropped), in one bulk insert.

    ``kind`` is a dotted event name (``service.demand.routed``) that gateways and filters read;
    ``related`` is the record the notice is about (kept as a generic relation). Call it inside
    the service's transaction so a refused write sends nothing.
    """
    content_type = ContentType.objects.get_for_model(related) if related is not None else None
    object_id = related.pk if related is not None else None
    common = {
        "kind": kind,
        "title": title[:200],
        "body": body[:1000],
        "link": link[:300],
        "content_type": content_type,
        "object_id": object_id,
    }
    user_ids = list(dict.fromkeys(getattr(u, "pk", u) for u in users if u is not None))
    unit_ids = list(dict.fromkeys(getattr(u, "pk", u) for u in units if u is not None))
    notices = [Notice(recipient_user_id=pk, **common) for pk in user_ids]
    notices += [Notice(recipient_unit_id=pk, **common) for pk in unit_ids]
    return Notice.objects.bulk_create(notices)


@transaction.atomic
def notice_mark_read(*, actor, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notices read (all unread ones when no ids are given); returns how many."""
    if not actor.is_authenticated:
        raise PermissionDenied("请先登录。")
    queryset = Notice.objects.visible_to(actor).unread()
    if notice_ids is not None:
        queryset = queryset.filter(pk__in=list(notice_ids))
    return queryset.update(read_at=timezone.now(), read_by=actor)
