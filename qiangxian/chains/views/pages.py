"""The chain pages that read: the index, the chain map with its table and export, one link."""

from __future__ import annotations

import itertools

from django.shortcuts import redirect, render
from django.urls import reverse

from qiangxian.core.access import issued_by, may_change_issued
from qiangxian.core.exports import write_xlsx, xlsx_attachment
from qiangxian.core.formatting import percent_number
from qiangxian.core.history import timeline
from qiangxian.statistics import calc, indicators
from qiangxian.statistics import selectors as stats

from .. import selectors, services
from ..choices import STRENGTH_COLOURS, PlacementStatus
from ..forms import LeaderForm, PlaceEnterpriseForm, PlaceProjectForm
from ._common import chain_crumbs, crumbs

TABLE_HEADERS = [
    "环节位置",
    "环节",
    "状态",
    "企业（户）",
    "规上（户）",
    "工业总产值（万元）",
    "增速（%）",
    "占集群比重（%）",
    "称号",
    "本年线索",
    "本年签约",
    "本年开工",
    "招商目标",
    "链主县内采购占比（%）",
    "链主县外采购",
]


def index(request):
    """Every cluster's chain with how many links are strong, thin, missing, in progress."""
    stats.require_aggregate_scope(request.user)
    summaries = selectors.chain_summaries(request.user)
    for summary in summaries:
        summary["issued_by"] = issued_by(request.user, summary["chain"].cluster.issuer_id, "产业链")
    # Only the user's own level's clusters get a chain from here (a city's is set up by the city).
    without = [
        cluster
        for cluster in selectors.clusters_without_chain(request.user)
        if may_change_issued(request.user, cluster.issuer_id)
    ]
    return render(
        request,
        "chains/index.html",
        {
            "title": "产业链图谱",
            "summaries": summaries,
            "clusters_without_chain": without if services.can_set_up(request.user) else [],
            "can_edit": services.can_set_up(request.user),
        },
    )


def by_cluster(request, cluster_pk):
    """A cluster's chain (the dashboard's cluster figures link here); the index if it has none yet."""
    stats.require_aggregate_scope(request.user)
    chain = selectors.chain_list(request.user).filter(cluster_id=cluster_pk).first()
    return redirect("chains:detail", chain.pk) if chain else redirect("chains:index")


def _outside_text(row) -> str:
    return "；".join(
        f"{p.leader.enterprise.name}：{p.product}（{p.supplier_place or '县外'}）" for p in row.outside
    )


def table_rows(picture) -> list[list]:
    """The chain's table as the export writes it (the page shows the same figures)."""
    wan = 10_000
    rows = []
    for r in picture.rows:
        f = r.figures
        rows.append(
            [
                r.segment_label,
                r.link.name,
                r.strength_label,
                f.n,
                f.above_scale,
                None if f.output is None else f.output / wan,
                percent_number(f.growth) if f.growth is not None else None,
                percent_number(f.share) if f.share is not None else None,
                r.titles_text,
                r.leads,
                r.signed,
                r.started,
                r.open_targets,
                percent_number(r.local_share) if r.local_share is not None else None,
                _outside_text(r) or "—",
            ]
        )
    t = picture.total
    rows.append(
        [
            "合计",
            "（每户企业计一次）",
            "",
            t.n,
            t.above_scale,
            None if t.output is None else t.output / wan,
            percent_number(t.growth) if t.growth is not None else None,
            100 if t.output else None,
            "",
            sum(r.leads for r in picture.rows),
            sum(r.signed for r in picture.rows),
            sum(r.started for r in picture.rows),
            sum(r.open_targets for r in picture.rows),
            None,
            "",
        ]
    )
    return rows


def map_option(picture) -> dict:
    """The data of the chain map: one node per link, columns by segment, coloured by strength."""
    columns = {"upstream": 0, "midstream": 1, "downstream": 2}
    seen: dict[str, int] = {}
    nodes, edges = [], []
    by_segment: dict[str, list] = {}
    for r in picture.rows:
        position = seen.get(r.link.segment, 0)
        seen[r.link.segment] = position + 1
        by_segment.setdefault(r.link.segment, []).append(r.link.pk)
        nodes.append(
            {
                "id": str(r.link.pk),
                "name": r.link.name,
                "x": columns[r.link.segment] * 320,
                "y": position * 70,
                "strength": r.strength_label,
                "colour": STRENGTH_COLOURS[r.strength],
                "segment": r.segment_label,
                "enterprises": r.figures.n,
                "projects": r.active_projects,
                "url": reverse("chains:link", args=[r.link.pk]),
            }
        )
    order = ["upstream", "midstream", "downstream"]
    for left, right in itertools.pairwise(order):
        for a in by_segment.get(left, []):
            for b in by_segment.get(right, []):
                edges.append({"source": str(a), "target": str(b)})
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": [{"label": s["label"], "colour": STRENGTH_COLOURS[s["key"]]} for s in picture.counts],
    }


def chain_detail(request, pk):
    """The chain map and the same data as a table (``?export=xlsx`` downloads it)."""
    chain = selectors.access_chain(request.user, pk)
    month = stats.parse_month(request.GET.get("month"), stats.latest_month())
    picture = selectors.chain_picture(request.user, chain, month=month)
    if request.GET.get("export") == "xlsx":
        title = f"{chain.name}（{picture.scope_label}）"
        notes = [
            f"工业总产值为{month:%Y年}1-{month.month}月累计，增速为{stats_basis_label()}。"
            if month
            else "暂无月度数据。",
            "合计按企业计：一户企业同时在多个环节的，合计中只计一次。",
            f"状态：已确认企业少于 {chain.thin_threshold} 户为薄弱，没有企业为缺失；"
            "缺口环节已有线索或项目的为推进中。",
        ]
        issuer = issued_by(request.user, chain.cluster.issuer_id, "产业链")
        if issuer:
            notes.insert(0, f"本产业链为{issuer}。")
        return xlsx_attachment(
            f"{chain.name}.xlsx",
            lambda stream: write_xlsx(
                stream, sheets=[(title[:31], TABLE_HEADERS, table_rows(picture))], notes=notes
            ),
        )
    return render(
        request,
        "chains/detail.html",
        {
            "title": chain.name,
            "breadcrumbs": crumbs(),
            "chain": chain,
            "picture": picture,
            "map": map_option(picture),
            "months": stats.available_months()[:24],
            "issued_by": issued_by(request.user, chain.cluster.issuer_id, "产业链"),
            "can_edit": services.can_shape(request.user, chain),
            # Placing the county's enterprises is the county office's, on any chain it reads.
            "can_place": services.can_edit(request.user),
            "colours": {k.value if hasattr(k, "value") else k: v for k, v in STRENGTH_COLOURS.items()},
            "history": timeline(chain, limit=8),
            "basis_label": stats_basis_label(),
        },
    )


def stats_basis_label() -> str:
    return calc.BASIS_LABELS.get(indicators.current_basis(), "")


def link_detail(request, link_pk):
    """One link: its enterprises (confirmed and proposed), projects, leading firms' purchases, targets."""
    link = selectors.access_link(request.user, link_pk)
    chain = link.chain
    picture = selectors.chain_picture(request.user, chain)
    row = next(r for r in picture.rows if r.link.pk == link.pk)
    placements = list(selectors.placements(request.user, link=link).order_by("status", "enterprise__name"))
    can_edit = services.can_edit(request.user)
    context = {
        "title": f"{chain.name} · {link.name}",
        "breadcrumbs": chain_crumbs(chain),
        "link": link,
        "chain": chain,
        "row": row,
        "picture": picture,
        "colour": STRENGTH_COLOURS[row.strength],
        "confirmed": [p for p in placements if p.status == PlacementStatus.CONFIRMED],
        "proposed": [p for p in placements if p.status == PlacementStatus.PROPOSED],
        "projects": selectors.project_placements(request.user, link=link).order_by("project__name"),
        "purchases": selectors.purchases(request.user, link=link).order_by("-year", "-amount"),
        "targets": selectors.targets(link=link),
        "issued_by": issued_by(request.user, chain.cluster.issuer_id, "产业链"),
        # Enterprises and projects of the user's county go on any chain it reads; the link itself
        # and its investment targets are changed only by the level that set the chain up.
        "can_shape": services.can_shape(request.user, chain),
        "can_edit": can_edit,
        "history": timeline(link, limit=30),
    }
    if can_edit:
        context["enterprise_form"] = PlaceEnterpriseForm(
            enterprises=selectors.candidate_enterprises(request.user, link)
        )
        context["project_form"] = PlaceProjectForm(projects=selectors.candidate_projects(request.user, link))
    return render(request, "chains/link.html", context)


def leaders_page(request, pk):
    """A chain's leading firms (链主) with their main purchases by link; the survey form and import."""
    from ..forms import PurchaseForm

    chain = selectors.access_chain(request.user, pk)
    can_edit = services.can_edit(request.user)
    leaders = list(selectors.leaders(request.user, chain))
    purchases = list(
        selectors.purchases(request.user, chain=chain).order_by(
            "leader__enterprise__name", "-year", "link__sort_order"
        )
    )
    context = {
        "title": f"{chain.name} · 链主企业与本地配套",
        "breadcrumbs": chain_crumbs(chain),
        "chain": chain,
        "leaders": leaders,
        "purchases": purchases,
        "can_edit": can_edit,
    }
    if can_edit:
        context["leader_form"] = LeaderForm(
            enterprises=selectors.visible_enterprises(request.user).order_by("name")
        )
        context["purchase_form"] = PurchaseForm(
            leaders=selectors.leaders(request.user, chain), links=chain.links.all()
        )
    return render(request, "chains/leaders.html", context)
