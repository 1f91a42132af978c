"""Pages of the enterprise's portal, and the officials' side of its accounts and requests."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.audit import client_ip
from qiangxian.core.choices import Role
from qiangxian.core.forms import apply_validation_error, form_page, run_service
from qiangxian.core.security import address_count, address_events

from . import selectors, services
from .choices import CORRECTABLE_FIELDS
from .forms import (
    AccountForm,
    CorrectionForm,
    DataFillForm,
    DataRequestForm,
    DecisionForm,
    OfficialAccountForm,
    RegistrationForm,
)
from .models import EnterpriseAccount

# Self-registration from one address: at most this many tries an hour (the login's address counter).
REGISTER_LIMIT = 5
REGISTER_BUCKET = "portal-register"


def _page(request, template, title, enterprise, **context):
    return render(
        request,
        f"portal/{template}.html",
        {
            "title": title,
            "enterprise": enterprise,
            "breadcrumbs": [("企业服务", reverse("portal:home"))],
            **context,
        },
    )


# --- the enterprise's pages --------------------------------------------------------------------


def home(request):
    enterprise = selectors.enterprise_of(request.user)
    user = request.user
    benefits = selectors.benefits(user=user, enterprise=enterprise)
    return render(
        request,
        "portal/home.html",
        {
            "title": enterprise.name,
            "enterprise": enterprise,
            "figures": selectors.monthly_figures(user=user, enterprise=enterprise),
            "benefits": benefits,
            "demands": list(selectors.demands(user=user, enterprise=enterprise)[:5]),
            "visits": list(selectors.visits(user=user, enterprise=enterprise)[:5]),
            "data_requests": list(
                selectors.data_requests(user=user, enterprise=enterprise).filter(
                    state__in=("requested", "returned")
                )
            ),
        },
    )


def record(request):
    enterprise = selectors.enterprise_of(request.user)
    form = CorrectionForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in CORRECTABLE_FIELDS}
        ok, _ = run_service(
            form,
            lambda: services.correction_submit(
                actor=request.user, enterprise=enterprise, changes=changes, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(request, "更正申请已提交，领导小组办公室审核通过后生效。")
            return redirect("portal:record")
    from qiangxian.enterprises.models import Designation

    return _page(
        request,
        "record",
        "企业信息",
        enterprise,
        form=form,
        designations=Designation.objects.visible_to(request.user).filter(enterprise=enterprise).current(),
        corrections=selectors.corrections(user=request.user, enterprise=enterprise)[:20],
        labels=CORRECTABLE_FIELDS,
    )


def figures(request):
    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request,
        "figures",
        "运行数据",
        enterprise,
        figures=selectors.monthly_figures(user=request.user, enterprise=enterprise),
    )


def tiers(request):
    from qiangxian.tiers.views import DISCLAIMER

    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request,
        "tiers",
        "梯度培育",
        enterprise,
        result=selectors.tier_standing(user=request.user, enterprise=enterprise),
        disclaimer=DISCLAIMER,
    )


def policies(request):
    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request,
        "policies",
        "惠企政策",
        enterprise,
        benefits=selectors.benefits(user=request.user, enterprise=enterprise),
        applications=selectors.applications(user=request.user, enterprise=enterprise),
    )


def demands(request):
    from qiangxian.service import services as service
    from qiangxian.service.forms import DemandForm

    enterprise = selectors.enterprise_of(request.user)
    form = DemandForm(request.POST or None, user=request.user)
    form.fields.pop("enterprise")
    form.fields["category"].required = True
    form.fields["title"].required = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, demand = run_service(
            form,
            lambda: service.demand_create(
                actor=request.user,
                enterprise=enterprise,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                sub_category=data["sub_category"],
                tags=data["tags"],
                channel="portal",
                wanted_by=data["wanted_by"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
            ),
        )
        if ok:
            messages.success(request, f"诉求已受理，编号 {demand.code}。")
            return redirect("service:demand_detail", pk=demand.pk)
    return _page(
        request,
        "demands",
        "我的诉求",
        enterprise,
        form=form,
        demands=selectors.demands(user=request.user, enterprise=enterprise)[:100],
    )


def visits(request):
    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request,
        "visits",
        "走访记录",
        enterprise,
        visits=selectors.visits(user=request.user, enterprise=enterprise)[:100],
    )


def projects(request):
    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request,
        "projects",
        "投资项目",
        enterprise,
        projects=selectors.projects(user=request.user, enterprise=enterprise),
    )


def land(request):
    enterprise = selectors.enterprise_of(request.user)
    return _page(
        request, "land", "亩均评价", enterprise, **selectors.per_mu(user=request.user, enterprise=enterprise)
    )


def accounts(request):
    enterprise = selectors.enterprise_of(request.user)
    is_admin = services.is_enterprise_admin(request.user, enterprise)
    form = AccountForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("只有企业管理员可以管理本企业的账号。")
        if form.is_valid():
            ok, _ = run_service(
                form,
                lambda: services.account_create(
                    actor=request.user, enterprise=enterprise, **form.cleaned_data
                ),
            )
            if ok:
                messages.success(request, f"已添加用户 {form.cleaned_data['username']}。")
                return redirect("portal:accounts")
    return _page(
        request,
        "accounts",
        "企业账号",
        enterprise,
        accounts=selectors.accounts(user=request.user, enterprise=enterprise),
        form=form,
        is_admin=is_admin,
    )


@require_POST
def account_remove(request, pk):
    account = get_visible_or_404(
        EnterpriseAccount.objects.select_related("user", "enterprise"), request.user, pk
    )
    try:
        services.account_remove(actor=request.user, account=account)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"已停用用户 {account.user.username}。")
    if request.user.role == Role.ENTERPRISE:
        return redirect("portal:accounts")
    return redirect("portal:registrations")


# --- data requests (both sides) -------------------------------------------------------------------


def data_list(request):
    enterprise = services.own_enterprise(request.user)
    rows = selectors.data_requests(user=request.user, enterprise=enterprise)[:200]
    return render(
        request,
        "portal/data_list.html",
        {
            "title": "数据填报",
            "enterprise": enterprise,
            "rows": rows,
            "can_create": enterprise is None
            and request.user.role in (Role.OFFICE, Role.ADMIN, Role.TOWN, Role.PARK),
        },
    )


def data_new(request):
    if request.user.role == Role.ENTERPRISE:
        raise PermissionDenied("企业不能发起数据填报。")
    form = DataRequestForm(
        request.POST or None, user=request.user, initial={"year": dt.date.today().year - 1}
    )
    if request.method == "POST" and form.is_valid():
        ok, obj = run_service(
            form, lambda: services.data_request_create(actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(request, "已向企业发起数据填报。")
            return redirect("portal:data_detail", pk=obj.pk)
    return form_page(
        request,
        form=form,
        title="发起数据填报",
        cancel_url=reverse("portal:data_list"),
        breadcrumbs=[("数据填报", reverse("portal:data_list"))],
    )


def data_detail(request, pk):
    obj = selectors.access_data_request(request.user, pk)
    own = services.own_enterprise(request.user)
    fill = DataFillForm(request.POST or None, request.FILES or None, request=obj) if own is not None else None
    decide = DecisionForm(request.POST or None) if own is None else None
    if request.method == "POST":
        action = request.POST.get("action")
        if fill is not None and action in ("save", "submit") and fill.is_valid():
            ok, _ = run_service(
                fill,
                lambda: services.data_request_fill(
                    actor=request.user,
                    request=obj,
                    values=fill.cleaned_data,
                    evidence=fill.cleaned_data.get("evidence"),
                    submit=action == "submit",
                ),
            )
            if ok:
                messages.success(request, "已提交，等待审核。" if action == "submit" else "已保存。")
                return redirect("portal:data_detail", pk=obj.pk)
        elif decide is not None and action in ("approve", "return") and decide.is_valid():
            ok, _ = run_service(
                decide,
                lambda: services.data_request_decide(
                    actor=request.user,
                    request=obj,
                    approve=action == "approve",
                    note=decide.cleaned_data["note"],
                ),
            )
            if ok:
                messages.success(
                    request, "已采用，数据已计入评价。" if action == "approve" else "已退回企业补正。"
                )
                return redirect("portal:data_detail", pk=obj.pk)
    return render(
        request,
        "portal/data_detail.html",
        {
            "title": f"数据填报：{obj.title}",
            "obj": obj,
            "enterprise": own,
            "items": obj.items.all(),
            "fill": fill if obj.state in ("requested", "returned") else None,
            "decide": decide if obj.state == "submitted" else None,
            "breadcrumbs": [("数据填报", reverse("portal:data_list"))],
        },
    )


def data_evidence(request, pk):
    from django.http import FileResponse, Http404

    obj = selectors.access_data_request(request.user, pk)
    if not obj.evidence:
        raise Http404("没有证明材料。")
    return FileResponse(
        obj.evidence.open("rb"), as_attachment=True, filename=obj.evidence.name.rsplit("/", 1)[-1]
    )


# --- registration (anonymous) and the officials' review ----------------------------------------------


def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request)
        if address_events(ip, bucket=REGISTER_BUCKET) >= REGISTER_LIMIT:
            return render(
                request,
                "core/lockout.html",
                {"title": "注册已暂停", "by_address": True, "minutes": 60},
                status=429,
            )
        address_count(ip, bucket=REGISTER_BUCKET, seconds=3600)
        if form.is_valid():
            data = form.cleaned_data
            ok, _ = run_service(
                form,
                lambda: services.registration_submit(
                    uscc=data["uscc"],
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                    username=data["username"],
                    password=data["password"],
                ),
            )
            if ok:
                return render(request, "portal/register_done.html", {"title": "注册申请已提交"})
    return render(request, "portal/register.html", {"title": "企业注册", "form": form})


register.login_not_required = True


def _official(request):
    if request.user.role == Role.ENTERPRISE:
        raise PermissionDenied("该页面仅供政府工作人员使用。")


def registrations(request):
    _official(request)
    return render(
        request,
        "portal/registrations.html",
        {
            "title": "企业账号",
            "rows": selectors.registrations(user=request.user)[:200],
            "corrections": selectors.corrections(user=request.user).filter(state="submitted")[:100],
            "accounts": EnterpriseAccount.objects.visible_to(request.user)
            .filter(user__is_active=True)
            .select_related("user", "enterprise")[:300],
        },
    )


def registration_detail(request, pk):
    _official(request)
    obj = selectors.access_registration(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("action") == "approve"
        ok, _ = run_service(
            form,
            lambda: services.registration_decide(
                actor=request.user, registration=obj, approve=approve, note=form.cleaned_data["note"]
            ),
        )
        if ok:
            messages.success(request, "已通过，企业可用申请的用户名登录。" if approve else "已不予通过。")
            return redirect("portal:registration", pk=obj.pk)
    return render(
        request,
        "portal/registration_detail.html",
        {
            "title": f"注册申请：{obj.enterprise.name}",
            "obj": obj,
            "form": form if obj.state == "submitted" else None,
            "may_decide": services.can_decide_registration(request.user, obj),
            "breadcrumbs": [("企业账号", reverse("portal:registrations"))],
        },
    )


def account_new(request):
    _official(request)
    form = OfficialAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, lambda: services.account_create(actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, f"已为企业开通账号 {form.cleaned_data['username']}。")
            return redirect("portal:registrations")
    return form_page(
        request,
        form=form,
        title="开通企业账号",
        cancel_url=reverse("portal:registrations"),
        breadcrumbs=[("企业账号", reverse("portal:registrations"))],
    )


def correction_detail(request, pk):
    _official(request)
    obj = selectors.access_correction(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("action") == "approve"
        try:
            services.correction_decide(
                actor=request.user, request=obj, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已采纳，企业名录已更新。" if approve else "已不予采纳。")
            return redirect("portal:correction", pk=obj.pk)
    rows = [(CORRECTABLE_FIELDS.get(f, f), obj.before.get(f, ""), v) for f, v in obj.changes.items()]
    return render(
        request,
        "portal/correction_detail.html",
        {
            "title": f"信息更正：{obj.enterprise.name}",
            "obj": obj,
            "rows": rows,
            "form": form if obj.state == "submitted" and request.user.can_manage else None,
            "breadcrumbs": [("企业账号", reverse("portal:registrations"))],
        },
    )
