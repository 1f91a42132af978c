"""Filters of the registry's lists."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from qiangxian.core.access import current_user
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.filters import YesNoFilter
from qiangxian.core.models import OrgUnit, User
from qiangxian.core.params import YearFilter

from .choices import DesignationKind, DesignationLevel, OperatingStatus, PlanStatus
from .industry import all_industries
from .models import Cluster, CultivationPlan, Designation, Enterprise
from .selectors import enterprise_search_q, jurisdiction_q


def _division_choices():
    return [(d.code, d.label) for d in all_industries("division")]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "名称/曾用名/代码/拼音首字母"}),
    )
    town = django_filters.ModelChoiceFilter(
        label="乡镇", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.TOWN)
    )
    park = django_filters.ModelChoiceFilter(
        label="园区", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.PARK)
    )
    zone = django_filters.ModelChoiceFilter(
        label="片区", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.ZONE)
    )
    cluster = django_filters.ModelChoiceFilter(
        label="产业集群", queryset=Cluster.objects.all(), method="filter_cluster"
    )
    division = django_filters.ChoiceFilter(
        label="行业大类", choices=_division_choices, method="filter_division"
    )
    above_scale = YesNoFilter(label="规上企业")
    designation = django_filters.ChoiceFilter(
        label="称号", choices=DesignationKind.choices, method="filter_designation"
    )
    status = django_filters.ChoiceFilter(label="经营状态", choices=OperatingStatus.choices)
    place = django_filters.ChoiceFilter(
        label="辖区",
        method="filter_place",
        choices=[("inside", "辖区内"), ("outside", "辖区外包联企业")],
        empty_label="全部",
    )
    liaison = django_filters.ModelChoiceFilter(
        label="包联人员",
        method="filter_liaison",
        queryset=User.objects.filter(liaison_assignments__isnull=False)
        .distinct()
        .order_by("display_name", "username"),
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "town",
            "park",
            "zone",
            "cluster",
            "division",
            "above_scale",
            "designation",
            "status",
            "place",
            "liaison",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise_search_q(value)) if value.strip() else queryset

    def filter_division(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value.strip()[:2])

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(cluster_memberships__cluster=value)

    def filter_designation(self, queryset, name, value):
        # Exists keeps one row per enterprise whatever the number of titles.
        held = Designation.objects.current().filter(enterprise=OuterRef("pk"), kind=value)
        return queryset.filter(Exists(held))

    def filter_place(self, queryset, name, value):
        """Inside or outside the jurisdiction of a town, park or zone user (others: all inside)."""
        user = getattr(self.request, "user", None) or current_user()
        inside = jurisdiction_q(user)
        if inside is None:
            return queryset if value == "inside" else queryset.none()
        return queryset.filter(inside) if value == "inside" else queryset.exclude(inside)

    def filter_liaison(self, queryset, name, value):
        return queryset.filter(liaisons__user=value)


class DesignationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业", method="search")
    kind = django_filters.ChoiceFilter(label="称号", choices=DesignationKind.choices)
    level = django_filters.ChoiceFilter(label="级别", choices=DesignationLevel.choices)
    year = YearFilter(label="认定年度")
    state = django_filters.ChoiceFilter(
        label="有效状态",
        method="filter_state",
        choices=[("current", "有效"), ("expiring", "90天内到期"), ("expired", "已过期")],
    )

    class Meta:
        model = Designation
        fields = ["q", "kind", "level", "year", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value.strip())

    def filter_state(self, queryset, name, value):
        today = dt.date.today()
        if value == "current":
            return queryset.filter(pk__in=Designation.objects.current(today).values("pk"))
        if value == "expiring":
            return queryset.filter(valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=90))
        return queryset.filter(valid_to__lt=today)


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=PlanStatus.choices)
    target_tier = django_filters.ChoiceFilter(label="培育目标", choices=DesignationKind.choices)
    target_year = YearFilter(label="目标年度")
    town = django_filters.ModelChoiceFilter(
        label="乡镇", field_name="enterprise__town", queryset=OrgUnit.objects.filter(kind=OrgUnitKind.TOWN)
    )

    class Meta:
        model = CultivationPlan
        fields = ["q", "status", "target_tier", "target_year", "town"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value.strip())
