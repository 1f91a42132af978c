"""Filters for the core lists."""

import django_filters
from django import forms

from .choices import AuditKind, OrgUnitKind, Role
from .models import AuditEvent, OrgUnit, User


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


class YesNoSelect(django_filters.widgets.BooleanWidget):
    """A yes/no select whose empty choice reads 全部 (django-filter's default says 未知)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter for lists: 全部 / 是 / 否."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoSelect)
        super().__init__(*args, **kwargs)


class AuditEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="事件", choices=AuditKind.choices)
    username = django_filters.CharFilter(label="用户名", lookup_expr="icontains")
    ip = django_filters.CharFilter(label="地址", lookup_expr="startswith")
    target = django_filters.CharFilter(label="对象", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label="起始日期",
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="截止日期",
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["kind", "username", "ip", "target", "since", "until"]


def filtered_by(filterset_class, params, queryset):
    """A list API's queryset narrowed by ``filterset_class``: ``params`` is the filter schema (or a
    dict); parameters not given are left out, and an invalid filter gives no rows, never all."""
    values = params.dict() if hasattr(params, "dict") else params
    filterset = filterset_class({k: v for k, v in values.items() if v is not None}, queryset=queryset)
    return filterset.qs if filterset.is_valid() else queryset.none()
