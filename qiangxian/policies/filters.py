"""Filters of the policy lists."""

from __future__ import annotations

import django_filters

from qiangxian.core.params import YearFilter

from .choices import ApplicationStatus, GrantMode, PolicyLevel, PolicyStatus
from .models import Application, Policy


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="名称")
    level = django_filters.ChoiceFilter(choices=PolicyLevel.choices, label="层级", empty_label="全部层级")
    status = django_filters.ChoiceFilter(choices=PolicyStatus.choices, label="状态", empty_label="全部状态")

    class Meta:
        model = Policy
        fields = ["q", "level", "status"]


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label="企业")
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, label="状态", empty_label="全部状态"
    )
    mode = django_filters.ChoiceFilter(choices=GrantMode.choices, label="兑现方式", empty_label="全部方式")
    year = YearFilter(field_name="year", label="年度")

    class Meta:
        model = Application
        fields = ["q", "status", "mode", "year"]
