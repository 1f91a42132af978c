"""Forms of the project pipeline: widgets and parsing; every rule lives in the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.enterprises.models import Cluster, Enterprise

from .choices import LeadSource, ProblemCategory, Stage
from .models import ProjectSettings, ProjectTarget

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WanField(forms.DecimalField):
    """Money typed in 万元, handed to the services in yuan."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else number * WAN


def wan_initial(value):
    return None if value is None else (Decimal(value) / WAN).quantize(Decimal("0.01"))


def _units(*kinds):
    return OrgUnit.objects.filter(kind__in=kinds, is_active=True).order_by("kind", "sort_order", "name")


class ProjectForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="项目名称", max_length=200)
    industrial = forms.BooleanField(label="工业项目", required=False, initial=True)
    investor = forms.ModelChoiceField(
        label="投资主体（名录内企业）",
        queryset=Enterprise.objects.none(),
        required=False,
        help_text="本县已登记企业增资扩产时选择；外来企业请填写下两项。",
    )
    investor_name = forms.CharField(label="投资方名称", max_length=200, required=False)
    investor_uscc = forms.CharField(label="投资方统一社会信用代码", max_length=18, required=False)
    lead_source = forms.ChoiceField(label="线索来源", choices=LeadSource.choices)
    referrer = forms.CharField(label="引荐人", max_length=100, required=False)
    cluster = forms.ModelChoiceField(label="产业集群", queryset=Cluster.objects.all(), required=False)
    industry_code = forms.CharField(
        label="国民经济行业（小类）",
        max_length=4,
        required=False,
        help_text="GB/T 4754-2017 四位小类代码，如 3841",
    )
    park = forms.ModelChoiceField(label="所在园区", queryset=_units(OrgUnitKind.PARK), required=False)
    zone = forms.ModelChoiceField(label="所在片区", queryset=_units(OrgUnitKind.ZONE), required=False)
    town = forms.ModelChoiceField(label="所在乡镇", queryset=_units(OrgUnitKind.TOWN), required=False)
    location = forms.CharField(label="地块/选址", max_length=300, required=False)
    total_investment = WanField(label="总投资（万元）")
    fixed_asset_investment = WanField(label="其中固定资产投资（万元）", required=False)
    plan_year = forms.IntegerField(label="计划年度", min_value=2000, max_value=2100, required=False)
    planned_investment = WanField(label="年度计划投资（万元）", required=False)
    responsible_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.TOWN),
        required=False,
    )
    liaison_leader = forms.ModelChoiceField(label="包联领导", queryset=User.objects.none(), required=False)
    start_deadline = forms.DateField(label="约定开工日期", widget=DATE, required=False)
    production_deadline = forms.DateField(label="约定投产日期", widget=DATE, required=False)
    committed_intensity = WanField(label="约定投资强度（万元/亩）", required=False)
    committed_output = WanField(label="达产后年产值（万元）", required=False)
    committed_tax = WanField(label="达产后年税收（万元）", required=False)
    committed_jobs = forms.IntegerField(label="约定用工（人）", min_value=0, required=False)
    land_need_mu = forms.DecimalField(
        label="用地需求（亩）", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    building_need_sqm = forms.DecimalField(
        label="厂房需求（平方米）", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    description = forms.CharField(label="项目概况", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    MONEY_FIELDS = (
        "total_investment",
        "fixed_asset_investment",
        "planned_investment",
        "committed_intensity",
        "committed_output",
        "committed_tax",
    )

    def __init__(self, *args, project=None, **kwargs):
        if project is not None and not kwargs.get("initial"):
            initial = {name: getattr(project, name) for name in self.base_fields if hasattr(project, name)}
            for name in self.MONEY_FIELDS:
                initial[name] = wan_initial(getattr(project, name))
            initial["version"] = project.updated_at.isoformat()
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        investors = Enterprise.objects.filter(above_scale=True).order_by("name")
        if project is not None and project.investor_id:
            investors = Enterprise.objects.filter(pk=project.investor_id) | investors
        self.fields["investor"].queryset = investors
        self.fields["liaison_leader"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.LEADER, Role.OFFICE, Role.BUREAU, Role.PARK]
        ).order_by("username")

    def service_data(self) -> dict:
        """Cleaned values in the services' terms (yuan, blanks as zero where the model wants a number)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for name in ("fixed_asset_investment", "planned_investment"):
            data[name] = data.get(name) or Decimal(0)
        return data


class TransitionForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    target = forms.ChoiceField(label="变更为", choices=Stage.choices)
    on = forms.DateField(label="日期", widget=DATE, initial=dt.date.today)
    reason = forms.CharField(label="原因/说明", max_length=300, required=False, help_text="退回或终止时必填")

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices:
            self.fields["target"].choices = choices


class ProgressForm(forms.Form):
    month = forms.CharField(
        label="月份", widget=forms.DateInput(attrs={"type": "month"}), help_text="如 2026-05"
    )
    completed_investment = WanField(label="本月完成投资（万元）")
    completed_to_date = WanField(
        label="累计完成投资（万元）", required=False, help_text="不填则按上月累计加本月计算"
    )
    funds_in_place = WanField(label="本月到位资金（万元）", required=False)
    in_statistics = forms.BooleanField(label="已纳入投资统计（入库）", required=False)
    notes = forms.CharField(label="进展情况", max_length=500, required=False)

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(p) for p in value.split("-")[:2])
            return dt.date(year, month, 1)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError("月份格式应为 2026-05。") from exc

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["funds_in_place"] = data.get("funds_in_place") or Decimal(0)
        return data


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    category = forms.ChoiceField(label="类别", choices=ProblemCategory.choices)
    owner_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.TOWN, OrgUnitKind.OFFICE),
    )
    deadline = forms.DateField(label="办结时限", widget=DATE)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label="办理进展", max_length=500)


class SolveForm(forms.Form):
    solution = forms.CharField(label="解决方式", widget=forms.Textarea(attrs={"rows": 2}))


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(label="线索责任人", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.OFFICE, Role.BUREAU, Role.PARK, Role.TOWN]
        ).order_by("username")


class AssessForm(forms.Form):
    assessment = forms.CharField(label="研判意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RecomputeForm(forms.Form):
    month = forms.CharField(label="评价月份", widget=forms.DateInput(attrs={"type": "month"}))

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(p) for p in value.split("-")[:2])
            return dt.date(year, month, 1)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError("月份格式应为 2026-05。") from exc


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ProjectSettings
        fields = [
            "pace_yellow_pp",
            "pace_red_pp",
            "default_start_months",
            "signed_red_months",
            "stats_yellow_months",
            "stats_red_months",
            "production_red_months",
            "intensity_red_ratio",
            "stats_threshold",
            "lead_owner_days",
            "lead_assess_days",
            "approval_lookahead_days",
        ]

    def _post_clean(self):
        pass


class TargetForm(forms.ModelForm):
    industrial_investment = WanField(label="工业投资目标（万元）")
    big_project_threshold = WanField(label="大项目起点（万元）")
    funds_in_place = WanField(label="到位资金目标（万元）")

    class Meta:
        model = ProjectTarget
        fields = [
            "year",
            "industrial_investment",
            "big_project_count",
            "big_project_threshold",
            "funds_in_place",
            "funds_stretch_pct",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("industrial_investment", "big_project_threshold", "funds_in_place"):
            if self.instance.pk:
                self.initial[name] = wan_initial(getattr(self.instance, name))

    def _post_clean(self):
        pass


class ImportForm(forms.Form):
    file = forms.FileField(label="进度文件（.xlsx）", help_text="请使用下载的模板；金额单位为万元。")
