"""Forms of the monitoring module: upload, profile mapping, targets, official figures, thresholds."""

from __future__ import annotations

from django import forms

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, UNITS, Source
from .models import ImportProfile, MonitorSettings


class MonthField(forms.CharField):
    """A month typed as 2026-10 (the browser's month input)."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        from .selectors import parse_month

        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError("月份格式应为 2026-10。")
        return month


class UploadForm(forms.Form):
    profile = forms.ModelChoiceField(ImportProfile.objects.all(), label="导入方案", empty_label=None)
    month = MonthField(label="报表月份", required=False, help_text="表格中有期别列时可不填。")
    combined_jan_feb = forms.BooleanField(label="1-2月合并报表", required=False)
    file = forms.FileField(label="Excel 文件（.xlsx）")


class CommitForm(forms.Form):
    confirm_names = forms.BooleanField(label="已核对按名称匹配的企业", required=False)


COLUMN_HELP = (
    "每行一列：列标题 | 指标代码 | 单位 | 累计或当月 | 本期或上年，例如："
    "“工业总产值（万元）| gross_output | wan | 累计 | 本期”。"
)
BASIS = {"累计": "ytd", "ytd": "ytd", "当月": "month", "month": "month"}
YEAR = {"本期": "current", "current": "current", "上年": "last", "上年同期": "last", "last": "last"}


def columns_to_text(columns: list[dict]) -> str:
    return "\n".join(
        f"{c['header']} | {c['figure']} | {c['unit']} | {'当月' if c.get('basis') == 'month' else '累计'} | "
        f"{'上年' if c.get('year') == 'last' else '本期'}"
        for c in columns
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    source = forms.ChoiceField(label="数据来源", choices=Source.choices)
    kind = forms.ChoiceField(label="报表类型", choices=ImportProfile.Kind.choices)
    match_by = forms.ChoiceField(label="企业匹配方式", choices=ImportProfile.MatchBy.choices)
    key_column = forms.CharField(
        label="代码列标题", max_length=50, initial="统一社会信用代码", required=False
    )
    name_column = forms.CharField(label="名称列标题", max_length=50, initial="企业名称", required=False)
    period_column = forms.CharField(
        label="期别列标题", max_length=50, required=False, help_text="留空：上传时选择月份。"
    )
    columns_text = forms.CharField(
        label="列映射", widget=forms.Textarea(attrs={"rows": 8}), help_text=COLUMN_HELP
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def clean_columns_text(self):
        columns = []
        for number, line in enumerate(self.cleaned_data["columns_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3:
                raise forms.ValidationError(f"第{number}行：至少需要“列标题 | 指标代码 | 单位”。")
            parts += [""] * (5 - len(parts))
            header, figure, unit, basis, year = parts[:5]
            if unit not in UNITS:
                unit = next((k for k, (label, _) in UNITS.items() if label == unit), unit)
            if unit not in UNITS:
                raise forms.ValidationError(f"第{number}行：未知单位“{parts[2]}”。")
            if figure not in MONTHLY_FIGURES and figure not in ANNUAL_FIGURES:
                figure = next(
                    (c for c, f in {**MONTHLY_FIGURES, **ANNUAL_FIGURES}.items() if f.name == figure), figure
                )
            columns.append(
                {
                    "header": header,
                    "figure": figure,
                    "unit": unit,
                    "basis": BASIS.get(basis or "累计", "ytd"),
                    "year": YEAR.get(year or "本期", "current"),
                }
            )
        return columns


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="指标")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value_yi = forms.DecimalField(label="目标值（亿元；用电量为亿千瓦时）", max_digits=16, decimal_places=4)
    scope = forms.ChoiceField(label="范围")
    above_only = forms.BooleanField(label="仅规上企业", required=False, initial=True)
    responsible_unit = forms.ModelChoiceField(queryset=None, label="责任单位", required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from qiangxian.core.models import OrgUnit

        from .targets import target_choices

        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = target_choices()
        units = OrgUnit.objects.exclude(kind="enterprise").order_by("kind", "sort_order", "name")
        self.fields["responsible_unit"].queryset = units
        self.fields["scope"].choices = [("county:0", "全县")] + [
            (f"{u.kind}:{u.pk}", f"{u.get_kind_display()}：{u.name}")
            for u in units
            if u.kind in ("town", "park", "zone")
        ]


class OfficialForm(forms.Form):
    indicator = forms.ChoiceField(
        label="指标",
        choices=[
            ("value_added", "规上工业增加值"),
            ("gross_output", "规上工业总产值"),
            ("main_revenue", "规上工业营业收入"),
        ],
    )
    month = MonthField(label="月份")
    value_yi = forms.DecimalField(label="发布值（亿元）", required=False, max_digits=16, decimal_places=4)
    growth_pct = forms.DecimalField(label="发布增速（%）", required=False, max_digits=8, decimal_places=2)
    note = forms.CharField(label="来源说明", max_length=300, required=False, initial="县统计局月度统计快报")


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MonitorSettings
        fields = [
            "output_drop_pct",
            "stalled_months",
            "scale_threshold",
            "disagreement_pp",
            "jump_pct",
            "target_slight_pp",
            "growth_basis",
            "headline_revenue",
        ]
