"""The inbox page, marking read, and the gateway export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qiangxian.core import exports
from qiangxian.core.lists import Column, render_list

from . import selectors, services
from .filters import NoticeFilter


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def inbox_page(request):
    columns = [
        Column("created_at", "时间", sort="created_at", display=lambda n: _dt(n.created_at)),
        Column("title", "事项", link=lambda n: f"/inbox/{n.pk}/open/"),
        Column("body", "内容"),
        Column("recipient_label", "接收", value=lambda n: n.recipient_label),
        Column(
            "read_at",
            "状态",
            sort="read_at",
            value=lambda n: "已读" if n.read_at else "未读",
        ),
    ]
    return render_list(
        request,
        queryset=selectors.inbox(user=request.user),
        columns=columns,
        template="inbox/list.html",
        title="我的消息",
        filterset_class=NoticeFilter,
        default_sort="-created_at",
        extra_context={"can_export_all": request.user.can_manage},
    )


def badge(request):
    """The top bar's unread count, fetched by htmx after the page loads (one COUNT query), so no
    page pays for it in its own queries; refreshed every two minutes."""
    count = selectors.unread_count(user=request.user)
    if not count:
        return HttpResponse("")
    shown = "99+" if count > 99 else str(count)
    return HttpResponse(
        ' <span class="badge rounded-pill text-bg-danger" data-testid="inbox-unread"'
        f' title="{count} 条未读消息">{shown}</span>'
    )


@require_POST
def mark_read(request):
    ids = request.POST.getlist("ids")
    chosen = [int(i) for i in ids if i.isdigit() and len(i) < 12] if ids else None
    count = services.notice_mark_read(actor=request.user, notice_ids=chosen)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("inbox:list")


def open_notice(request, pk):
    """Mark one notice read and go to what it is about."""
    notice = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.notice_mark_read(actor=request.user, notice_ids=[notice.pk])
    safe = url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()})
    return redirect(notice.link if notice.link and safe else "inbox:list")


def gateway_export(request):
    """Every notice the officer may see as a sheet a SMS/WeCom gateway reads (phones included)."""
    filterset = NoticeFilter(request.GET or None, queryset=selectors.gateway_list(user=request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    headers = ["时间", "类型", "接收人/单位", "手机号", "标题", "内容", "链接", "已读"]
    rows = (
        [
            timezone.localtime(n.created_at).replace(tzinfo=None),
            n.kind,
            n.recipient_label,
            selectors.phones_of(n),
            n.title,
            n.body,
            request.build_absolute_uri(n.link) if n.link else "",
            bool(n.read_at),
        ]
        for n in queryset.order_by("-created_at", "-pk")
    )
    return exports.xlsx_response(
        filename="消息推送清单.xlsx", title="消息推送清单", headers=headers, rows=rows
    )
