"""Demo step: the chains of the three leading clusters (鞋服纺织, 食品医药, 新能源), 10-13 links each,
enterprises placed on them (most confirmed, some waiting), leading firms with their purchases
inside and outside the county, projects placed on links and targets for the gaps.

Some links are left without enterprises on purpose (the county's real gaps: 高端面料, 原料药,
正极材料...), so the map shows missing, thin, strong and in-progress links.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qiangxian.chains import services
from qiangxian.chains.models import ChainLink, LinkPlacement
from qiangxian.enterprises.models import Cluster, Enterprise
from qiangxian.projects.models import Project

from .context import DemoContext

LABEL = "产业链图谱"
WAN = Decimal(10_000)

# cluster: [(segment, link, classes, keywords, investment 万元/亩, output 万元/亩)]
CHAINS = {
    "鞋服纺织": [
        ("upstream", "纺纱", ["1711"], ["纺纱"], 300, 500),
        ("upstream", "织造", ["1713"], ["纺织", "织造"], 320, 550),
        ("upstream", "高端功能面料", [], ["功能面料"], 450, 900),
        ("upstream", "印染与后整理", [], ["印染"], 350, 600),
        ("midstream", "鞋材与鞋底", ["1959"], ["鞋材"], 280, 520),
        ("midstream", "针织与服装", ["1819", "1829", "1830"], ["服饰", "制衣", "针织"], 260, 480),
        ("midstream", "皮鞋与运动鞋", ["1951", "1952", "1953"], ["鞋业"], 300, 650),
        ("midstream", "鞋服辅料（拉链纽扣）", [], ["拉链", "纽扣"], 250, 450),
        ("downstream", "品牌设计与研发", [], ["设计"], 200, 800),
        ("downstream", "电商与直播销售", [], ["电商"], 100, 1200),
        ("downstream", "仓储物流", [], ["物流"], 150, 300),
    ],
    "食品医药": [
        ("upstream", "粮油与农产品初加工", ["1311", "1391"], ["粮油"], 220, 400),
        ("upstream", "原料药", ["2710"], ["原料药"], 600, 1000),
        ("upstream", "药用辅料与包装", [], ["包材", "药用辅料"], 350, 600),
        ("midstream", "休闲食品", ["1441"], ["食品"], 260, 520),
        ("midstream", "乳制品", ["1431"], ["乳业"], 400, 700),
        ("midstream", "化学药制剂", ["2720"], ["制药", "药业"], 550, 1100),
        ("midstream", "中成药", ["2740"], ["中药"], 450, 800),
        ("midstream", "生物药品", ["2730"], ["生物科技"], 700, 1500),
        ("downstream", "冷链物流", [], ["冷链"], 200, 350),
        ("downstream", "医药流通", [], ["医药流通"], 150, 900),
        ("downstream", "检验检测", [], ["检测"], 180, 300),
    ],
    "新能源": [
        ("upstream", "锂矿与锂盐", [], ["锂盐"], 800, 1300),
        ("upstream", "正极材料", [], ["正极"], 700, 1400),
        ("upstream", "负极与隔膜", [], ["负极", "隔膜"], 650, 1200),
        ("upstream", "电解液", [], ["电解液"], 500, 1100),
        ("upstream", "光伏硅片", ["3825"], ["光伏"], 900, 1600),
        ("midstream", "锂离子电池", ["3841"], ["锂电", "电池"], 750, 1500),
        ("midstream", "电池组件与PACK", ["3849"], ["储能科技"], 500, 1000),
        ("midstream", "光伏组件", [], ["组件"], 600, 1200),
        ("downstream", "储能系统集成", ["4416"], ["储能"], 400, 900),
        ("downstream", "光伏电站运营", ["4415"], ["新能源"], 300, 400),
        ("downstream", "电池回收利用", [], ["回收"], 350, 600),
    ],
}
# Purchases leading firms make from links the county lacks (the 补链 case), per cluster.
OUTSIDE = {
    "鞋服纺织": [
        ("高端功能面料", "防水透气面料", "浙江绍兴"),
        ("鞋服辅料（拉链纽扣）", "金属拉链", "福建晋江"),
    ],
    "食品医药": [("原料药", "阿莫西林原料药", "山东淄博"), ("药用辅料与包装", "药用铝箔", "江苏泰州")],
    "新能源": [("正极材料", "磷酸铁锂正极材料", "湖南长沙"), ("电解液", "六氟磷酸锂电解液", "江苏张家港")],
}


def _shaper(ctx: DemoContext, cluster):
    """Who sets up a cluster's chain: the city office for a city's cluster (the demo of several
    counties), else the county office."""
    if cluster.issuer_id is not None and "city_office" in ctx.users:
        return ctx.users["city_office"]
    return ctx.users["office"]


def generate(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    rng = ctx.rng
    year = dt.date(2026, 10, 1).year
    for cluster_name, links in CHAINS.items():
        cluster = Cluster.objects.filter(name=cluster_name).first()
        if cluster is None:
            continue
        shaper = _shaper(ctx, cluster)
        chain = services.chain_save(
            actor=shaper,
            cluster=cluster,
            name=f"{cluster_name}产业链",
            thin_threshold=6,
            description=f"{cluster_name}产业集群延链补链",
        )
        made = {}
        for order, (segment, name, classes, words, invest, output) in enumerate(links):
            made[name] = services.link_save(
                actor=shaper,
                chain=chain,
                segment=segment,
                name=name,
                industry_codes=classes,
                product_keywords=words,
                investment_per_mu=Decimal(invest) * WAN,
                output_per_mu=Decimal(output) * WAN,
                sort_order=order,
            )
        members = Enterprise.objects.filter(cluster_memberships__cluster=cluster).order_by("pk")
        services.placements_propose(actor=office, chain=chain, enterprises=members)
        for placement in LinkPlacement.objects.filter(link__chain=chain).select_related("link", "enterprise"):
            if rng.random() < 0.85:  # most proposals confirmed; the rest wait for the office
                services.placement_confirm(
                    actor=office, link=placement.link, enterprise=placement.enterprise, basis=placement.basis
                )
        _leaders(ctx, chain, made, members, year)
        _projects(ctx, chain, made, cluster)


def _leaders(ctx, chain, made, members, year) -> None:
    office = ctx.users["office"]
    biggest = sorted(members, key=lambda e: -ctx.latent_revenue.get(e.pk, 0))[:2]
    confirmed = {
        link_id
        for link_id in LinkPlacement.objects.filter(link__chain=chain, status="confirmed").values_list(
            "link_id", flat=True
        )
    }
    for rank, enterprise in enumerate(biggest):
        leader = services.leader_save(actor=office, chain=chain, enterprise=enterprise, note="县级链主企业")
        # Local buys on links the county holds, outside buys on its gaps.
        held = [link for link in made.values() if link.pk in confirmed][:3]
        for link in held:
            local = ctx.rng.random() < 0.7
            services.purchase_save(
                actor=office,
                leader=leader,
                link=link,
                year=year,
                product=f"{link.name}配套产品",
                amount=Decimal(ctx.rng.randint(300, 3000)) * WAN,
                local=local,
                supplier="县内配套企业" if local else "市外配套企业",
                supplier_place="本县" if local else "广东东莞",
            )
        for link_name, product, place in OUTSIDE[chain.cluster.name][rank:] or OUTSIDE[chain.cluster.name]:
            services.purchase_save(
                actor=office,
                leader=leader,
                link=made[link_name],
                year=year,
                product=product,
                amount=Decimal(ctx.rng.randint(800, 6000)) * WAN,
                local=False,
                supplier="县外供应商",
                supplier_place=place,
            )


def _projects(ctx, chain, made, cluster) -> None:
    office = ctx.users["office"]
    links = list(made.values())
    by_class = {code: link for link in links for code in link.industry_codes}
    gaps = [link for link in links if not link.industry_codes]
    projects = Project.objects.filter(cluster=cluster).exclude(stage="terminated").order_by("pk")
    for i, project in enumerate(projects):
        link = by_class.get(project.industry_code)
        if link is None and i % 3 == 0 and gaps:
            link = gaps[i % len(gaps)]  # a lead brought in for a gap
        if link is not None:
            services.project_place(actor=office, project=project, link=link)
    # One target per chain's first two gaps, followed up by the investment-promotion bureau.
    bureau = ctx.bureaus.get("投促局")
    for link in gaps[:2]:
        if ChainLink.objects.filter(pk=link.pk, project_placements__isnull=False).exists():
            continue
        services.target_save(
            actor=_shaper(ctx, cluster),
            link=link,
            company_kind=f"{link.name}规模企业",
            regions="长三角、珠三角",
            candidates="",
            follow_up_unit=bureau,
            follow_up_person="招商一组",
        )
