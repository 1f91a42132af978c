from __future__ import annotations

from django import forms

from .models import ReportKind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(
        label="报告", choices=[c for c in ReportKind.choices if c[0] != ReportKind.UPWARD]
    )
    month = forms.ChoiceField(label="月份")
    scope = forms.ChoiceField(label="范围")

    def __init__(self, *args, months=(), scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.strftime("%Y-%m"), f"{m.year}年{m.month}月") for m in months]
        self.fields["scope"].choices = [(f"{s['kind']}:{s['id']}", s["label"]) for s in scopes]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="下一步工作", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TemplateUploadForm(forms.Form):
    name = forms.CharField(label="模板名称", max_length=100)
    file = forms.FileField(label="模板文件（.xlsx）")
    mapping = forms.CharField(
        label="填写规则",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text="每行一条：工作表!单元格 = 指标 字段 范围 [累计/当月]，"
        "如“表1!C5 = 工业总产值 值 全县 累计”；"
        "或整列：工作表!列起:列止 = 指标 字段 分组 名称所在列，如“表1!D6:D20 = 工业总产值 增速 乡镇 B”。"
        "字段：值、增速、占比、拉动、上年同期；金额按万元填写，比率按百分数填写。",
    )


class FillForm(forms.Form):
    month = forms.ChoiceField(label="月份")

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.strftime("%Y-%m"), f"{m.year}年{m.month}月") for m in months]
