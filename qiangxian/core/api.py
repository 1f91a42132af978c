"""API of the core: who am I, and the org units I may see."""

from __future__ import annotations

from ninja import Router, Schema

from . import selectors

router = Router()


class OrgUnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str
    parent_id: int | None

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_display: str
    org_unit: OrgUnitOut | None

    @staticmethod
    def resolve_role_display(obj):
        return obj.get_role_display()


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    return request.user


@router.get("/org-units", response=list[OrgUnitOut], summary="可见单位列表")
def org_units(request, kind: str | None = None, q: str = ""):
    return list(selectors.org_unit_list(user=request.user, kind=kind, query=q)[:2000])


@router.get("/org-units/{unit_id}", response=OrgUnitOut, summary="单位详情")
def org_unit(request, unit_id: int):
    return selectors.access_org_unit_by_id(request.user, unit_id)
