"""Forms of the workbench: the expression being tried, and the fields of a saved rule."""

from __future__ import annotations

from django import forms

from .checking import MAX_LENGTH
from .choices import ResultType


class WorkbenchForm(forms.Form):
    expression = forms.CharField(
        label="表达式",
        required=False,
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "spellcheck": "false",
                "autocomplete": "off",
                "placeholder": "例如：研发费用@上年 / 营业收入@上年 >= 3% 且 营业收入@上年 >= 1000万",
            }
        ),
        error_messages={"max_length": f"表达式最多 {MAX_LENGTH} 个字符。"},
    )
    result_type = forms.ChoiceField(label="结果类型", choices=ResultType.choices, initial=ResultType.BOOL)
    as_of = forms.DateField(
        label="评价日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="期间（本年、上年、近2年…）相对于这一日期所在年份。",
        error_messages={"invalid": "请输入有效日期，例如 2026-06-01。"},
    )


class CustomRuleForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=100)
    description = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="依据的文件、条款或用途。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    rule = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
