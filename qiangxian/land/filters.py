"""Filters of the land lists (pages and exports share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from .choices import BuildingKind, Category, DisposalMethod, Grade, IdleKind, IdleState, LandUse, ParcelStatus
from .models import Building, EvaluationResult, IdleItem, Parcel


def _units(kind):
    return OrgUnit.objects.filter(kind=kind).order_by("sort_order", "name")


class ParcelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_units(OrgUnitKind.PARK))
    zone = django_filters.ModelChoiceFilter(label="片区", queryset=_units(OrgUnitKind.ZONE))
    status = django_filters.ChoiceFilter(label="状态", choices=ParcelStatus.choices)
    land_use = django_filters.ChoiceFilter(label="用途", choices=LandUse.choices)

    class Meta:
        model = Parcel
        fields = ["q", "park", "zone", "status", "land_use"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(holder__name__icontains=value)
        )


class BuildingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_units(OrgUnitKind.PARK))
    zone = django_filters.ModelChoiceFilter(label="片区", queryset=_units(OrgUnitKind.ZONE))
    kind = django_filters.ChoiceFilter(label="类型", choices=BuildingKind.choices)

    class Meta:
        model = Building
        fields = ["q", "park", "zone", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(owner__name__icontains=value)
        )


class IdleFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_units(OrgUnitKind.PARK))
    zone = django_filters.ModelChoiceFilter(label="片区", queryset=_units(OrgUnitKind.ZONE))
    kind = django_filters.ChoiceFilter(label="类型", choices=IdleKind.choices)
    state = django_filters.ChoiceFilter(label="处置状态", choices=IdleState.choices)
    method = django_filters.ChoiceFilter(label="处置方式", choices=DisposalMethod.choices, method="by_method")

    class Meta:
        model = IdleItem
        fields = ["park", "zone", "kind", "state", "method"]

    def by_method(self, queryset, name, value):
        return queryset.filter(plans__method=value).distinct()


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业", method="search")
    park = django_filters.ModelChoiceFilter(label="园区", queryset=_units(OrgUnitKind.PARK))
    town = django_filters.ModelChoiceFilter(label="乡镇", queryset=_units(OrgUnitKind.TOWN))
    category = django_filters.ChoiceFilter(label="企业类别", choices=Category.choices)
    grade = django_filters.ChoiceFilter(label="评价类别", choices=Grade.choices)

    class Meta:
        model = EvaluationResult
        fields = ["q", "park", "town", "category", "grade"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value.strip())
