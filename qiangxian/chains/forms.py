"""Forms of the chain pages; the services do the checking, these only type the input."""

from __future__ import annotations

import datetime as dt

from django import forms

from qiangxian.core.models import OrgUnit
from qiangxian.projects.forms import WanField, wan_initial

from .choices import Segment, TargetStatus
from .models import LIST_SEPARATOR, Chain, ChainLink


class ChainForm(forms.Form):
    name = forms.CharField(label="产业链名称", max_length=50)
    description = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    thin_threshold = forms.IntegerField(
        label="薄弱阈值（户）",
        min_value=1,
        max_value=1000,
        initial=2,
        help_text=Chain._meta.get_field("thin_threshold").help_text,
    )
    expected_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class LinkForm(forms.Form):
    segment = forms.ChoiceField(label="环节位置", choices=Segment.choices)
    name = forms.CharField(label="环节名称", max_length=50)
    description = forms.CharField(
        label="环节说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    industry_codes = forms.CharField(
        label="覆盖的行业小类",
        required=False,
        max_length=500,
        help_text="GB/T 4754-2017 四位小类代码，多个用逗号或“；”分隔",
    )
    product_keywords = forms.CharField(
        label="产品关键词",
        required=False,
        max_length=500,
        help_text="多个用“；”分隔；企业名称或标签含关键词即建议归入该环节",
    )
    investment_per_mu = WanField(label="典型亩均投资（万元/亩）", required=False)
    output_per_mu = WanField(label="典型亩均产值（万元/亩）", required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=10_000, initial=0, required=False)
    expected_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(link: ChainLink) -> dict:
        return {
            "segment": link.segment,
            "name": link.name,
            "description": link.description,
            "industry_codes": LIST_SEPARATOR.join(link.industry_codes),
            "product_keywords": LIST_SEPARATOR.join(link.product_keywords),
            "investment_per_mu": wan_initial(link.investment_per_mu),
            "output_per_mu": wan_initial(link.output_per_mu),
            "sort_order": link.sort_order,
            "expected_updated_at": link.updated_at,
        }


class PlaceEnterpriseForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="企业", queryset=None, empty_label="请选择企业")

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class PlaceProjectForm(forms.Form):
    project = forms.ModelChoiceField(label="项目或线索", queryset=None, empty_label="请选择项目或线索")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.get_stage_display()}）"


class LeaderForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="链主企业", queryset=None, empty_label="请选择企业")
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class PurchaseForm(forms.Form):
    """The survey form: one main purchase of a leading firm."""

    leader = forms.ModelChoiceField(label="链主企业", queryset=None, empty_label="请选择链主企业")
    link = forms.ModelChoiceField(label="所属环节", queryset=None, empty_label="请选择环节")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    product = forms.CharField(label="采购产品", max_length=100)
    amount = WanField(label="年采购额（万元）")
    local = forms.TypedChoiceField(
        label="是否县内采购",
        choices=[("0", "否（从县外采购）"), ("1", "是（县内采购）")],
        coerce=lambda v: v == "1",
    )
    supplier = forms.CharField(label="主要供应商", max_length=200, required=False)
    supplier_place = forms.CharField(label="供应商所在地", max_length=100, required=False)

    def __init__(self, *args, leaders, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = lambda leader: leader.enterprise.name
        self.fields["link"].queryset = links
        self.fields["link"].label_from_instance = lambda link: f"{link.get_segment_display()} · {link.name}"
        self.fields["year"].initial = dt.date.today().year


class TargetForm(forms.Form):
    company_kind = forms.CharField(label="拟引进企业类型", max_length=200)
    regions = forms.CharField(label="目标企业所在地区", max_length=200, required=False)
    candidates = forms.CharField(
        label="目标企业名单", max_length=500, required=False, help_text="多家用“；”分隔"
    )
    follow_up_unit = forms.ModelChoiceField(
        label="跟进单位",
        queryset=OrgUnit.objects.filter(kind__in=("bureau", "office", "park", "town")),
        required=False,
    )
    follow_up_person = forms.CharField(label="跟进责任人", max_length=50, required=False)
    status = forms.ChoiceField(label="状态", choices=TargetStatus.choices, initial=TargetStatus.OPEN)
    project = forms.ModelChoiceField(label="对应项目", queryset=None, required=False, empty_label="（尚无）")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class UploadForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx）")
