"""The HTTP API: one NinjaAPI, one router per app, the same scoping as the pages.

OpenAPI at /api/openapi.json, interactive docs at /api/docs. Authentication: the browser
session (with CSRF for writes) or a personal token in ``Authorization: Bearer qx_...``.

Errors are JSON ``{"detail": "...", "errors": {field: [messages]}}`` in Chinese: 400 for a
request the schema refuses (a parameter of the wrong type or out of range, see
``qiangxian/core/params.py``), 401, 403, 404, 409 for a lost update, 422 for data the services
refuse. Every operation documents them, so the schema matches what is returned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ConfigError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, django_auth

from qiangxian.core.audit import client_ip
from qiangxian.core.choices import TokenScope
from qiangxian.core.concurrency import is_stale
from qiangxian.core.params import YEAR_MONTH_PATTERN
from qiangxian.core.services import api_token_lookup

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = api_token_lookup(token, ip=client_ip(request))
        if found is None:
            return None
        if found.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied("该令牌为只读令牌，不能修改数据。")
        request.user = found.user
        return found.user


class ApiErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


ERROR_STATUSES = {
    400: "请求参数不正确",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "未找到，或无权查看",
    409: "已被他人修改",
    422: "数据校验未通过",
}


class _Schema(OpenAPISchema):
    """The OpenAPI document, refusing two different schemas under one component name.

    django-ninja names components after the class, so two apps' ``IndicatorOut`` would silently
    describe one app's response with the other's fields.
    """

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                raise ConfigError(f"Two different API schemas are both named {name!r}: rename one.")
        super().add_schema_definitions(definitions)


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = _Schema(self, path_prefix)
        _document_errors(schema)
        return schema


def _document_errors(schema: _Schema) -> None:
    """Every operation may answer with the shared error body; say so in its responses."""
    ref = "#/components/schemas/{model}"
    schema.add_schema_definitions({"ApiErrorOut": ApiErrorOut.model_json_schema(ref_template=ref)})
    schema.setdefault("components", {})["schemas"] = schema.schemas
    error = {"content": {"application/json": {"schema": {"$ref": ref.format(model="ApiErrorOut")}}}}
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(status, {"description": description, **error})


api = Api(
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


_REASONS = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_unicode": "应为文字",
    "date_parsing": "应为日期，如 2026-05-31",
    "date_type": "应为日期，如 2026-05-31",
    "date_from_datetime_parsing": "应为日期，如 2026-05-31",
    "date_from_datetime_inexact": "应为日期，如 2026-05-31",
    "datetime_parsing": "应为时间，如 2026-05-31T08:00:00+08:00",
    "datetime_type": "应为时间，如 2026-05-31T08:00:00+08:00",
    "datetime_from_date_parsing": "应为时间，如 2026-05-31T08:00:00+08:00",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
}


def _reason(error: dict) -> str:
    """One pydantic error in Chinese, with the bound it broke."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    bounds = {
        "greater_than_equal": ("应不小于 {ge}", "ge"),
        "greater_than": ("应大于 {gt}", "gt"),
        "less_than_equal": ("应不大于 {le}", "le"),
        "less_than": ("应小于 {lt}", "lt"),
        "string_too_long": ("不能超过 {max_length} 个字", "max_length"),
        "string_too_short": ("至少 {min_length} 个字", "min_length"),
        "too_long": ("不能超过 {max_length} 项", "max_length"),
        "decimal_max_digits": ("不能超过 {max_digits} 位数字", "max_digits"),
        "decimal_max_places": ("小数不能超过 {decimal_places} 位", "decimal_places"),
        "decimal_whole_digits": ("整数部分不能超过 {whole_digits} 位", "whole_digits"),
        "literal_error": ("应为以下之一：{expected}", "expected"),
        "enum": ("应为以下之一：{expected}", "expected"),
    }
    if kind in bounds and bounds[kind][1] in ctx:
        return bounds[kind][0].format(**ctx)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == YEAR_MONTH_PATTERN:
        return "应为年月，如 2026-05"
    return _REASONS.get(kind, "取值不正确")


def _location(error: dict) -> str:
    # ("query", "year") or ("body", "payload", "measures", 0, "content"): drop the source and
    # the payload's own name, keep the field's path.
    loc = [str(part) for part in error.get("loc", ())]
    path = loc[2:] if loc[:1] == ["body"] else loc[1:]
    return ".".join(path) or "请求内容"


@api.exception_handler(RequestInvalid)
def _request_invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_location(error), []).append(_reason(error))
    summary = "；".join(f"{field} {'，'.join(messages)}" for field, messages in errors.items())
    detail = f"请求参数不正确：{summary}。"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # django-ninja's own refusals (a body it cannot parse, a failed CSRF check) in Chinese.
    detail = {400: "请求内容无法解析。", 403: "无权执行此操作（CSRF 校验未通过）。"}.get(
        exc.status_code, "请求无法处理。"
    )
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


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
    from qiangxian.supervision.api import router as supervision_router

    api.add_router("/supervision/", supervision_router, tags=["督办"])
    from qiangxian.chains.api import router as chains_router

    api.add_router("/chains/", chains_router, tags=["产业链"])
    from qiangxian.reports.api import router as reports_router

    api.add_router("/reports/", reports_router, tags=["报告"])
    from qiangxian.policies.api import router as policies_router

    api.add_router("/policies/", policies_router, tags=["惠企政策"])
    from qiangxian.inbox.api import router as inbox_router
    from qiangxian.service.api import router as service_router

    api.add_router("/service/", service_router, tags=["服务企业"])
    api.add_router("/inbox/", inbox_router, tags=["消息"])
    from qiangxian.land.api import router as land_router

    api.add_router("/land/", land_router, tags=["园区与土地"])


_register_routers()
