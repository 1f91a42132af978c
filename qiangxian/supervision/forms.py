"""Forms of the supervision pages; services validate again and their messages land on the fields."""

from __future__ import annotations

from django import forms

from .choices import Comparator, DocumentKind, SourceKind, TargetKind
from .filters import units
from .models import Meeting, SourceDocument, SupervisionSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="督办事项", max_length=300)
    detail = forms.CharField(label="具体要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=units(), error_messages={"required": "请选择牵头单位。"}
    )
    supporting_units = forms.ModelMultipleChoiceField(label="配合单位", queryset=units(), required=False)
    leader = forms.CharField(label="责任领导", max_length=50, required=False)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    deadline = forms.DateField(label="完成时限", widget=DATE, error_messages={"required": "请填写完成时限。"})
    source_kind = forms.ChoiceField(label="来源", choices=SourceKind.choices)
    meeting = forms.ModelChoiceField(label="来源会议", queryset=Meeting.objects.all(), required=False)
    document = forms.ModelChoiceField(label="来源文件", queryset=SourceDocument.objects.all(), required=False)
    quote = forms.CharField(label="原文", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    metric = forms.CharField(
        label="考核指标",
        max_length=100,
        required=False,
        help_text="没有平台指标对应的目标，由牵头单位每月报送完成数。",
    )
    metric_unit = forms.CharField(label="指标单位", max_length=20, required=False)
    metric_target = forms.DecimalField(
        label="目标值", max_digits=19, decimal_places=4, required=False, min_value=0
    )

    def __init__(self, *args, **kwargs):
        from qiangxian.core.access import current_user, scope_of

        super().__init__(*args, **kwargs)
        if scope_of(current_user()).above_counties:
            # A city's or province's task is led and supported by its own units.
            own = units().filter(county__isnull=True)
            self.fields["lead_unit"].queryset = own
            self.fields["supporting_units"].queryset = own

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReportForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    month = forms.DateField(
        label="报送月份",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    progress = forms.CharField(
        label="进展情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写进展情况。"},
    )
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    figure = forms.DecimalField(label="完成数", max_digits=19, decimal_places=4, required=False, min_value=0)
    percent_done = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100, required=False)
    attachment = forms.FileField(label="附件", required=False)

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file and file.size > 20 * 1024 * 1024:
            raise forms.ValidationError("附件不能超过 20MB。")
        return file


class CompleteForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label="完成日期", widget=DATE)


class ExtendForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    deadline = forms.DateField(label="新的完成时限", widget=DATE)


class LetterForm(forms.Form):
    reply_days = forms.IntegerField(label="回复时限（天）", min_value=1, max_value=60, initial=5)


class MilestoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    title = forms.CharField(label="节点", max_length=200)
    due_on = forms.DateField(label="节点时限", widget=DATE)


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="会议日期", widget=DATE)
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    note = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class DraftForm(forms.Form):
    title = forms.CharField(label="文件名称", max_length=200)
    kind = forms.ChoiceField(label="文件类型", choices=DocumentKind.choices)
    doc_date = forms.DateField(label="成文日期", widget=DATE)
    meeting = forms.ModelChoiceField(label="所属会议", queryset=Meeting.objects.all(), required=False)
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}), required=False)
    file = forms.FileField(label="或上传文件（.docx / .txt）", required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError("请粘贴正文或上传文件。")
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = [
            "report_day",
            "remind_days",
            "score_base",
            "on_time_bonus",
            "late_penalty",
            "overdue_penalty",
            "missed_report_penalty",
        ]


COMPARATORS = Comparator.choices
TARGET_KINDS = TargetKind.choices
