"""Helpers shared by the chain pages."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

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


def shaper_required(view):
    """Pages that set up chains, links and investment targets: the office of any level (each
    changes only its own level's chains: ``core.access.require_own_level`` in the view)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not services.can_set_up(request.user):
            raise PermissionDenied("只有领导小组办公室和系统管理员可以维护产业链。")
        return view(request, *args, **kwargs)

    return wrapper
