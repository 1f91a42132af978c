"""Filters of the saved-rules list (the page, its export and the API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from .choices import ResultType
from .models import CustomRule


class CustomRuleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    result_type = django_filters.ChoiceFilter(label="结果类型", choices=ResultType.choices)
    is_active = django_filters.ChoiceFilter(
        label="状态", choices=[("true", "启用"), ("false", "停用")], method="filter_active"
    )

    class Meta:
        model = CustomRule
        fields = ["q", "result_type", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(expression__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true"))
