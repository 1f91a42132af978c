"""Filters of the project lists (pages, exports and the API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.filters import YesNoFilter
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import MAX_YEAR, MIN_YEAR, YearFilter
from qiangxian.enterprises.models import Cluster

from .choices import Light, ProblemCategory, ProblemState, ProblemStatus, SizeClass, Stage
from .models import Problem, Project, ProjectProgress


def _units(*kinds):
    return OrgUnit.objects.filter(kind__in=kinds).order_by("kind", "sort_order", "name")


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices)
    light = django_filters.ChoiceFilter(label="灯号", choices=Light.choices)
    cluster = django_filters.ModelChoiceFilter(label="产业集群", queryset=Cluster.objects.all())
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_units(OrgUnitKind.PARK))
    responsible_unit = django_filters.ModelChoiceFilter(
        label="责任单位", queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.TOWN)
    )
    size_class = django_filters.ChoiceFilter(label="规模", choices=SizeClass.choices)
    year = YearFilter(label="签约年度", field_name="signed_on", lookup_expr="year")

    class Meta:
        model = Project
        fields = ["q", "stage", "light", "cluster", "park", "responsible_unit", "size_class", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(investor_name__icontains=value)
            | Q(investor__name__icontains=value)
        )


class ProgressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目", method="search")
    month = django_filters.CharFilter(label="月份（如 2026-05）", method="filter_month")
    year = YearFilter(label="年度", field_name="month", lookup_expr="year")
    in_statistics = YesNoFilter(label="已入库")

    class Meta:
        model = ProjectProgress
        fields = ["q", "month", "year", "in_statistics"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.strip().split("-")[:2])
        except ValueError:
            return queryset.none()
        if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
            return queryset.none()
        return queryset.filter(month__year=year, month__month=month)


class ProblemFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=ProblemState.choices, method="filter_state")
    category = django_filters.ChoiceFilter(label="类别", choices=ProblemCategory.choices)
    owner_unit = django_filters.ModelChoiceFilter(
        label="责任单位",
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.TOWN, OrgUnitKind.OFFICE),
    )
    q = django_filters.CharFilter(label="搜索", method="search")

    class Meta:
        model = Problem
        fields = ["state", "category", "owner_unit", "q"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == ProblemState.OVERDUE:
            return queryset.filter(status=ProblemStatus.OPEN, deadline__lt=today)
        return queryset.filter(status=value)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(project__name__icontains=value))
