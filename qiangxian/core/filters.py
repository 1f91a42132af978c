"""Filters for the core lists."""

import django_filters

from .choices import OrgUnitKind, Role
from .models import OrgUnit, User


class OrgUnitFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label="类型", choices=[c for c in OrgUnitKind.choices if c[0] != OrgUnitKind.ENTERPRISE]
    )

    class Meta:
        model = OrgUnit
        fields = ["name", "kind"]


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户名/姓名", method="filter_name")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices)
    org_unit = django_filters.ModelChoiceFilter(
        label="所属单位", queryset=OrgUnit.objects.exclude(kind=OrgUnitKind.ENTERPRISE)
    )

    class Meta:
        model = User
        fields = ["username", "role", "org_unit"]

    def filter_name(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
