"""Pages of the core: login, home, units, users, login logs, tokens, jobs, health."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .access import scope_of
from .choices import OrgUnitKind, Role
from .forms import LoginForm, OrgUnitForm, PasswordForm, TokenForm, UserForm, apply_validation_error
from .history import timeline
from .lists import Column, render_list
from .models import ApiToken


def admin_required(view):
    """Pages of 系统管理 are for the office and administrators only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.can_administer:
            raise PermissionDenied("您无权访问系统管理。")
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        """An address that failed too often is stopped before any password is checked."""
        from .audit import client_ip
        from .security import address_locked, policy

        if address_locked(client_ip(request)):
            return render(
                request,
                "core/lockout.html",
                {"title": "登录已暂停", "by_address": True, "minutes": policy().lockout_minutes},
                status=429,
            )
        return super().post(request, *args, **kwargs)


@require_GET
def healthz(request):
    """200 when the database answers (503 otherwise), with the worker's heartbeat and the queue."""
    from .health import report

    body, serving = report()
    return JsonResponse(body, status=200 if serving else 503)


healthz.login_not_required = True


def home(request):
    """The workbench (工作台): what each app has for the user's role and scope, each count linked
    to the list it was counted from (or the role's own first screen, e.g. the enterprise's portal).
    The core knows no domain: the apps register their sections."""
    from . import workbench
    from .navigation import home_for

    own = home_for(request.user)
    if own:
        return redirect(own)

    return render(
        request,
        "core/home.html",
        {"title": "首页", "scope": scope_of(request.user), "sections": workbench.sections_for(request.user)},
    )


@require_GET
def search_page(request):
    """The results of the top bar's search: every app's hits the user may see, with links to the lists."""
    from . import search

    query = search.clean_query(request.GET.get("q"))
    return render(
        request,
        "core/search.html",
        {"title": "搜索", "query": query, "groups": search.search(request.user, query, limit=20)},
    )


@require_GET
def search_suggest(request):
    """The top bar's drop-down while typing (htmx): the first hits of each kind."""
    from . import search

    query = search.clean_query(request.GET.get("q"))
    return render(
        request,
        "core/_search_suggest.html",
        {"query": query, "groups": search.search(request.user, query, limit=5)},
    )


# --- org units -----------------------------------------------------------------------------

UNIT_COLUMNS = [
    Column("name", "名称", sort="name", link=lambda u: reverse("core:orgunit_detail", args=[u.pk])),
    Column("kind", "类型", sort="kind", value=lambda u: u.get_kind_display()),
    Column("parent", "上级单位", sort="parent__name"),
    Column("code", "单位代码"),
    Column("user_count", "用户数", numeric=True),
    Column("is_active", "启用", value=lambda u: "是" if u.is_active else "否"),
]


@admin_required
def orgunit_list(request):
    from .filters import OrgUnitFilter

    queryset = (
        selectors.org_unit_list(user=request.user)
        .exclude(kind=OrgUnitKind.ENTERPRISE)
        .annotate(user_count=Count("users"))
    )
    return render_list(
        request,
        queryset=queryset,
        columns=UNIT_COLUMNS,
        template="core/orgunit_list.html",
        title="单位管理",
        filterset_class=OrgUnitFilter,
        default_sort="kind",
        export_name="单位",
    )


@admin_required
def orgunit_detail(request, pk):
    unit = selectors.access_org_unit_by_id(request.user, pk)
    return render(
        request,
        "core/orgunit_detail.html",
        {
            "title": unit.name,
            "unit": unit,
            "history": timeline(unit),
            "children": unit.children.order_by("kind", "sort_order", "name"),
            "members": unit.users.order_by("username"),
        },
    )


@admin_required
def orgunit_edit(request, pk=None):
    unit = selectors.access_org_unit_by_id(request.user, pk) if pk else None
    initial = {}
    if unit:
        initial = {
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent,
            "code": unit.code,
            "sort_order": unit.sort_order,
            "is_active": unit.is_active,
        }
    form = OrgUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["sort_order"] = data.get("sort_order") or 0
        try:
            if unit:
                unit = services.org_unit_update(actor=request.user, unit=unit, **data)
            else:
                data.pop("is_active", None)
                unit = services.org_unit_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存单位“{unit.name}”。")
            return redirect("core:orgunit_detail", pk=unit.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": "编辑单位" if unit else "新建单位",
            "form": form,
            "cancel_url": reverse("core:orgunit_list"),
            "breadcrumbs": [
                ("系统管理", reverse("core:orgunit_list")),
                ("单位管理", reverse("core:orgunit_list")),
            ],
        },
    )


# --- users ---------------------------------------------------------------------------------

USER_COLUMNS = [
    Column("username", "用户名", sort="username", link=lambda u: reverse("core:user_detail", args=[u.pk])),
    Column("display_name", "姓名", sort="display_name"),
    Column("role", "角色", sort="role", value=lambda u: u.get_role_display()),
    Column("org_unit", "所属单位", sort="org_unit__name"),
    Column("last_login", "最近登录", sort="last_login"),
    Column("is_active", "启用", value=lambda u: "是" if u.is_active else "否"),
]


@admin_required
def user_list(request):
    from .filters import UserFilter

    return render_list(
        request,
        queryset=selectors.user_list(user=request.user),
        columns=USER_COLUMNS,
        template="core/user_list.html",
        title="用户管理",
        filterset_class=UserFilter,
        default_sort="username",
        export_name="用户",
    )


@admin_required
def user_detail(request, pk):
    target = selectors.access_user_by_id(request.user, pk)
    return render(
        request,
        "core/user_detail.html",
        {
            "title": str(target),
            "target": target,
            "history": timeline(target),
            "password_form": PasswordForm(),
        },
    )


@admin_required
def user_edit(request, pk=None):
    target = selectors.access_user_by_id(request.user, pk) if pk else None
    initial = {}
    if target:
        initial = {
            "username": target.username,
            "display_name": target.display_name,
            "role": target.role,
            "org_unit": target.org_unit,
            "phone": target.phone,
            "is_unit_leader": target.is_unit_leader,
            "is_active": target.is_active,
        }
    form = UserForm(request.POST or None, initial=initial, creating=target is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if target:
                data.pop("username", None)
                target = services.user_update(actor=request.user, user=target, **data)
            else:
                data.pop("is_active", None)
                target = services.user_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存用户“{target}”。")
            return redirect("core:user_detail", pk=target.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": "编辑用户" if target else "新建用户",
            "form": form,
            "cancel_url": reverse("core:user_list"),
            "breadcrumbs": [("系统管理", reverse("core:user_list")), ("用户管理", reverse("core:user_list"))],
        },
    )


@admin_required
@require_POST
def user_password(request, pk):
    target = selectors.access_user_by_id(request.user, pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            messages.error(request, "密码未修改：" + "；".join(error.messages))
        else:
            messages.success(request, "密码已重置，账号锁定已解除。")
    else:
        messages.error(request, "密码未修改：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("core:user_detail", pk=target.pk)


# --- tokens and jobs -----------------------------------------------------------------------


def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "core/token_list.html",
        {
            "title": "API 令牌",
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.all(),
        },
    )


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销令牌“{token.name}”。")
    return redirect("core:token_list")


def job_detail(request, pk):
    job = selectors.access_job_by_id(request.user, pk)
    template = "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job_detail.html"
    return render(request, template, {"title": job.title, "job": job})


def job_download(request, pk):
    job = selectors.access_job_by_id(request.user, pk)
    if not job.result_file:
        raise Http404("该任务没有可下载的文件。")
    # Kept in the default storage by the worker (core.tasks.run_list_export), whichever host ran it.
    if not default_storage.exists(job.result_file):
        raise Http404("文件已过期，请重新导出。")
    response = FileResponse(
        default_storage.open(job.result_file, "rb"),
        as_attachment=True,
        filename=job.params.get("filename", job.result_file.rsplit("/", 1)[-1]),
    )
    response.qx_rows = job.total  # the audit trail records how many rows were taken
    return response


def roles_overview(request):
    """What each role may see; linked from the user menu so people know why a record is hidden."""
    return render(request, "core/roles.html", {"title": "角色与权限", "roles": Role.choices})
