"""The HTTP API: one NinjaAPI, one router per app, the same scoping as the pages.

OpenAPI at /api/openapi.json, interactive docs at /api/docs. Authentication: the browser
session (with CSRF for writes) or a personal token in ``Authorization: Bearer qx_...``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from qiangxian.core.concurrency import is_stale
from qiangxian.core.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="强县 工业强县平台 API",
    version="1.0",
    description="所有接口按登录用户的权限范围返回数据；他人数据一律返回“未找到”。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录，或您无权查看。"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作。"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    # A refused lost update is a conflict, not invalid data.
    if is_stale(exc):
        return api.create_response(request, {"detail": "；".join(exc.messages)}, status=409)
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "数据校验未通过。", "errors": detail}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录或提供有效的 API 令牌。"}, status=401)


def _register_routers() -> None:
    from qiangxian.core.api import router as core_router
    from qiangxian.enterprises.api import router as enterprises_router

    api.add_router("/core/", core_router, tags=["系统"])
    from qiangxian.dashboard.api import router as dashboard_router
    from qiangxian.projects.api import router as projects_router
    from qiangxian.statistics.api import router as statistics_router

    api.add_router("/enterprises/", enterprises_router, tags=["企业库"])
    api.add_router("/statistics/", statistics_router, tags=["运行监测"])
    api.add_router("/dashboard/", dashboard_router, tags=["驾驶舱"])
    api.add_router("/projects/", projects_router, tags=["项目"])
    from qiangxian.tiers.api import router as tiers_router

    api.add_router("/tiers/", tiers_router, tags=["梯度培育"])
    from qiangxian.rules.api import router as rules_router

    api.add_router("/rules/", rules_router, tags=["规则"])


_register_routers()
