"""API of the industrial chains: chains with their links' figures, links, placements, purchases.

Reads follow the pages' scoping (government users; enterprises, purchases and projects of the
user's jurisdiction); writes are the office's, through the same services as the forms.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from qiangxian.core.access import get_visible_or_404, issued_by
from qiangxian.core.params import Id, Year, YearMonth, model_bounds
from qiangxian.enterprises.models import Enterprise
from qiangxian.projects.models import Project
from qiangxian.statistics import selectors as stats

from . import selectors, services
from .models import ChainLink, LinkPlacement, Purchase

router = Router()


class ChainSummaryOut(Schema):
    id: int
    name: str
    cluster_id: int
    cluster: str
    version: int
    thin_threshold: int
    links: int
    strong: int
    thin: int
    missing: int
    in_progress: int
    # Empty for the reader's own level's chains.
    issued_by: str = Field("", description="上级发布的产业链注明发布层级，如“市级产业链（测试市发布）”")


class LinkFiguresOut(Schema):
    id: int
    segment: str
    segment_label: str
    name: str
    description: str
    industry_codes: list[str]
    product_keywords: list[str]
    investment_per_mu: Decimal | None
    output_per_mu: Decimal | None
    strength: str
    strength_label: str
    enterprises: int
    above_scale: int
    proposed: int
    gross_output: Decimal | None
    growth: Decimal | None
    share: Decimal | None
    leads_this_year: int
    signed_this_year: int
    started_this_year: int
    active_projects: int
    open_targets: int
    local_supply_share: Decimal | None
    updated_at: dt.datetime


class ChainTotalOut(Schema):
    enterprises: int
    above_scale: int
    gross_output: Decimal | None
    growth: Decimal | None


class ChainOut(Schema):
    id: int
    name: str
    cluster: str
    version: int
    scope: str
    month: dt.date | None
    purchase_year: int | None
    total: ChainTotalOut
    links: list[LinkFiguresOut]
    # Empty for the reader's own level's chains.
    issued_by: str = Field("", description="上级发布的产业链注明发布层级，如“市级产业链（测试市发布）”")


@model_bounds(ChainLink)
class LinkIn(Schema):
    segment: str
    name: str
    description: str = ""
    industry_codes: list[str] = []
    product_keywords: list[str] = []
    investment_per_mu: Decimal | None = None
    output_per_mu: Decimal | None = None
    sort_order: int = 0
    expected_updated_at: dt.datetime | None = None


class PlacementOut(Schema):
    id: int
    link_id: int
    enterprise_id: int
    enterprise: str
    status: str
    basis: str


class PlacementIn(Schema):
    enterprise_id: Id


class ProjectPlacementIn(Schema):
    project_id: Id


@model_bounds(Purchase)
class PurchaseIn(Schema):
    leader_id: Id
    link_id: Id
    year: Year
    product: str
    amount: Decimal
    local: bool
    supplier: str = ""
    supplier_place: str = ""


class PurchaseOut(Schema):
    id: int
    leader_id: int
    enterprise: str
    link_id: int
    link: str
    year: int
    product: str
    amount: Decimal
    local: bool
    supplier: str
    supplier_place: str


def _require_edit(user) -> None:
    if not services.can_edit(user):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以维护产业链。")


def _link_out(row) -> dict:
    link, f = row.link, row.figures
    return {
        "id": link.pk,
        "segment": link.segment,
        "segment_label": row.segment_label,
        "name": link.name,
        "description": link.description,
        "industry_codes": link.industry_codes,
        "product_keywords": link.product_keywords,
        "investment_per_mu": link.investment_per_mu,
        "output_per_mu": link.output_per_mu,
        "strength": row.strength,
        "strength_label": row.strength_label,
        "enterprises": f.n,
        "above_scale": f.above_scale,
        "proposed": row.proposed,
        "gross_output": f.output,
        "growth": f.growth,
        "share": f.share,
        "leads_this_year": row.leads,
        "signed_this_year": row.signed,
        "started_this_year": row.started,
        "active_projects": row.active_projects,
        "open_targets": row.open_targets,
        "local_supply_share": row.local_share,
        "updated_at": link.updated_at,
    }


@router.get("/", response=list[ChainSummaryOut], summary="产业链列表（各环节强、薄弱、缺失、推进中个数）")
def chain_list(request):
    result = []
    stats.require_aggregate_scope(request.user)
    for item in selectors.chain_summaries(request.user):
        chain, picture = item["chain"], item["picture"]
        result.append(
            {
                "id": chain.pk,
                "name": chain.name,
                "cluster_id": chain.cluster_id,
                "cluster": chain.cluster.name,
                "version": chain.version,
                "thin_threshold": chain.thin_threshold,
                "links": len(picture.rows),
                **{c["key"]: c["n"] for c in picture.counts},
                "issued_by": issued_by(request.user, chain.cluster.issuer_id, "产业链"),
            }
        )
    return result


@router.get("/{chain_id}/", response=ChainOut, summary="一条产业链：各环节的企业、产值、状态、项目与本地配套")
def chain_detail(request, chain_id: Id, month: YearMonth | None = None):
    chain = selectors.access_chain(request.user, chain_id)
    picture = selectors.chain_picture(
        request.user, chain, month=stats.parse_month(month, stats.latest_month())
    )
    t = picture.total
    return {
        "id": chain.pk,
        "name": chain.name,
        "cluster": chain.cluster.name,
        "version": chain.version,
        "scope": picture.scope_label,
        "month": picture.month,
        "purchase_year": picture.purchase_year,
        "total": {
            "enterprises": t.n,
            "above_scale": t.above_scale,
            "gross_output": t.output,
            "growth": t.growth,
        },
        "links": [_link_out(r) for r in picture.rows],
        "issued_by": issued_by(request.user, chain.cluster.issuer_id, "产业链"),
    }


def _link_response(request, link):
    picture = selectors.chain_picture(request.user, link.chain)
    return _link_out(next(r for r in picture.rows if r.link.pk == link.pk))


@router.post("/{chain_id}/links/", response={201: LinkFiguresOut}, summary="新增环节")
def link_create(request, chain_id: Id, payload: LinkIn):
    _require_edit(request.user)
    chain = selectors.access_chain(request.user, chain_id)
    data = payload.dict(exclude={"expected_updated_at"})
    link = services.link_save(actor=request.user, chain=chain, **data)
    return 201, _link_response(request, link)


@router.put(
    "/links/{link_id}/", response=LinkFiguresOut, summary="修改环节（expected_updated_at 防止覆盖他人修改）"
)
def link_update(request, link_id: Id, payload: LinkIn):
    _require_edit(request.user)
    link = selectors.access_link(request.user, link_id)
    link = services.link_save(actor=request.user, chain=link.chain, link=link, **payload.dict())
    return _link_response(request, link)


def _placement_out(p: LinkPlacement) -> dict:
    return {
        "id": p.pk,
        "link_id": p.link_id,
        "enterprise_id": p.enterprise_id,
        "enterprise": p.enterprise.name,
        "status": p.status,
        "basis": p.basis,
    }


@router.get(
    "/links/{link_id}/placements/", response=list[PlacementOut], summary="环节上的企业（含待确认建议）"
)
def placement_list(request, link_id: Id):
    link = selectors.access_link(request.user, link_id)
    return [_placement_out(p) for p in selectors.placements(request.user, link=link)]


@router.post("/links/{link_id}/placements/", response={201: PlacementOut}, summary="将企业归入环节（确认）")
def placement_create(request, link_id: Id, payload: PlacementIn):
    _require_edit(request.user)
    link = selectors.access_link(request.user, link_id)
    enterprise = get_visible_or_404(Enterprise.objects, request.user, payload.enterprise_id)
    return 201, _placement_out(
        services.placement_confirm(actor=request.user, link=link, enterprise=enterprise)
    )


@router.delete("/placements/{placement_id}/", response={204: None}, summary="将企业移出环节")
def placement_delete(request, placement_id: Id):
    _require_edit(request.user)
    services.placement_remove(
        actor=request.user, placement=selectors.access_placement(request.user, placement_id)
    )
    return 204, None


@router.post("/links/{link_id}/projects/", response={204: None}, summary="将项目或线索归入环节")
def project_place(request, link_id: Id, payload: ProjectPlacementIn):
    _require_edit(request.user)
    link = selectors.access_link(request.user, link_id)
    project = get_visible_or_404(Project.objects, request.user, payload.project_id)
    services.project_place(actor=request.user, project=project, link=link)
    return 204, None


def _purchase_out(p: Purchase) -> dict:
    return {
        "id": p.pk,
        "leader_id": p.leader_id,
        "enterprise": p.leader.enterprise.name,
        "link_id": p.link_id,
        "link": p.link.name,
        "year": p.year,
        "product": p.product,
        "amount": p.amount,
        "local": p.local,
        "supplier": p.supplier,
        "supplier_place": p.supplier_place,
    }


@router.get("/{chain_id}/purchases/", response=list[PurchaseOut], summary="链主企业的主要采购")
def purchase_list(request, chain_id: Id, year: Year | None = None):
    chain = selectors.access_chain(request.user, chain_id)
    return [_purchase_out(p) for p in selectors.purchases(request.user, chain=chain, year=year)]


@router.post("/{chain_id}/purchases/", response={201: PurchaseOut}, summary="登记链主企业的一项采购")
def purchase_create(request, chain_id: Id, payload: PurchaseIn):
    _require_edit(request.user)
    chain = selectors.access_chain(request.user, chain_id)
    leader = get_object_or_404(selectors.leaders(request.user, chain), pk=payload.leader_id)
    link = get_object_or_404(chain.links.all(), pk=payload.link_id)
    data = payload.dict(exclude={"leader_id", "link_id"})
    purchase = services.purchase_save(actor=request.user, leader=leader, link=link, **data)
    return 201, _purchase_out(purchase)
