"""Forms for assessment data, in the units officials write (万元, %, 年, 项)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from qiangxian.rules.engine import Indicator

from . import tiers as tier_defs
from .snapshot import statistics_identifiers

YES_NO = [("1", "是"), ("0", "否")]
MET_CHOICES = [("1", "符合"), ("0", "不符合")]


def input_unit(indicator: Indicator) -> tuple[str, Decimal]:
    """The unit a value is typed in, and the factor to the engine's unit."""
    if indicator.is_bool:
        return "1 = 是，0 = 否", Decimal(1)
    unit = indicator.unit
    assert not isinstance(unit, str)
    if unit.dims == (1, 0, 0, 0, 0, 0):
        return "万元", Decimal(10_000)
    if unit.dimensionless and unit.percent:
        return "%", Decimal("0.01")
    return unit.label or "数值", Decimal(1)


def indicator_choices() -> list[tuple[str, str]]:
    """Indicators with their input units; those the statistics carry come last, marked."""
    carried = statistics_identifiers()
    items = sorted(tier_defs.catalogue().indicators.values(), key=lambda i: (i.identifier in carried, i.name))
    out = []
    for item in items:
        label, _ = input_unit(item)
        mark = "（统计数据缺失时才采用）" if item.identifier in carried else ""
        out.append((item.identifier, f"{item.name}（{label}）{mark}"))
    return out


class AssessmentValueForm(forms.Form):
    indicator = forms.ChoiceField(label="指标", choices=indicator_choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(
        label="数值", max_digits=20, decimal_places=6, help_text="金额填万元，比例填百分数。"
    )
    source_note = forms.CharField(
        label="数据来源",
        max_length=300,
        required=False,
        help_text="如：企业申报材料、审计报告、梯度培育平台。",
    )

    def engine_value(self) -> Decimal:
        """The typed value converted to the engine's unit (元, fraction...)."""
        indicator = tier_defs.catalogue().indicators[self.cleaned_data["indicator"]]
        _, factor = input_unit(indicator)
        return self.cleaned_data["value"] * factor


class AssessmentDesignationForm(forms.Form):
    name = forms.ChoiceField(
        label="资质或事项", choices=lambda: [(n, n) for n in tier_defs.assessment_designations()]
    )
    held = forms.TypedChoiceField(label="是否具备", choices=YES_NO, coerce=lambda v: v == "1")
    valid_to = forms.DateField(
        label="有效期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(label="依据", max_length=300, required=False)


class JudgementForm(forms.Form):
    criterion = forms.ChoiceField(
        label="判断事项", choices=lambda: [(text, text) for text, _ in tier_defs.judgement_texts()]
    )
    satisfied = forms.TypedChoiceField(label="判断结果", choices=MET_CHOICES, coerce=lambda v: v == "1")
    reason = forms.CharField(label="判断依据", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    judged_on = forms.DateField(
        label="判断日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AssessmentImportForm(forms.Form):
    file = forms.FileField(label="评价数据文件（.xlsx）")
