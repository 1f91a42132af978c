"""Filters of the enterprise list."""

from __future__ import annotations

import django_filters

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from .choices import OperatingStatus
from .models import Enterprise
from .selectors import enterprise_search_q


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    town = django_filters.ModelChoiceFilter(label="乡镇", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.TOWN))
    park = django_filters.ModelChoiceFilter(label="园区", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.PARK))
    zone = django_filters.ModelChoiceFilter(label="片区", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.ZONE))
    division = django_filters.CharFilter(label="行业大类", method="filter_division")
    above_scale = django_filters.BooleanFilter(label="规上企业")
    status = django_filters.ChoiceFilter(label="经营状态", choices=OperatingStatus.choices)

    class Meta:
        model = Enterprise
        fields = ["q", "town", "park", "zone", "division", "above_scale", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise_search_q(value))

    def filter_division(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value.strip()[:2])
