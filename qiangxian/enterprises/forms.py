"""Forms of the registry: widgets and parsing only; every rule lives in the services."""

from __future__ import annotations

from django import forms

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit, User

from .choices import (
    ChampionType,
    DesignationKind,
    DesignationLevel,
    MeasureStatus,
    PlanStatus,
    ReviewRating,
)
from .models import Designation, Enterprise, RegistryImportProfile, TaskForce

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _units(*kinds):
    return OrgUnit.objects.filter(kind__in=kinds, is_active=True).order_by("kind", "sort_order", "name")


class EnterpriseForm(forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "short_name",
            "former_names",
            "legal_representative",
            "established_on",
            "industry_code",
            "status",
            "town",
            "park",
            "zone",
            "registered_address",
            "production_address",
            "land_area_mu",
            "land_tenure",
            "registration_number",
            "tags",
        ]
        widgets = {"established_on": DATE}
        help_texts = {
            "uscc": "18 位，如 91350100M000100Y43",
            "industry_code": "GB/T 4754-2017 四位小类代码，如 1951",
            "registration_number": "可空：三证合一前的 15 位工商注册号",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = _units(OrgUnitKind.TOWN)
        self.fields["park"].queryset = _units(OrgUnitKind.PARK)
        self.fields["zone"].queryset = _units(OrgUnitKind.ZONE)
        self.fields["industry_code"].widget.attrs["list"] = "qx-industry-classes"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def _post_clean(self):
        # Model validation (uniqueness, code checks) belongs to the service, which reports in Chinese.
        pass


class ContactForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


class DesignationForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = [
            "kind",
            "champion_type",
            "product_name",
            "level",
            "batch",
            "year",
            "document_no",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}
        help_texts = {"valid_to": "可空：按称号有效期自动计算（科技型中小企业 1 年，其余 3 年）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in DesignationKind.choices if c[0] != DesignationKind.ABOVE_SCALE
        ]
        self.fields["champion_type"].choices = [("", "—"), *ChampionType.choices]
        self.fields["level"].choices = [("", "—"), *DesignationLevel.choices]

    def _post_clean(self):
        pass


class ScaleForm(forms.Form):
    action = forms.ChoiceField(label="登记事项", choices=[("entry", "入规"), ("exit", "退规")])
    month = forms.DateField(label="月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    document_no = forms.CharField(label="文件号/依据", max_length=100, required=False)


class LiaisonForm(forms.Form):
    leader = forms.ModelChoiceField(label="包联领导", queryset=User.objects.none(), required=False)
    officials = forms.ModelMultipleChoiceField(
        label="包联干部",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    task_force = forms.ModelChoiceField(label="所属专班", queryset=TaskForce.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(is_active=True)
            .exclude(role="enterprise")
            .order_by("display_name", "username")
        )
        self.fields["leader"].queryset = people
        self.fields["officials"].queryset = people


class TaskForceForm(forms.Form):
    name = forms.CharField(label="专班名称", max_length=100)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        required=False,
        queryset=_units(OrgUnitKind.BUREAU, OrgUnitKind.OFFICE, OrgUnitKind.TOWN, OrgUnitKind.PARK),
    )
    leader = forms.ModelChoiceField(
        label="专班负责人",
        required=False,
        queryset=User.objects.filter(is_active=True).exclude(role="enterprise"),
    )
    description = forms.CharField(
        label="工作职责", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClusterForm(forms.Form):
    name = forms.CharField(label="集群名称", max_length=50)
    industry_codes = forms.CharField(
        label="包含的行业小类",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="四位小类代码，用空格或逗号分隔，如 1951 1952 1953",
    )
    description = forms.CharField(label="说明", max_length=300, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, required=False, initial=0)


class ClusterMemberForm(forms.Form):
    enterprise = forms.CharField(label="企业（名称或统一社会信用代码）", max_length=200)


class PlanForm(forms.Form):
    target_tier = forms.ChoiceField(label="培育目标", choices=DesignationKind.choices)
    target_year = forms.IntegerField(label="目标年度", min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="状态", choices=PlanStatus.choices, initial=PlanStatus.ACTIVE)
    summary = forms.CharField(label="培育思路", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    baseline_year = forms.IntegerField(label="基数年度", min_value=2000, max_value=2100, required=False)
    baseline_revenue = forms.DecimalField(
        label="营业收入（元）", min_value=0, decimal_places=2, required=False
    )
    baseline_rd_expense = forms.DecimalField(
        label="研发费用（元）", min_value=0, decimal_places=2, required=False
    )
    baseline_employees = forms.IntegerField(label="从业人员（人）", min_value=0, required=False)
    baseline_ip_count = forms.IntegerField(label="Ⅰ类知识产权（件）", min_value=0, required=False)
    # The plan's updated_at when the form was opened: a save over someone else's change is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class MeasureForm(forms.Form):
    content = forms.CharField(label="措施内容", max_length=300)
    responsible_unit = forms.ModelChoiceField(
        label="责任单位",
        required=False,
        queryset=_units(
            OrgUnitKind.BUREAU, OrgUnitKind.OFFICE, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE
        ),
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)
    status = forms.ChoiceField(label="状态", choices=MeasureStatus.choices, initial=MeasureStatus.PENDING)
    progress_notes = forms.CharField(
        label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=200)
    due_on = forms.DateField(label="计划时间", widget=DATE)
    achieved_on = forms.DateField(label="实际达成", required=False, widget=DATE)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="评估日期", widget=DATE)
    period = forms.CharField(label="评估期", max_length=50, help_text="如“2026年二季度”")
    rating = forms.ChoiceField(label="评估结论", choices=ReviewRating.choices)
    conclusion = forms.CharField(label="评估意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label="企业名录文件（.xlsx / .xls / .csv）")
    profile = forms.ModelChoiceField(
        label="导入方案",
        queryset=RegistryImportProfile.objects.all(),
        required=False,
        empty_label="自动识别列名",
        help_text="保存过的列对应关系；不选则按常见列名自动识别。",
    )
    scale_month = forms.DateField(
        label="入规/退规月份",
        widget=MONTH,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        required=False,
        help_text="文件中“规上”一列与平台不同的企业，从该月起登记入规或退规（文件中有“入规月份”列的以该列为准）。",
    )

    def clean_file(self):
        from qiangxian.core.sheets import max_bytes, size_message

        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(size_message(upload.size))
        return upload


class ImportReviewForm(forms.Form):
    """The review of a staged registry file: each column's field, the 规上 month, an optional profile name."""

    scale_month = forms.DateField(
        label="入规/退规月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"], required=False
    )
    profile_name = forms.CharField(
        label="保存为导入方案",
        max_length=100,
        required=False,
        help_text="填写名称即把本次的列对应关系保存下来，下次上传时选用。",
    )

    def __init__(self, *args, columns=(), **kwargs):
        from .importers.headers import FIELD_LABELS

        super().__init__(*args, **kwargs)
        choices = [("-", "（不导入）"), *FIELD_LABELS.items()]
        self.columns = list(columns)
        for column in self.columns:
            self.fields[f"map_{column.index}"] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=False,
                initial=column.field if column.field else "-",
            )

    def mapping(self) -> dict[str, str]:
        """normalised header -> field ("" to ignore), for every column of the file."""
        from .importers.headers import normalize

        result = {}
        for column in self.columns:
            value = self.cleaned_data.get(f"map_{column.index}") or "-"
            result[normalize(column.header)] = "" if value == "-" else value
        return result


class BulkScaleForm(forms.Form):
    """入规/退规 for the enterprises ticked in the registry list."""

    action = forms.ChoiceField(label="登记事项", choices=[("entry", "入规"), ("exit", "退规")])
    month = forms.DateField(label="月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    reason = forms.CharField(label="文件号/依据", max_length=100, required=False)
