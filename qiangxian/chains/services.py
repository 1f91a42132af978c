"""Writes of the industrial chains: keyword-only, one transaction each, Chinese refusals, history kept.

Only the leading-group office and administrators change chains (``user.can_manage``). A change to
a chain or one of its links raises the chain's ``version``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.access import may_change_issued, may_issue, require_own_level
from qiangxian.core.concurrency import STALE, same_version
from qiangxian.enterprises.services import clean_industry_codes

from .choices import PlacementBasis, PlacementStatus, Segment, TargetStatus
from .models import (
    LIST_SEPARATOR,
    Chain,
    ChainLeader,
    ChainLink,
    LinkPlacement,
    ProjectPlacement,
    Purchase,
    Target,
)

STALE_MESSAGE = "该记录已被他人修改，请刷新后重试。"


def can_edit(user) -> bool:
    """Whether the user may place the county's enterprises and projects on chains and keep its
    leading firms and their purchases (a county's records: its office's)."""
    return bool(getattr(user, "can_manage", False))


def can_set_up(user) -> bool:
    """Whether the user sets up chains, links and investment targets for their level's clusters:
    the office of a county, a city or a province (``core.access.may_issue``)."""
    return may_issue(user)


def _require(actor) -> None:
    if not can_edit(actor):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以维护产业链。")


def _require_shaper(actor, cluster) -> None:
    """A chain's links and targets belong to the level that set up its cluster: a city's chain is
    read (and its counties' enterprises placed on it) in its counties, never reshaped there."""
    if not can_set_up(actor):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以维护产业链。")
    require_own_level(actor, cluster.issuer_id, "产业链")


def can_shape(user, chain) -> bool:
    """Whether the user may change the chain itself, its links and its investment targets."""
    return may_change_issued(user, chain.cluster.issuer_id)


def _check_version(record, expected_updated_at) -> None:
    if not same_version(record.updated_at, expected_updated_at):
        raise ValidationError(STALE_MESSAGE, code=STALE)


def _bump(chain: Chain, actor) -> None:
    # Locked, so two edits of one chain's links at once still give two versions.
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    chain.version += 1
    chain._history_user = actor
    chain.save()


def split_list(value) -> list[str]:
    """Keywords from a list or a text separated by ；, ；, commas or new lines; blanks and repeats dropped."""
    if isinstance(value, str):
        for sep in ("，", ",", "、", ";", "\n"):
            value = value.replace(sep, LIST_SEPARATOR)
        value = value.split(LIST_SEPARATOR)
    result: list[str] = []
    for item in value or []:
        item = str(item).strip()
        if item and item not in result:
            result.append(item)
    return result


@transaction.atomic
def chain_save(
    *,
    actor,
    cluster,
    name: str,
    description: str = "",
    thin_threshold: int = 2,
    expected_updated_at: dt.datetime | None = None,
) -> Chain:
    """Create the cluster's chain or change its name, description and thin threshold."""
    _require_shaper(actor, cluster)
    chain = Chain.objects.select_for_update().filter(cluster=cluster).first()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写产业链名称。"})
    if thin_threshold is None or thin_threshold < 1:
        raise ValidationError({"thin_threshold": "薄弱阈值应为不小于 1 的整数（户）。"})
    if chain is None:
        chain = Chain(
            cluster=cluster, name=name, description=description.strip(), thin_threshold=thin_threshold
        )
        chain._history_user = actor
        chain.save()
        return chain
    _check_version(chain, expected_updated_at)
    chain.name, chain.description, chain.thin_threshold = name, description.strip(), thin_threshold
    chain.version = chain.version + 1
    chain._history_user = actor
    chain.save()
    return chain


@transaction.atomic
def link_save(
    *,
    actor,
    chain: Chain,
    link: ChainLink | None = None,
    segment: str,
    name: str,
    description: str = "",
    industry_codes=(),
    product_keywords=(),
    investment_per_mu: Decimal | None = None,
    output_per_mu: Decimal | None = None,
    sort_order: int = 0,
    expected_updated_at: dt.datetime | None = None,
) -> ChainLink:
    """Create or change a link of ``chain``; the chain's version goes up."""
    _require_shaper(actor, chain.cluster)
    if link is not None:
        link = ChainLink.objects.select_for_update().get(pk=link.pk)
        if link.chain_id != chain.pk:
            raise ValidationError("该环节不属于此产业链。")
        _check_version(link, expected_updated_at)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写环节名称。"
    elif ChainLink.objects.filter(chain=chain, name=name).exclude(pk=getattr(link, "pk", None)).exists():
        errors["name"] = f"本产业链已有名为“{name}”的环节。"
    if segment not in Segment.values:
        errors["segment"] = "请选择上游、中游或下游。"
    for field, amount in (("investment_per_mu", investment_per_mu), ("output_per_mu", output_per_mu)):
        if amount is not None and amount < 0:
            errors[field] = "不能为负数。"
    try:
        codes = clean_industry_codes(industry_codes or [])
    except ValidationError as invalid:
        errors["industry_codes"] = "；".join(invalid.message_dict["industry_codes"])
        codes = []
    if errors:
        raise ValidationError(errors)
    link = link or ChainLink(chain=chain)
    link.segment, link.name, link.description = segment, name, (description or "").strip()
    link.industry_codes, link.product_keywords = codes, split_list(product_keywords)
    link.investment_per_mu, link.output_per_mu, link.sort_order = (
        investment_per_mu,
        output_per_mu,
        sort_order or 0,
    )
    link._history_user = actor
    link.save()
    _bump(chain, actor)
    return link


@transaction.atomic
def link_delete(*, actor, link: ChainLink) -> None:
    """Remove a link with its placements, purchases and targets (all kept in history)."""
    _require_shaper(actor, link.chain.cluster)
    chain = link.chain
    link._history_user = actor
    link.delete()
    _bump(chain, actor)


def proposed_links(enterprise, links) -> list[tuple[ChainLink, str]]:
    """The links an enterprise fits: by its industry class, else by a product keyword in its name or tags."""
    found = []
    text = f"{enterprise.name}{enterprise.tags}"
    for link in links:
        if enterprise.industry_code in link.industry_codes:
            found.append((link, PlacementBasis.INDUSTRY))
        elif any(k and k in text for k in link.product_keywords):
            found.append((link, PlacementBasis.PRODUCT))
    return found


@transaction.atomic
def placements_propose(*, actor, chain: Chain, enterprises) -> int:
    """Propose placements for ``enterprises`` on the links they fit; returns how many were proposed.

    Proposals wait for the office's confirmation; existing placements are left as they are.
    """
    _require(actor)
    links = list(chain.links.all())
    existing = set(LinkPlacement.objects.filter(link__chain=chain).values_list("link_id", "enterprise_id"))
    created = 0
    for enterprise in enterprises:
        for link, basis in proposed_links(enterprise, links):
            if (link.pk, enterprise.pk) in existing:
                continue
            placement = LinkPlacement(link=link, enterprise=enterprise, basis=basis)
            placement._history_user = actor
            placement.save()
            created += 1
    return created


@transaction.atomic
def placement_confirm(
    *, actor, link: ChainLink, enterprise, basis: str = PlacementBasis.MANUAL
) -> LinkPlacement:
    """Place an enterprise on a link as confirmed (a proposal is confirmed, keeping its basis)."""
    _require(actor)
    placement = LinkPlacement.objects.select_for_update().filter(link=link, enterprise=enterprise).first()
    if placement is None:
        placement = LinkPlacement(link=link, enterprise=enterprise, basis=basis)
    elif placement.status == PlacementStatus.CONFIRMED:
        raise ValidationError({"enterprise": f"“{enterprise.name}”已在该环节。"})
    placement.status = PlacementStatus.CONFIRMED
    placement.confirmed_by = actor
    placement.confirmed_on = dt.date.today()
    placement._history_user = actor
    placement.save()
    return placement


@transaction.atomic
def placement_remove(*, actor, placement: LinkPlacement) -> None:
    """Take an enterprise off a link (or reject a proposal)."""
    _require(actor)
    placement._history_user = actor
    placement.delete()


@transaction.atomic
def leader_save(*, actor, chain: Chain, enterprise, note: str = "") -> ChainLeader:
    """Mark an enterprise as a leading firm (链主) of the chain, or change its note."""
    _require(actor)
    leader = ChainLeader.objects.filter(chain=chain, enterprise=enterprise).first() or ChainLeader(
        chain=chain, enterprise=enterprise
    )
    leader.note = (note or "").strip()
    leader._history_user = actor
    leader.save()
    return leader


@transaction.atomic
def leader_remove(*, actor, leader: ChainLeader) -> None:
    """No longer count an enterprise as a leading firm (its purchases go with it, kept in history)."""
    _require(actor)
    leader._history_user = actor
    leader.delete()


@transaction.atomic
def purchase_save(
    *,
    actor,
    leader: ChainLeader,
    link: ChainLink,
    year: int,
    product: str,
    amount: Decimal,
    local: bool,
    supplier: str = "",
    supplier_place: str = "",
    purchase: Purchase | None = None,
    expected_updated_at: dt.datetime | None = None,
) -> Purchase:
    """Record one of a leading firm's main purchases (the survey form and the import both call this)."""
    _require(actor)
    errors: dict[str, str] = {}
    product = (product or "").strip()
    if not product:
        errors["product"] = "请填写采购产品。"
    if link.chain_id != leader.chain_id:
        errors["link"] = "该环节不属于链主企业所在的产业链。"
    if amount is None or amount < 0:
        errors["amount"] = "年采购额应为不小于 0 的金额。"
    if not year or year < 2000 or year > dt.date.today().year + 1:
        errors["year"] = "年度不正确。"
    if purchase is not None:
        purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
        _check_version(purchase, expected_updated_at)
    if not errors:
        clash = Purchase.objects.filter(leader=leader, link=link, year=year, product=product)
        if clash.exclude(pk=getattr(purchase, "pk", None)).exists():
            errors["product"] = f"{year}年已登记该环节的“{product}”采购。"
    if errors:
        raise ValidationError(errors)
    purchase = purchase or Purchase(leader=leader)
    purchase.link, purchase.year, purchase.product, purchase.amount = link, year, product, amount
    purchase.local, purchase.supplier = bool(local), (supplier or "").strip()
    purchase.supplier_place = (supplier_place or "").strip()
    purchase._history_user = actor
    purchase.save()
    return purchase


@transaction.atomic
def purchase_delete(*, actor, purchase: Purchase) -> None:
    _require(actor)
    purchase._history_user = actor
    purchase.delete()


@transaction.atomic
def project_place(*, actor, project, link: ChainLink | None) -> ProjectPlacement | None:
    """Place a project or lead on a link (``None`` takes it off its link)."""
    _require(actor)
    placement = ProjectPlacement.objects.select_for_update().filter(project=project).first()
    if link is None:
        if placement is not None:
            placement._history_user = actor
            placement.delete()
        return None
    placement = placement or ProjectPlacement(project=project)
    placement.link = link
    placement._history_user = actor
    placement.save()
    return placement


@transaction.atomic
def target_save(
    *,
    actor,
    link: ChainLink,
    target: Target | None = None,
    company_kind: str,
    regions: str = "",
    candidates: str = "",
    follow_up_unit=None,
    follow_up_person: str = "",
    status: str = TargetStatus.OPEN,
    project=None,
) -> Target:
    """Turn a gap into an investment-promotion target, or update one; its project goes on the link."""
    _require_shaper(actor, link.chain.cluster)
    company_kind = (company_kind or "").strip()
    if not company_kind:
        raise ValidationError({"company_kind": "请填写拟引进的企业类型。"})
    if status not in TargetStatus.values:
        raise ValidationError({"status": "状态不正确。"})
    if status == TargetStatus.LANDED and project is None:
        raise ValidationError({"project": "已落地的目标请选择对应项目。"})
    target = target or Target(link=link)
    target.company_kind, target.regions = company_kind, (regions or "").strip()
    target.candidates = LIST_SEPARATOR.join(split_list(candidates))
    target.follow_up_unit, target.follow_up_person = follow_up_unit, (follow_up_person or "").strip()
    target.status, target.project = status, project
    target._history_user = actor
    target.save()
    if project is not None:
        project_place(actor=actor, project=project, link=link)
    return target
