"""Filters of the demand and visit lists (pages, exports and the API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.filters import YesNoFilter
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import YearFilter

from .choices import Channel, DemandCategory, DemandState, Rating
from .models import Demand, Visit
from .selectors import overdue_condition


def _units(*kinds):
    return OrgUnit.objects.filter(kind__in=kinds).order_by("kind", "sort_order", "name")


class DemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    state = django_filters.ChoiceFilter(label="状态", choices=DemandState.choices)
    category = django_filters.ChoiceFilter(label="类别", choices=DemandCategory.choices)
    channel = django_filters.ChoiceFilter(label="来源渠道", choices=Channel.choices)
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位", queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK)
    )
    town = django_filters.ModelChoiceFilter(
        label="乡镇", field_name="enterprise__town", queryset=_units(OrgUnitKind.TOWN)
    )
    rating = django_filters.ChoiceFilter(label="评价", choices=Rating.choices)
    overdue = YesNoFilter(label="已超期", method="filter_overdue")
    year = YearFilter(label="受理年度", field_name="accepted_at", lookup_expr="year")

    class Meta:
        model = Demand
        fields = ["q", "state", "category", "channel", "lead_unit", "town", "rating", "overdue", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value) | Q(code__icontains=value) | Q(enterprise__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        condition = overdue_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业", method="search")
    unit = django_filters.ModelChoiceFilter(
        label="走访单位",
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.OFFICE),
    )
    town = django_filters.ModelChoiceFilter(
        label="乡镇", field_name="enterprise__town", queryset=_units(OrgUnitKind.TOWN)
    )
    by_phone = YesNoFilter(label="电话走访")
    year = YearFilter(label="年度", field_name="visited_on", lookup_expr="year")

    class Meta:
        model = Visit
        fields = ["q", "unit", "town", "by_phone", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value.strip())
