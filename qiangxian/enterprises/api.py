"""API of the registry: the same selectors and services as the pages."""


import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors, services
from .filters import EnterpriseFilter

router = Router()


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    short_name: str
    town_id: int
    town_name: str = Field(alias="town.name")
    park_id: int | None
    zone_id: int | None
    industry_code: str
    status: str
    above_scale: bool
    established_on: dt.date | None
    land_area_mu: Decimal | None
    updated_at: dt.datetime


class EnterpriseIn(Schema):
    uscc: str
    name: str
    short_name: str = ""
    town_id: int
    park_id: int | None = None
    zone_id: int | None = None
    industry_code: str
    status: str = "operating"
    above_scale: bool = False
    established_on: dt.date | None = None
    legal_representative: str = ""
    registered_address: str = ""
    production_address: str = ""
    land_area_mu: Decimal | None = None


class EnterpriseFilterIn(FilterSchema):
    q: str | None = None
    town: int | None = None
    park: int | None = None
    zone: int | None = None
    division: str | None = None
    above_scale: bool | None = None
    status: str | None = None


@router.get("/", response=list[EnterpriseOut], summary="企业列表（按权限范围）")
@paginate(LimitOffsetPagination)
def enterprise_list(request, filters: Query[EnterpriseFilterIn]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = EnterpriseFilter(params, queryset=selectors.enterprise_list(user=request.user))
    return filterset.qs.order_by("name", "pk") if filterset.is_valid() else filterset.queryset.none()


@router.get("/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request, enterprise_id: int):
    return selectors.access_enterprise_by_id(request.user, enterprise_id)


@router.post("/", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_create(request, payload: EnterpriseIn):
    return 201, services.enterprise_create(actor=request.user, **payload.dict())


@router.put("/{enterprise_id}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request, enterprise_id: int, payload: EnterpriseIn):
    enterprise = selectors.access_enterprise_by_id(request.user, enterprise_id)
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权修改该企业。")
    return services.enterprise_update(actor=request.user, enterprise=enterprise, **payload.dict())
