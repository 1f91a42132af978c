"""The enterprise form: a ModelForm for widgets, the service for every rule."""

from __future__ import annotations

from django import forms

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from .models import Enterprise


class EnterpriseForm(forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "short_name", "legal_representative", "established_on", "industry_code", "status",
            "above_scale", "town", "park", "zone", "registered_address", "production_address",
            "land_area_mu", "land_tenure",
        ]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"uscc": "18 位，如 91350100M000100Y43", "industry_code": "GB/T 4754-2017 四位小类代码，如 1951"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = OrgUnit.objects.filter(kind=OrgUnitKind.TOWN).order_by("sort_order", "name")
        self.fields["park"].queryset = OrgUnit.objects.filter(kind=OrgUnitKind.PARK).order_by("sort_order", "name")
        self.fields["zone"].queryset = OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("sort_order", "name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def _post_clean(self):
        # Model validation (uniqueness, code checks) belongs to the service, which reports in Chinese.
        pass
