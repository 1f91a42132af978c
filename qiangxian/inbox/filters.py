"""Filters of the inbox list and its export."""

from __future__ import annotations

import django_filters

from .models import Notice


class NoticeFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="状态", choices=[("unread", "未读"), ("read", "已读")], method="filter_state"
    )
    q = django_filters.CharFilter(label="搜索", method="search")

    class Meta:
        model = Notice
        fields = ["state", "q"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(read_at__isnull=(value == "unread"))

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip())
