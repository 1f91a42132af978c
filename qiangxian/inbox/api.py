"""API of the inbox: the user's notices, the unread count, marking read."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.params import Id, Pagination

from . import selectors, services

router = Router()


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    recipient_user_id: int | None
    recipient_unit_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class CountOut(Schema):
    unread: int


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=500, description="不传则全部标为已读")


@router.get("/notices", response=list[NoticeOut], summary="我的消息")
@paginate(Pagination)
def notice_list(request, unread: bool = False):
    queryset = selectors.inbox(user=request.user)
    return queryset.unread() if unread else queryset


@router.get("/unread", response=CountOut, summary="未读消息数")
def unread(request):
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/read", response=CountOut, summary="标为已读")
def mark_read(request, payload: ReadIn):
    return {"unread": services.notice_mark_read(actor=request.user, notice_ids=payload.ids)}
