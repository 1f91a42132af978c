"""The workbench's inbox item: unread notices (what needs me, deadlines, replies)."""

from __future__ import annotations

from qiangxian.core import workbench

from . import selectors
from .filters import NoticeFilter


def sections(user) -> list[workbench.Section]:
    return [
        workbench.Section(
            key="inbox",
            title="我的消息",
            icon="bell",
            items=(
                workbench.counted(
                    "未读消息",
                    "inbox:list",
                    selectors.inbox(user=user),
                    filterset_class=NoticeFilter,
                    params={"state": "unread"},
                    alert_tone="danger",
                    key="inbox-unread",
                ),
            ),
            order=1,
        )
    ]
