"""Forms of parks, land and the evaluation: widgets and parsing; every rule lives in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Enterprise
from qiangxian.projects.models import Project

from .choices import BuildingKind, DisposalMethod, IdleKind, IdleReason, LandUse, MissingRule, ParcelStatus
from .grading import INPUTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WAN = Decimal(10_000)


def _units(*kinds):
    return OrgUnit.objects.filter(kind__in=kinds, is_active=True).order_by("sort_order", "name")


class VersionMixin(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ParcelForm(VersionMixin):
    code = forms.CharField(label="地块编号", max_length=40)
    name = forms.CharField(label="地块名称/坐落", max_length=200, required=False)
    park = forms.ModelChoiceField(label="所在园区", queryset=_units(OrgUnitKind.PARK))
    zone = forms.ModelChoiceField(label="所在片区", queryset=_units(OrgUnitKind.ZONE), required=False)
    area_mu = forms.DecimalField(label="面积（亩）", max_digits=10, decimal_places=2)
    land_use = forms.ChoiceField(label="用途", choices=LandUse.choices)
    status = forms.ChoiceField(label="状态", choices=ParcelStatus.choices)
    holder = forms.ModelChoiceField(
        label="使用权人（企业）", queryset=Enterprise.objects.all(), required=False
    )
    project = forms.ModelChoiceField(label="使用项目", queryset=Project.objects.all(), required=False)
    boundary = forms.CharField(
        label="边界（GeoJSON）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Polygon 或 MultiPolygon，WGS84/CGCS2000 经纬度",
    )
    notes = forms.CharField(label="备注", max_length=500, required=False)


class ContractForm(forms.Form):
    number = forms.CharField(label="出让合同编号", max_length=60, required=False)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    price_wan = forms.DecimalField(label="出让价款（万元）", max_digits=14, decimal_places=2)
    intensity_wan = forms.DecimalField(
        label="约定投资强度（万元/亩）", max_digits=12, decimal_places=2, required=False
    )
    far_promised = forms.DecimalField(label="约定容积率", max_digits=5, decimal_places=2, required=False)
    start_deadline = forms.DateField(label="约定开工日期", widget=DATE, required=False)
    completion_deadline = forms.DateField(label="约定竣工日期", widget=DATE, required=False)
    output_wan = forms.DecimalField(
        label="约定亩均产值（万元/亩）", max_digits=12, decimal_places=2, required=False
    )
    tax_wan = forms.DecimalField(
        label="约定亩均税收（万元/亩）", max_digits=12, decimal_places=2, required=False
    )
    started_on = forms.DateField(label="实际开工日期", widget=DATE, required=False)
    completed_on = forms.DateField(label="实际竣工日期", widget=DATE, required=False)
    investment_wan = forms.DecimalField(
        label="实际完成投资（万元）", max_digits=14, decimal_places=2, required=False
    )
    far_actual = forms.DecimalField(label="实际容积率", max_digits=5, decimal_places=2, required=False)

    def service_data(self) -> dict:
        d = self.cleaned_data

        def yuan(key):
            return None if d.get(key) is None else d[key] * WAN

        return {
            "number": d["number"],
            "signed_on": d["signed_on"],
            "price": yuan("price_wan"),
            "intensity_promised": yuan("intensity_wan"),
            "far_promised": d.get("far_promised"),
            "start_deadline": d.get("start_deadline"),
            "completion_deadline": d.get("completion_deadline"),
            "output_per_mu_promised": yuan("output_wan"),
            "tax_per_mu_promised": yuan("tax_wan"),
            "started_on": d.get("started_on"),
            "completed_on": d.get("completed_on"),
            "investment_actual": yuan("investment_wan"),
            "far_actual": d.get("far_actual"),
        }


class BuildingForm(VersionMixin):
    code = forms.CharField(label="楼栋编号", max_length=40)
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=BuildingKind.choices)
    park = forms.ModelChoiceField(label="所在园区", queryset=_units(OrgUnitKind.PARK))
    zone = forms.ModelChoiceField(label="所在片区", queryset=_units(OrgUnitKind.ZONE), required=False)
    floors = forms.IntegerField(label="层数", min_value=1, max_value=100)
    floor_area_sqm = forms.DecimalField(label="建筑面积（平方米）", max_digits=12, decimal_places=2)
    floor_load_kn = forms.DecimalField(
        label="楼面荷载（kN/㎡）", max_digits=6, decimal_places=1, required=False
    )
    crane_tonnage = forms.DecimalField(label="行车吨位（吨）", max_digits=6, decimal_places=1, required=False)
    power_kva = forms.IntegerField(label="供电容量（kVA）", min_value=0, max_value=2_000_000, required=False)
    owner = forms.ModelChoiceField(label="产权企业", queryset=Enterprise.objects.all(), required=False)
    owner_name = forms.CharField(label="产权单位（名录外）", max_length=200, required=False)
    completed_year = forms.IntegerField(label="建成年份", min_value=1950, max_value=2100, required=False)


class LeaseForm(forms.Form):
    floor = forms.IntegerField(label="楼层", min_value=1, max_value=100)
    unit = forms.CharField(label="单元", max_length=20, required=False, help_text="整层出租留空")
    area_sqm = forms.DecimalField(label="租赁面积（平方米）", max_digits=12, decimal_places=2)
    tenant = forms.ModelChoiceField(label="承租企业", queryset=Enterprise.objects.all(), required=False)
    tenant_name = forms.CharField(label="承租方（名录外）", max_length=200, required=False)
    rent_per_sqm_month = forms.DecimalField(
        label="租金（元/㎡·月）", max_digits=8, decimal_places=2, required=False
    )
    start_on = forms.DateField(label="起租日期", widget=DATE)
    end_on = forms.DateField(label="到期日期", widget=DATE)


class IdleForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=IdleKind.choices)
    area_mu = forms.DecimalField(label="闲置土地面积（亩）", max_digits=10, decimal_places=2, required=False)
    floor_area_sqm = forms.DecimalField(
        label="闲置建筑面积（平方米）", max_digits=12, decimal_places=2, required=False
    )
    idle_since = forms.DateField(label="闲置起始日期", widget=DATE)
    reason = forms.ChoiceField(label="闲置原因", choices=IdleReason.choices)
    reason_detail = forms.CharField(label="原因说明", max_length=500, required=False)


class PlanForm(forms.Form):
    method = forms.ChoiceField(label="处置方式", choices=DisposalMethod.choices)
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.PARK, OrgUnitKind.ZONE, OrgUnitKind.TOWN),
    )
    deadline = forms.DateField(label="完成时限", widget=DATE)
    progress_note = forms.CharField(label="说明", max_length=500, required=False)


class ProgressForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展说明", max_length=500, required=False)


class CloseForm(forms.Form):
    reused = forms.BooleanField(label="已再利用（有新的使用企业或项目）", required=False)
    enterprise = forms.ModelChoiceField(label="新使用企业", queryset=Enterprise.objects.all(), required=False)
    project = forms.ModelChoiceField(label="新使用项目", queryset=Project.objects.all(), required=False)
    on = forms.DateField(label="办结日期", widget=DATE)


class ObjectionForm(forms.Form):
    input_code = forms.ChoiceField(label="异议数据项", choices=[(k, v) for k, v in INPUTS.items()])
    claimed_value = forms.FloatField(label="企业主张数值", min_value=0, max_value=1e15)
    reason = forms.CharField(label="异议理由", max_length=500)
    evidence = forms.CharField(label="证明材料", max_length=500, help_text="材料名称、文号或存放位置")


class RulingForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    uphold = forms.TypedChoiceField(
        label="裁定", choices=[("1", "更正数据"), ("0", "驳回")], coerce=lambda v: v == "1"
    )
    value = forms.FloatField(
        label="更正后数值（留空按企业主张）", required=False, min_value=0, max_value=1e15
    )
    ruling = forms.CharField(label="裁定意见", max_length=500)


class SandboxForm(forms.Form):
    """Weights per indicator and bands per class of a draft scheme, built from the scheme."""

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        from .grading import INDICATORS

        self.scheme = scheme
        for ind in scheme.indicators.all():
            self.fields[f"w{ind.pk}"] = forms.DecimalField(
                label=f"{ind.get_category_display()} · {INDICATORS[ind.code].label} 权重",
                max_digits=6,
                decimal_places=2,
                min_value=0,
                initial=ind.weight,
            )
            self.fields[f"m{ind.pk}"] = forms.ChoiceField(
                label=f"{ind.get_category_display()} · {INDICATORS[ind.code].label} 缺少数据时",
                choices=MissingRule.choices,
                initial=ind.missing,
                required=False,
                help_text=INDICATORS[ind.code].help,
            )
        for band in scheme.bands.all():
            self.fields[f"lo{band.grade}"] = forms.DecimalField(
                label=f"{band.grade}类下限", max_digits=8, decimal_places=2, initial=band.lower
            )
            self.fields[f"hi{band.grade}"] = forms.DecimalField(
                label=f"{band.grade}类上限", max_digits=8, decimal_places=2, initial=band.upper
            )

    def service_data(self) -> dict:
        d = self.cleaned_data
        weights = {int(k[1:]): v for k, v in d.items() if k.startswith("w")}
        bands = {k[2:]: (d[k], d[f"hi{k[2:]}"]) for k in d if k.startswith("lo")}
        missing = {int(k[1:]): v for k, v in d.items() if k.startswith("m") and v}
        return {"weights": weights, "bands": bands, "missing": missing}


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("bonus", "加分项"), ("veto", "否决项")])
    name = forms.CharField(label="事项名称", max_length=100)
    points = forms.DecimalField(label="加分（加分项）", max_digits=6, decimal_places=2, required=False)
    grade_cap = forms.ChoiceField(
        label="最高评为（否决项）",
        choices=[("", "—"), ("B", "B类"), ("C", "C类"), ("D", "D类")],
        required=False,
    )


class AdjustmentRecordForm(forms.Form):
    enterprise = forms.CharField(label="企业（统一社会信用代码或名称）", max_length=200)
    name = forms.ChoiceField(label="事项")
    source = forms.CharField(
        label="依据", max_length=300, required=False, help_text="文件、事故通报或认定文号"
    )

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(n, n) for n in names]

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        found = Enterprise.objects.filter(uscc=text).first() or Enterprise.objects.filter(name=text).first()
        if found is None:
            raise forms.ValidationError("企业名录中没有该企业（按统一社会信用代码或全称查找）。")
        return found
