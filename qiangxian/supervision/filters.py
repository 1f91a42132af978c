"""Filters of the task list (the page, its export and the API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import YearFilter

from .choices import SourceKind, TaskStatus
from .models import Meeting, Task

UNIT_KINDS = (OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE, OrgUnitKind.OFFICE)


def units():
    """The units that can lead or support a task."""
    return OrgUnit.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "sort_order", "name")


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    lead_unit = django_filters.ModelChoiceFilter(label="牵头单位", queryset=units())
    unit = django_filters.ModelChoiceFilter(label="涉及单位", queryset=units(), method="involving")
    source_kind = django_filters.ChoiceFilter(label="来源", choices=SourceKind.choices)
    meeting = django_filters.ModelChoiceFilter(label="会议", queryset=Meeting.objects.all())
    year = YearFilter(label="时限年度", field_name="deadline", lookup_expr="year")

    class Meta:
        model = Task
        fields = ["q", "status", "lead_unit", "unit", "source_kind", "meeting", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(detail__icontains=value) | Q(leader__icontains=value)
        )

    def involving(self, queryset, name, value):
        if value is None:
            return queryset
        ids = Task.objects.filter(Q(lead_unit=value) | Q(supporting_units=value)).values("pk")
        return queryset.filter(pk__in=ids)
