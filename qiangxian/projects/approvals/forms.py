"""Forms of the checklist: parsing only; the rules are in ``approvals.services``."""

from __future__ import annotations

import datetime as dt

from django import forms

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from ..choices import ProjectKind
from ..forms import DATE
from ..models import ApprovalItem, ApprovalKind
from .services import ACTIONS


def _units():
    return OrgUnit.objects.filter(
        kind__in=[OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.TOWN, OrgUnitKind.OFFICE], is_active=True
    ).order_by("kind", "sort_order", "name")


class ChecklistForm(forms.Form):
    project_kind = forms.ChoiceField(label="项目类型", choices=ProjectKind.choices)


class ItemActionForm(forms.Form):
    item = forms.ModelChoiceField(label="事项", queryset=ApprovalItem.objects.none())
    # Not "action": the project page's forms post their own name in a hidden "action" field.
    step = forms.ChoiceField(label="办理环节", choices=list(ACTIONS.items()))
    on = forms.DateField(label="日期", widget=DATE, initial=dt.date.today, required=False)
    text = forms.CharField(
        label="批复文号 / 退回原因 / 不适用原因",
        max_length=300,
        required=False,
        help_text="办结填文号，退回或不适用填原因",
    )
    unit = forms.ModelChoiceField(label="改由单位办理", queryset=_units(), required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["item"].queryset = ApprovalItem.objects.filter(project=project).select_related("kind")
            self.fields["item"].label_from_instance = lambda i: i.kind.name
        self.fields["unit"].queryset = _units()


class RegionalForm(forms.Form):
    zone = forms.ModelChoiceField(
        label="园区/片区",
        queryset=OrgUnit.objects.filter(kind__in=[OrgUnitKind.PARK, OrgUnitKind.ZONE]).order_by(
            "kind", "name"
        ),
    )
    kind = forms.ModelChoiceField(label="评估事项", queryset=ApprovalKind.objects.filter(regional=True))
    approved_on = forms.DateField(label="批复日期", widget=DATE)
    document = forms.CharField(label="批复文号", max_length=200, required=False)
    valid_until = forms.DateField(label="有效期至", widget=DATE, required=False)


class ApprovalImportForm(forms.Form):
    file = forms.FileField(label="审批系统导出的办件表（.xlsx）")
