"""Forms for assessment data, in the units officials write (万元, %, 年, 项)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from qiangxian.rules.engine import Indicator
from qiangxian.rules.engine.units import MONEY
from qiangxian.statistics.snapshot import statistics_identifiers

from . import tiers as tier_defs
from .models import AssessmentAward

YES_NO = [("1", "是"), ("0", "否")]
MET_CHOICES = [("1", "符合"), ("0", "不符合")]


def input_unit(indicator: Indicator) -> tuple[str, Decimal]:
    """The unit a value is typed in, and the factor to the engine's unit."""
    if indicator.is_bool:
        return "1 = 是，0 = 否", Decimal(1)
    unit = indicator.unit
    assert not isinstance(unit, str)
    if unit.dims == MONEY.dims:
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
        out.append(
            (
                item.identifier,
                f"{item.name}（{label}）— 规则读取{tier_defs.read_years_text(item.identifier)}{mark}",
            )
        )
    return out


def read_years_table(year: int) -> list[tuple[str, str]]:
    """(indicator, the year(s) the rules read it for) for the assessment page, given the evaluation year."""
    carried = statistics_identifiers()
    items = sorted(tier_defs.catalogue().indicators.values(), key=lambda i: i.name)
    return [
        (i.name, tier_defs.read_years_text(i.identifier, year))
        for i in items
        if i.identifier not in carried and i.identifier in tier_defs.read_offsets()
    ]


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


class AwardForm(forms.Form):
    name = forms.CharField(label="奖项名称", max_length=200, help_text="如：省科学技术进步奖二等奖。")
    level = forms.ChoiceField(label="级别", choices=AssessmentAward.Level.choices)
    rank = forms.IntegerField(
        label="在获奖单位中的排名",
        min_value=1,
        max_value=99,
        required=False,
        help_text="第几完成单位；不清楚留空。",
    )
    awarded_on = forms.DateField(label="授奖日期", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="依据", max_length=300, required=False, help_text="如：授奖文件号。")


class EvaluationDateForm(forms.Form):
    """The date tiers are judged on (default today): the version of each rule set in force that day."""

    on = forms.DateField(
        label="评价日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "评价日期格式应为 年-月-日，如 2026-04-01。"},
    )

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on is not None and not 2000 <= on.year <= 2100:
            raise forms.ValidationError("评价日期应在 2000 年至 2100 年之间。")
        return on


class BulkJudgementForm(forms.Form):
    """One judgement recorded for the enterprises ticked in a pool list."""

    criterion = forms.ChoiceField(
        label="待确认事项", choices=lambda: [(text, text) for text, _ in tier_defs.judgement_texts()]
    )
    satisfied = forms.TypedChoiceField(label="确认结果", choices=MET_CHOICES, coerce=lambda v: v == "1")
    reason = forms.CharField(label="判断依据", max_length=500)
    judged_on = forms.DateField(
        label="判断日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    enterprises = forms.TypedMultipleChoiceField(
        label="企业", coerce=int, choices=(), error_messages={"required": "请至少勾选一家企业。"}
    )

    def __init__(self, *args, enterprise_ids: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].choices = [(i, str(i)) for i in enterprise_ids or []]


class AssessmentImportForm(forms.Form):
    file = forms.FileField(label="评价数据文件（.xlsx）")
