"""Forms for login, units, users and tokens; errors are shown inline in Chinese."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from .choices import OrgUnitKind, Role, TokenScope
from .models import OrgUnit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续多次输错，本机地址和账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})


class OrgUnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=OrgUnitKind.choices)
    parent = forms.ModelChoiceField(
        label="上级单位", queryset=OrgUnit.objects.none(), required=False, empty_label="（无，顶级单位）"
    )
    code = forms.CharField(label="单位代码", max_length=40, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = OrgUnit.objects.exclude(kind=OrgUnitKind.ENTERPRISE).order_by(
            "kind", "sort_order", "name"
        )


class UserForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + - 。"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    org_unit = forms.ModelChoiceField(label="所属单位", queryset=OrgUnit.objects.none(), required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_unit_leader = forms.BooleanField(
        label="单位负责人（分管领导）", required=False, help_text="本单位办理超期的事项督办到本人。"
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="须符合安全管理员设定的密码规则；用户首次登录时须修改初始密码。",
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by(
            "kind", "sort_order", "name"
        )
        if creating:
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["username"].disabled = True
            # A role changes only through a request the security administrator approves.
            self.fields["role"].disabled = True
            self.fields["role"].help_text = "变更角色请在用户详情页提交申请，由安全管理员审批。"


class PasswordForm(forms.Form):
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：统计局数据对接")
    scope = forms.ChoiceField(label="权限", choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=3650, initial=90)


class OwnPasswordForm(PasswordForm):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    field_order = ["old_password", "password1", "password2"]


class RoleRequestForm(forms.Form):
    new_role = forms.ChoiceField(label="新角色", choices=Role.choices)
    new_unit = forms.ModelChoiceField(label="新单位", queryset=OrgUnit.objects.none(), required=False)
    reason = forms.CharField(label="理由", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by(
            "kind", "sort_order", "name"
        )


class SecuritySettingsForm(forms.Form):
    """Filled from the model's fields: labels and help texts in one place."""

    def __init__(self, *args, instance=None, **kwargs):
        from .models import SecuritySettings
        from .security import SETTING_BOUNDS, SETTING_FIELDS

        super().__init__(*args, **kwargs)
        for name in SETTING_FIELDS:
            field = SecuritySettings._meta.get_field(name)
            low, high = SETTING_BOUNDS[name]
            self.fields[name] = forms.IntegerField(
                label=field.verbose_name,
                min_value=low,
                max_value=high,
                help_text=field.help_text,
                initial=getattr(instance, name, None),
            )


def apply_validation_error(form: forms.Form, error) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def run_service(form: forms.Form, call):
    """Call a service; put its ValidationError or PermissionDenied on the form. Returns (ok, result)."""
    try:
        return True, call()
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return False, None


def form_page(request, *, form, title, cancel_url, breadcrumbs, template="core/form_page.html", **extra):
    """A page holding one form, with its title, breadcrumbs and cancel link."""
    return render(
        request,
        template,
        {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs, **extra},
    )
