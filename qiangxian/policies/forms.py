"""Forms of the policy pages; the services do the validation that matters (with Chinese messages)."""

from __future__ import annotations

from django import forms

from qiangxian.core.access import scope_of
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from .choices import BenefitKind, ExclusionRule, GrantMode, PolicyLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units():
    return OrgUnit.objects.exclude(kind=OrgUnitKind.ENTERPRISE).order_by("kind", "sort_order", "name")


class PolicyForm(forms.Form):
    title = forms.CharField(label="政策名称", max_length=200)
    issuer_name = forms.CharField(label="发文机关", max_length=200, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    level = forms.ChoiceField(label="层级", choices=PolicyLevel.choices, initial=PolicyLevel.COUNTY)
    effective_from = forms.DateField(label="施行日期", widget=DATE)
    effective_to = forms.DateField(label="有效期至", widget=DATE, required=False)
    responsible_units = forms.ModelMultipleChoiceField(
        label="责任单位", queryset=OrgUnit.objects.none(), required=False
    )
    cap_per_enterprise_year = forms.DecimalField(
        label="同一企业年度奖补上限（元）", required=False, max_digits=16, decimal_places=2
    )
    guide_who = forms.CharField(
        label="兑现指南：适用对象", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guide_what = forms.CharField(
        label="兑现指南：支持内容", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guide_when = forms.CharField(
        label="兑现指南：办理时间", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guide_where = forms.CharField(
        label="兑现指南：办理地点与方式", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guide_contact = forms.CharField(label="兑现指南：咨询电话", max_length=200, required=False)
    full_text = forms.CharField(label="政策原文", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    expected_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_units"].queryset = _units()


class ClauseForm(forms.Form):
    number = forms.CharField(label="条款序号", max_length=30, required=False)
    title = forms.CharField(label="条款名称", max_length=200)
    effective_from = forms.DateField(label="本版本生效日期", widget=DATE)
    quote = forms.CharField(label="原文摘录", widget=forms.Textarea(attrs={"rows": 3}))
    eligibility = forms.CharField(
        label="享受条件（规则表达式）",
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        help_text='例：研发费用@上年 >= 500万 且 持有("高新技术企业")',
    )
    benefit_kind = forms.ChoiceField(label="奖补方式", choices=BenefitKind.choices)
    benefit_amount = forms.DecimalField(label="定额（元）", required=False, max_digits=16, decimal_places=2)
    benefit_rate = forms.DecimalField(
        label="比例（小数，0.1 即 10%）", required=False, max_digits=8, decimal_places=6
    )
    benefit_base = forms.CharField(
        label="计算基数（金额表达式）", required=False, max_length=500, help_text="例：研发费用@上年"
    )
    benefit_tiers = forms.CharField(
        label="分档（每行“门槛元:金额元”）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cap_per_enterprise_year = forms.DecimalField(
        label="单个企业年度上限（元）", required=False, max_digits=16, decimal_places=2
    )
    budget = forms.DecimalField(label="条款年度预算（元）", required=False, max_digits=16, decimal_places=2)
    mode = forms.ChoiceField(label="兑现方式", choices=GrantMode.choices)
    window_from = forms.DateField(label="申报开始", widget=DATE, required=False)
    window_to = forms.DateField(label="申报截止", widget=DATE, required=False)
    documents_required = forms.CharField(
        label="所需材料（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_unit = forms.ModelChoiceField(label="审核单位", queryset=OrgUnit.objects.none(), required=False)
    paying_unit = forms.ModelChoiceField(label="拨付单位", queryset=OrgUnit.objects.none(), required=False)
    review_days = forms.IntegerField(label="审核时限（工作日）", initial=15, min_value=1, max_value=60)
    exclusion_group = forms.CharField(label="互斥组", max_length=50, required=False)
    exclusion_rule = forms.ChoiceField(label="互斥规则", choices=ExclusionRule.choices)
    note = forms.CharField(label="修订说明", max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units()
        if user is not None and scope_of(user).above_counties:
            # A city's or province's clause is reviewed and paid in each county (the service
            # refuses one county's bureau): only the units of the level itself are offered.
            units = units.filter(county__isnull=True)
        self.fields["review_unit"].queryset = units
        self.fields["paying_unit"].queryset = units


class WillingnessForm(forms.Form):
    bank_name = forms.CharField(label="开户银行", max_length=100)
    bank_account = forms.CharField(label="银行账号", max_length=40)


class QuickApplyForm(WillingnessForm):
    declared_base = forms.DecimalField(
        label="申报基数（元）", required=False, max_digits=16, decimal_places=2
    )
    description = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    kind = forms.CharField(label="材料名称", max_length=100)
    file = forms.FileField(label="文件（PDF、图片、Excel、Word，不超过10MB）")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    amount = forms.DecimalField(label="核定金额（元）", required=False, max_digits=16, decimal_places=2)
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="拨付金额（元）", max_digits=16, decimal_places=2)
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    voucher_number = forms.CharField(label="凭证号", max_length=60)


class DraftForm(forms.Form):
    text = forms.CharField(label="政策原文", widget=forms.Textarea(attrs={"rows": 14}), max_length=200_000)
    title = forms.CharField(label="政策名称", max_length=200, required=False)


class SandboxForm(forms.Form):
    clause = forms.IntegerField(widget=forms.HiddenInput)
    eligibility = forms.CharField(label="享受条件（草稿）", widget=forms.Textarea(attrs={"rows": 2}))
    benefit_amount = forms.DecimalField(label="定额（元）", required=False, max_digits=16, decimal_places=2)
    benefit_rate = forms.DecimalField(label="比例", required=False, max_digits=8, decimal_places=6)
    cap_per_enterprise_year = forms.DecimalField(
        label="单个企业年度上限（元）", required=False, max_digits=16, decimal_places=2
    )
