"""Forms of the monitoring module: upload, profile mapping, targets, official figures, thresholds."""

from __future__ import annotations

from django import forms

from .figures import Source
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
    file = forms.FileField(label="Excel 文件（.xlsx 或 .xls）")


class CommitForm(forms.Form):
    confirm_names = forms.BooleanField(label="已核对按名称匹配的企业", required=False)


class ProfileForm(forms.Form):
    """The profile's own fields; its columns come from the builder's table (``profile_builder``)."""

    name = forms.CharField(label="方案名称", max_length=100)
    source = forms.ChoiceField(label="数据来源", choices=Source.choices)
    kind = forms.ChoiceField(label="报表类型", choices=ImportProfile.Kind.choices)
    match_by = forms.ChoiceField(label="企业匹配方式", choices=ImportProfile.MatchBy.choices)
    sample = forms.FileField(
        label="样表（.xlsx 或 .xls）",
        required=False,
        help_text="上传一份该来源的报表，系统读取表头并识别各列。",
    )
    sheet_name = forms.CharField(label="工作表", max_length=100, required=False)
    header_row = forms.IntegerField(label="表头所在行", min_value=1, max_value=50, initial=1)
    skip_total_rows = forms.BooleanField(label="跳过合计/小计行", required=False, initial=True)
    skip_blank_key = forms.BooleanField(label="跳过没有企业代码（名称）的行", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=300, required=False)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="指标")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value_yi = forms.DecimalField(label="目标值（亿元；用电量为亿千瓦时）", max_digits=16, decimal_places=4)
    scope = forms.ChoiceField(label="范围")
    above_only = forms.BooleanField(label="仅规上企业", required=False, initial=True)
    responsible_unit = forms.ModelChoiceField(queryset=None, label="责任单位", required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from qiangxian.core.access import current_user, scope_of, within_counties
        from qiangxian.core.models import OrgUnit

        from .targets import target_choices

        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = target_choices()
        units = within_counties(
            OrgUnit.objects.exclude(kind="enterprise").order_by("kind", "sort_order", "name"),
            scope_of(current_user()),
        )
        scope = scope_of(current_user())
        if scope.above_counties and scope.counties is not None:
            # A city's or province's office sets each county's target; the county splits it.
            counties = OrgUnit.objects.filter(pk__in=scope.counties).order_by("sort_order", "pk")
            self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(
                county__isnull=True, parent_id=scope.unit_id
            ).exclude(kind__in=("county", "city", "province"))
            self.fields["scope"].choices = [(f"county:{c.pk}", c.name) for c in counties]
            return
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
