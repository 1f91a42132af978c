"""Forms of the enterprise's portal (labels and messages in Chinese)."""

from __future__ import annotations

from django import forms

from qiangxian.enterprises.models import Enterprise

from .choices import CORRECTABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class RegistrationForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, help_text="18 位，见营业执照")
    contact_name = forms.CharField(label="联系人", max_length=50)
    phone = forms.CharField(label="手机号码", max_length=20)
    username = forms.CharField(label="用户名", max_length=30, help_text="4-30 位字母、数字或 _ . @ + -")
    password = forms.CharField(label="密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label="审核意见", max_length=300, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=30)
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号码", max_length=20)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="用户首次登录时须修改初始密码。"
    )


class OfficialAccountForm(AccountForm):
    enterprise = forms.ModelChoiceField(label="企业", queryset=Enterprise.objects.none())
    is_admin = forms.BooleanField(label="设为企业管理员", required=False)

    field_order = ["enterprise", "username", "display_name", "phone", "password", "is_admin"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in CORRECTABLE_FIELDS.items():
            self.fields[field] = forms.CharField(
                label=label, max_length=300, required=False, initial=getattr(enterprise, field, "")
            )
        self.order_fields([*CORRECTABLE_FIELDS, "reason"])


class DataRequestForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="企业", queryset=Enterprise.objects.none())
    title = forms.CharField(label="事项", max_length=100, initial="梯度培育申报评价数据")
    year = forms.IntegerField(label="数据年度", min_value=2000, max_value=2100)
    indicators = forms.MultipleChoiceField(label="需填报的指标", choices=())
    note = forms.CharField(label="说明", max_length=500, required=False)
    due_on = forms.DateField(label="填报截止日期", required=False, widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        from qiangxian.tiers.forms import indicator_choices

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["indicators"].choices = indicator_choices()


class DataFillForm(forms.Form):
    evidence = forms.FileField(
        label="证明材料", required=False, help_text="PDF、图片、Excel 或 Word，不超过 10MB"
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for item in request.items.all():
            fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{item.label}（{item.unit}）", required=False, initial=item.value
            )
        self.fields = {**fields, **self.fields}
