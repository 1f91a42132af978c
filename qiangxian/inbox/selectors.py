"""Reading notices: a user's inbox, its unread count, and the export list for gateways."""

from __future__ import annotations

from qiangxian.core.access import scope_of

from .models import Notice


def inbox(*, user):
    """The user's notices (to the user and to the user's unit), newest first."""
    return Notice.objects.visible_to(user).select_related("recipient_user", "recipient_unit")


def unread_count(*, user) -> int:
    """Unread notices of the user and the user's unit: one COUNT query."""
    if user is None or not user.is_authenticated:
        return 0
    return Notice.objects.visible_to(user).unread().count()


def gateway_list(*, user):
    """Notices an officer may export for SMS/WeCom gateways: the office sees every notice,
    others their own inbox."""
    queryset = Notice.objects.select_related("recipient_user", "recipient_unit").prefetch_related(
        "recipient_unit__users"
    )
    if scope_of(user).everything and user.can_manage:
        return queryset.managed_by(user)
    return queryset.filter(Notice.objects.addressed_to(user)) if user.is_authenticated else queryset.none()


def phones_of(notice: Notice) -> str:
    """The phone numbers a gateway texts: the user's, or every active member's of the unit."""
    if notice.recipient_user_id:
        return notice.recipient_user.phone
    members = [u.phone for u in notice.recipient_unit.users.all() if u.is_active and u.phone]
    return "；".join(dict.fromkeys(members))
