"""Reads of custom rules. Rules are the county's common tools: every signed-in user may read them."""

from __future__ import annotations

from django.http import Http404

from .models import CustomRule

NOT_FOUND = "未找到该记录，或您无权查看。"


def custom_rule_list(*, user, active_only: bool = False, query: str = ""):
    """Saved rules the user may read (all of them for any signed-in user)."""
    if user is None or not user.is_authenticated:
        return CustomRule.objects.none()
    qs = CustomRule.objects.visible_to(user).select_related("created_by", "updated_by")
    if active_only:
        qs = qs.filter(is_active=True)
    if query:
        qs = qs.filter(name__icontains=query.strip())
    return qs


def access_custom_rule_by_id(user, pk) -> CustomRule:
    """One rule, or the same "not found" for a missing rule and an anonymous caller."""
    try:
        return custom_rule_list(user=user).get(pk=pk)
    except (CustomRule.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
