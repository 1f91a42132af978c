"""Helpers shared by the registry's pages."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse

from qiangxian.core.forms import apply_validation_error

from .. import services


def registry_breadcrumbs(*extra):
    return [("企业库", reverse("enterprises:list")), *extra]


def manager_required(view):
    """Pages run by the office: clusters, task forces, imports."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not services.can_manage_registry(request.user):
            raise PermissionDenied("只有领导小组办公室和系统管理员可以使用此功能。")
        return view(request, *args, **kwargs)

    return wrapper


def run_service(form, call):
    """Call a service; map its ValidationError or PermissionDenied onto the form. Returns (ok, result)."""
    try:
        return True, call()
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return False, None


def form_page(request, *, form, title, cancel_url, breadcrumbs, template="core/form_page.html", **extra):
    return render(
        request,
        template,
        {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs, **extra},
    )
