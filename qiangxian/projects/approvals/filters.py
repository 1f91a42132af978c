"""Filters of the approval items list (page, export and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from ..choices import ApprovalCategory, Stage
from ..models import ApprovalItem, ApprovalKind

STATES = [
    ("open", "未办结"),
    ("at_unit", "在办理单位"),
    ("overdue", "超承诺时限"),
    ("returned", "退回补正"),
    ("done", "已办结/覆盖/不适用"),
]


class ApprovalItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索项目", method="search")
    kind = django_filters.ModelChoiceFilter(label="事项", queryset=ApprovalKind.objects.all())
    category = django_filters.ChoiceFilter(
        label="类别", field_name="kind__category", choices=ApprovalCategory.choices
    )
    unit = django_filters.ModelChoiceFilter(
        label="办理单位",
        queryset=OrgUnit.objects.exclude(kind=OrgUnitKind.ENTERPRISE).order_by("kind", "name"),
    )
    stage = django_filters.ChoiceFilter(label="项目阶段", field_name="project__stage", choices=Stage.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=STATES, method="by_state", empty_label="全部")

    class Meta:
        model = ApprovalItem
        fields = ["q", "kind", "category", "unit", "stage", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))

    def by_state(self, queryset, name, value):
        done = Q(approved_on__isnull=False) | Q(not_applicable=True) | Q(inherited_from__isnull=False)
        if value == "done":
            return queryset.filter(done)
        queryset = queryset.exclude(done)
        if value == "returned":
            return queryset.filter(returned_on__isnull=False)
        if value in ("at_unit", "overdue"):
            queryset = queryset.filter(submitted_on__isnull=False, returned_on__isnull=True)
        if value == "overdue":
            from .selectors import annotate_item

            today = timezone.localdate()
            ids = [i.pk for i in queryset.select_related("kind", "unit") if annotate_item(i, today).late]
            return queryset.filter(pk__in=ids)
        return queryset
