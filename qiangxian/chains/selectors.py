"""Reads of the industrial chains, scoped to the user.

The chain itself (its links) is the county's common reference; what sits on it is read through
the access gate: the enterprises and purchases of the user's jurisdiction, the projects the user
may see, and the figures of the user's aggregate scope from the indicator engine
(``statistics.indicators.enterprise_values``: the same per-enterprise values the rollups sum).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from qiangxian.core.access import get_visible_or_404
from qiangxian.enterprises.choices import DesignationKind
from qiangxian.enterprises.models import Cluster, Designation, Enterprise
from qiangxian.projects.choices import LEAD_STAGES, STARTED_STAGES, Stage
from qiangxian.projects.models import Project
from qiangxian.statistics import calc, indicators
from qiangxian.statistics import selectors as stats

from .choices import SEGMENT_ORDER, PlacementStatus, Segment, Strength
from .models import Chain, ChainLeader, ChainLink, LinkPlacement, ProjectPlacement, Purchase, Target

OUTPUT = "gross_output"
TITLE_KINDS = [k for k in DesignationKind if k != DesignationKind.ABOVE_SCALE]


def chain_list(user):
    """The chains the user may read, with their clusters (a chain is its county's reference data)."""
    return Chain.objects.visible_to(user).select_related("cluster").prefetch_related("links")


def clusters_without_chain(user):
    return Cluster.objects.visible_to(user).filter(chain__isnull=True)


def access_cluster(user, pk) -> Cluster:
    """A cluster the user may set up a chain for (inside the user's county boundary)."""
    try:
        return get_visible_or_404(Cluster.objects, user, int(pk))
    except (ValueError, OverflowError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def access_chain(user, pk) -> Chain:
    """A chain for a government user (enterprises and unplaced users are refused, as for the figures)."""
    stats.require_aggregate_scope(user)
    try:
        return Chain.objects.visible_to(user).select_related("cluster").get(pk=int(pk))
    except (Chain.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def access_link(user, pk) -> ChainLink:
    stats.require_aggregate_scope(user)
    try:
        return ChainLink.objects.visible_to(user).select_related("chain__cluster").get(pk=int(pk))
    except (ChainLink.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def access_placement(user, pk) -> LinkPlacement:
    return get_visible_or_404(LinkPlacement.objects.select_related("link__chain", "enterprise"), user, pk)


def access_leader(user, pk) -> ChainLeader:
    return get_visible_or_404(ChainLeader.objects.select_related("chain", "enterprise"), user, pk)


def access_purchase(user, pk) -> Purchase:
    return get_visible_or_404(Purchase.objects.select_related("leader__chain", "link"), user, pk)


def access_target(user, pk) -> Target:
    stats.require_aggregate_scope(user)
    try:
        return (
            Target.objects.visible_to(user)
            .select_related("link__chain", "project", "follow_up_unit")
            .get(pk=int(pk))
        )
    except (Target.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def visible_enterprises(user):
    return Enterprise.objects.visible_to(user)


def visible_projects(user):
    return Project.objects.visible_to(user)


def placements(user, *, chain: Chain | None = None, link: ChainLink | None = None):
    qs = LinkPlacement.objects.visible_to(user).select_related("enterprise", "link")
    if chain is not None:
        qs = qs.filter(link__chain=chain)
    if link is not None:
        qs = qs.filter(link=link)
    return qs


def leaders(user, chain: Chain):
    return ChainLeader.objects.visible_to(user).filter(chain=chain).select_related("enterprise")


def purchases(user, *, chain: Chain | None = None, link: ChainLink | None = None, year: int | None = None):
    qs = Purchase.objects.visible_to(user).select_related("leader__enterprise", "link")
    if chain is not None:
        qs = qs.filter(link__chain=chain)
    if link is not None:
        qs = qs.filter(link=link)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def project_placements(user, *, chain: Chain | None = None, link: ChainLink | None = None):
    visible = Project.objects.visible_to(user).values("pk")
    qs = ProjectPlacement.objects.filter(project__in=visible).select_related("project", "link")
    if chain is not None:
        qs = qs.filter(link__chain=chain)
    if link is not None:
        qs = qs.filter(link=link)
    return qs


def targets(*, chain: Chain | None = None, link: ChainLink | None = None):
    qs = Target.objects.select_related("link", "project", "follow_up_unit")
    if chain is not None:
        qs = qs.filter(link__chain=chain)
    if link is not None:
        qs = qs.filter(link=link)
    return qs


@dataclass
class Figures:
    """Output of a set of enterprises, summed from the indicator engine's per-enterprise values."""

    n: int = 0
    above_scale: int = 0
    output: Decimal | None = None
    growth: Decimal | None = None
    share: Decimal | None = None


@dataclass
class LinkRow:
    link: ChainLink
    strength: str = Strength.MISSING
    enterprise_ids: list[int] = field(default_factory=list)
    proposed: int = 0
    figures: Figures = field(default_factory=Figures)
    titles: dict[str, int] = field(default_factory=dict)
    leads: int = 0
    signed: int = 0
    started: int = 0
    active_projects: int = 0
    open_targets: int = 0
    purchase_total: Decimal = Decimal(0)
    purchase_local: Decimal = Decimal(0)
    outside: list[Purchase] = field(default_factory=list)

    @property
    def segment_label(self) -> str:
        return Segment(self.link.segment).label

    @property
    def strength_label(self) -> str:
        return Strength(self.strength).label

    @property
    def is_gap(self) -> bool:
        return self.figures.n == 0 or self.strength in (Strength.MISSING, Strength.THIN, Strength.IN_PROGRESS)

    @property
    def local_share(self) -> Decimal | None:
        """Share of the leading firms' purchases on this link bought inside the county."""
        return calc.share(self.purchase_local, self.purchase_total)

    @property
    def titles_text(self) -> str:
        return "、".join(f"{DesignationKind(k).label}{n}户" for k, n in self.titles.items()) or "—"


@dataclass
class ChainPicture:
    chain: Chain
    scope: tuple
    scope_label: str
    month: dt.date | None
    year: int
    purchase_year: int | None
    rows: list[LinkRow]
    total: Figures

    def count(self, strength: str) -> int:
        return sum(1 for r in self.rows if r.strength == strength)

    @property
    def counts(self) -> list[dict]:
        return [{"key": s.value, "label": s.label, "n": self.count(s)} for s in Strength]


def strength_of(n: int, threshold: int, active_projects: int) -> str:
    """强 / 薄弱 / 缺失, and 推进中 for a gap a lead or project is already working on."""
    if n >= threshold:
        return Strength.STRONG
    if active_projects:
        return Strength.IN_PROGRESS
    return Strength.MISSING if n == 0 else Strength.THIN


def _figures(ids, values: dict[int, indicators.IndicatorValue], above: set[int], basis: str) -> Figures:
    """One set of enterprises' output and growth: each enterprise once, whatever links it is on."""
    ids = set(ids)
    reported = [values[i] for i in ids if i in values]
    result = Figures(n=len(ids), above_scale=len(ids & above))
    if reported:
        total = indicators.IndicatorValue(
            OUTPUT,
            sum((v.value for v in reported), Decimal(0)),
            sum((v.base for v in reported), Decimal(0)),
            n=len(reported),
            comparable_value=sum((v.comparable_value for v in reported), Decimal(0)),
            n_comparable=sum(v.n_comparable or 0 for v in reported),
            basis=basis,
        )
        result.output, result.growth = total.value, total.growth
    return result


def _output_values(scope, month: dt.date | None, ids) -> dict[int, indicators.IndicatorValue]:
    if month is None or not ids:
        return {}
    items = indicators.enterprise_values(OUTPUT, month=month, above_only=False, scope=scope)
    wanted = set(ids)
    return {v.extra["enterprise_id"]: v for v in items if v.extra["enterprise_id"] in wanted}


def _this_year(project: Project, year: int) -> tuple[bool, bool, bool]:
    lead_day = project.lead_received_on or project.created_at.date()
    is_lead = project.stage in LEAD_STAGES and lead_day.year == year
    signed = bool(project.signed_on and project.signed_on.year == year)
    started = bool(project.started_on and project.started_on.year == year and project.stage in STARTED_STAGES)
    return is_lead, signed, started


def chain_picture(
    user, chain: Chain, *, month: dt.date | None = None, year: int | None = None
) -> ChainPicture:
    """Every link of the chain with its enterprises, figures, strength, projects and purchases.

    Figures are the gross output (1-N月) of the month, for the user's aggregate scope. The
    cluster total counts each enterprise once, even when it sits on two links.
    """
    scope = stats.require_aggregate_scope(user)
    month = month or stats.latest_month()
    year = year or (month.year if month else dt.date.today().year)
    links = list(chain.links.all())
    rows = {link.pk: LinkRow(link=link) for link in links}
    for link_id, enterprise_id, status in placements(user, chain=chain).values_list(
        "link_id", "enterprise_id", "status"
    ):
        if status == PlacementStatus.CONFIRMED:
            rows[link_id].enterprise_ids.append(enterprise_id)
        else:
            rows[link_id].proposed += 1
    all_ids = {i for r in rows.values() for i in r.enterprise_ids}
    above = set(Enterprise.objects.filter(pk__in=all_ids, above_scale=True).values_list("pk", flat=True))
    values = _output_values(scope, month, all_ids)
    basis = indicators.current_basis()
    total = _figures(all_ids, values, above, basis)
    titles: dict[int, set] = defaultdict(set)  # an enterprise's title counts once, however many batches
    for enterprise_id, kind in (
        Designation.objects.current()
        .filter(enterprise_id__in=all_ids, kind__in=TITLE_KINDS)
        .values_list("enterprise_id", "kind")
    ):
        titles[enterprise_id].add(kind)
    for pp in project_placements(user, chain=chain):
        row, project = rows[pp.link_id], pp.project
        if project.stage == Stage.TERMINATED:
            continue
        row.active_projects += 1
        is_lead, signed, started = _this_year(project, year)
        row.leads += is_lead
        row.signed += signed
        row.started += started
    for link_id in targets(chain=chain).filter(status="open").values_list("link_id", flat=True):
        rows[link_id].open_targets += 1
    purchase_years = purchases(user, chain=chain).filter(year__lte=year).values_list("year", flat=True)
    purchase_year = max(purchase_years, default=None)
    for p in purchases(user, chain=chain, year=purchase_year) if purchase_year else []:
        row = rows[p.link_id]
        row.purchase_total += p.amount
        if p.local:
            row.purchase_local += p.amount
        else:
            row.outside.append(p)
    for row in rows.values():
        row.figures = _figures(row.enterprise_ids, values, above, basis)
        row.figures.share = calc.share(row.figures.output, total.output)
        counter: Counter = Counter()
        for enterprise_id in row.enterprise_ids:
            counter.update(titles.get(enterprise_id, set()))
        row.titles = {k: counter[k] for k in TITLE_KINDS if counter[k]}
        row.strength = strength_of(len(row.enterprise_ids), chain.thin_threshold, row.active_projects)
    ordered = sorted(
        rows.values(), key=lambda r: (SEGMENT_ORDER.index(r.link.segment), r.link.sort_order, r.link.pk)
    )
    return ChainPicture(
        chain=chain,
        scope=scope,
        scope_label=stats.scope_label(scope),
        month=month,
        year=year,
        purchase_year=purchase_year,
        rows=ordered,
        total=total,
    )


def chain_summaries(user) -> list[dict]:
    """Per chain: links and how many are strong, thin, missing or in progress (the index page)."""
    return [{"chain": chain, "picture": chain_picture(user, chain)} for chain in chain_list(user)]


def candidate_enterprises(user, link: ChainLink, query: str = ""):
    """Enterprises the office may place on a link: visible, not yet confirmed there; matched by name."""
    qs = visible_enterprises(user).exclude(
        pk__in=LinkPlacement.objects.filter(link=link, status=PlacementStatus.CONFIRMED).values(
            "enterprise_id"
        )
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
    return qs.order_by("name")


def candidate_projects(user, link: ChainLink):
    """Projects and leads not yet on this link, the ones in the link's industry classes first."""
    qs = visible_projects(user).exclude(stage=Stage.TERMINATED).exclude(chain_placement__link=link)
    return qs.order_by("name")
