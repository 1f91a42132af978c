"""Helpers shared by the registry's pages."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

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
