"""Helpers shared by the chain pages."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse

from qiangxian.core.forms import apply_validation_error

from .. import services


def crumbs(*extra):
    return [("产业链图谱", reverse("chains:index")), *extra]


def chain_crumbs(chain, *extra):
    return crumbs((chain.name, reverse("chains:detail", args=[chain.pk])), *extra)


def editor_required(view):
    """Pages that change chains: the office and administrators."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not services.can_edit(request.user):
            raise PermissionDenied("只有领导小组办公室和系统管理员可以维护产业链。")
        return view(request, *args, **kwargs)

    return wrapper


def run_service(form, call):
    """Call a service; put its refusal on the form. Returns (ok, result)."""
    try:
        return True, call()
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return False, None


def form_page(request, *, form, title, cancel_url, breadcrumbs, **extra):
    context = {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs, **extra}
    return render(request, "core/form_page.html", context)
