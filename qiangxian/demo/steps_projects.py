"""Demo step: about 100 investment projects in every stage and light, with monthly progress
from 2025-01 to 2026-10, problems being solved or overdue, and the county's project targets.

The story matches the leading group's 2026 instructions: industrial investment target 51亿元
(slightly behind the pace of the year at the end of October), 7 new projects of 5亿元 or more to
sign, funds in place 20% over target.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.core.workdays import add_working_days
from qiangxian.enterprises.models import Cluster, Enterprise
from qiangxian.enterprises.uscc import make_uscc
from qiangxian.projects import services
from qiangxian.projects.approvals import services as approval_services
from qiangxian.projects.choices import LeadSource, ProblemCategory, ProblemStatus, ProjectKind, Stage
from qiangxian.projects.lights import add_months
from qiangxian.projects.models import (
    ApprovalItem,
    ApprovalTemplate,
    Problem,
    ProblemNote,
    Project,
    ProjectProgress,
    ProjectStageChange,
    ProjectTarget,
    RegionalAssessment,
    size_class_of,
)

from .context import DemoContext
from .names import CLUSTERS, SURNAMES, TRADE_NAMES

LABEL = "招商项目"
REFERENCE = dt.date(2026, 10, 31)  # the last month with progress in the demo
FIRST_MONTH = dt.date(2025, 1, 1)
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
TARGET_2026_INVESTMENT = 51 * YI
# 1-10月 completed investment the demo aims at: a little behind the 10/12 pace (42.5亿).
AIM_2026_YTD = Decimal("40.6") * YI

PRODUCTS = {
    "鞋服纺织": ["年产800万双运动鞋", "智能针织服装生产线", "高端鞋材研发生产基地", "功能性面料织造"],
    "食品医药": ["中药饮片及提取物", "预制菜中央厨房", "生物医药原料药", "富硒农产品精深加工"],
    "新能源": ["年产5GWh锂电池", "储能系统集成", "光伏组件智能制造", "动力电池回收利用"],
    "电子信息": ["新型显示模组", "智能终端整机制造", "印制电路板", "光电传感器"],
    "装备制造": ["智能农机装备", "精密数控机床", "新能源汽车零部件", "环保装备制造"],
    "新材料": ["高性能复合材料", "电子级化学品", "新型绿色建材", "特种工程塑料"],
}
OUTSIDE_REGIONS = ["330100", "440300", "320500", "350200", "310115", "430100"]
# stage -> how many demo projects stand in it
STAGE_COUNTS = [
    (Stage.SOURCING, 9),
    (Stage.NEGOTIATING, 9),
    (Stage.SIGNED, 16),
    (Stage.STARTED, 10),
    (Stage.BUILDING, 26),
    (Stage.COMPLETED, 6),
    (Stage.PRODUCING, 13),
    (Stage.AT_CAPACITY, 6),
    (Stage.TERMINATED, 5),
]
PROBLEM_TITLES = {
    ProblemCategory.LAND: ["用地指标未落实", "土地摘牌延期", "地块存在历史遗留问题"],
    ProblemCategory.PLANNING: ["规划条件调整", "施工许可办理滞后"],
    ProblemCategory.APPROVAL: ["能评审批未完成", "消防验收待办理"],
    ProblemCategory.ENVIRONMENT: ["环评批复未下达"],
    ProblemCategory.UTILITIES: ["专线供电未接入", "天然气管网未通达", "供水管网配套滞后"],
    ProblemCategory.FINANCE: ["项目贷款审批慢", "设备融资租赁对接"],
    ProblemCategory.LABOUR: ["技术工人招聘困难"],
    ProblemCategory.DEMOLITION: ["红线内坟墓迁移未完成"],
}
OWNER_BUREAUS = {
    ProblemCategory.LAND: "自然资源局",
    ProblemCategory.PLANNING: "自然资源局",
    ProblemCategory.APPROVAL: "发改局",
    ProblemCategory.ENVIRONMENT: "发改局",
    ProblemCategory.UTILITIES: "供电公司",
    ProblemCategory.FINANCE: "财政局",
    ProblemCategory.LABOUR: "人社局",
    ProblemCategory.DEMOLITION: "投促局",
}


def _rand_date(rng, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, -2)))


def generate(ctx: DemoContext) -> None:
    """Create the projects, their stage history, monthly progress, problems, targets and lights."""
    rng = ctx.rng
    clusters = {c.name: c for c in Cluster.objects.all()}
    bureaus = {name: unit for name, unit in ctx.bureaus.items()}
    invest_bureau = bureaus.get("投促局")
    leader = ctx.users.get("leader")
    staff = [u for u in (ctx.users.get("bureau"), ctx.users.get("park"), ctx.users.get("town")) if u]
    parks = list(ctx.parks)
    towns = {t.name: t for t in ctx.towns}
    local_investors = list(Enterprise.objects.filter(above_scale=True).order_by("pk")[:60])
    demo_enterprise = None
    if ctx.users.get("enterprise") is not None:
        demo_enterprise = Enterprise.objects.filter(org_unit=ctx.users["enterprise"].org_unit).first()

    specs = []
    for stage, count in STAGE_COUNTS:
        specs.extend([stage] * count)
    projects: list[Project] = []
    plans: list[dict] = []
    used_names: set[str] = set()
    for index, stage in enumerate(specs):
        seq = index + 1
        cluster_name = rng.choices(list(CLUSTERS), [0.3, 0.15, 0.2, 0.1, 0.15, 0.1])[0]
        classes, _ = CLUSTERS[cluster_name]
        while True:
            brand = "".join(rng.sample(TRADE_NAMES, 2))
            name = f"{brand}{rng.choice(PRODUCTS[cluster_name])}项目"
            if name not in used_names:
                used_names.add(name)
                break
        # Sizes: mostly 1-5亿, a band of 5-10亿 and a few 10亿 and up.
        roll = rng.random()
        if roll < 0.12:
            total = rng.uniform(10, 30) * 1e8
        elif roll < 0.30:
            total = rng.uniform(5, 9.8) * 1e8
        elif roll < 0.75:
            total = rng.uniform(1, 4.9) * 1e8
        else:
            total = rng.uniform(0.3, 0.98) * 1e8
        park = rng.choices(parks, [0.65, 0.2, 0.15])[0] if parks and rng.random() < 0.85 else None
        zone = rng.choice(ctx.zones.get(park.pk) or [None]) if park else None
        town_names = {
            "青山工业园区": ["城关镇", "新城街道", "河口镇"],
            "青山高新技术产业园": ["东湖街道", "城关镇"],
            "白沙食品产业园": ["白沙镇"],
        }
        town = towns.get(rng.choice(town_names.get(park.name, ["城关镇"]))) if park else rng.choice(ctx.towns)
        investor = None
        investor_name = investor_uscc = ""
        source = rng.choice([s for s in LeadSource.values if s != LeadSource.EXPANSION])
        if demo_enterprise is not None and index == 40:
            investor, source = demo_enterprise, LeadSource.EXPANSION
        elif local_investors and rng.random() < 0.2:
            investor, source = rng.choice(local_investors), LeadSource.EXPANSION
        else:
            province = rng.choice(["浙江", "深圳", "江苏", "厦门", "上海", "湖南"])
            investor_name = f"{province}{brand}{rng.choice(['科技', '实业', '集团'])}有限公司"
            body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
            investor_uscc = make_uscc("9", "1", rng.choice(OUTSIDE_REGIONS), body)
        responsible = park if park and rng.random() < 0.45 else invest_bureau
        # Milestone dates, walking the stages the project has passed.
        lead_on = _rand_date(rng, dt.date(2024, 3, 1), dt.date(2026, 4, 30))
        dates: dict[str, dt.date | None] = {}
        path = [(Stage.SOURCING, lead_on)]
        order = [
            Stage.NEGOTIATING,
            Stage.SIGNED,
            Stage.STARTED,
            Stage.BUILDING,
            Stage.COMPLETED,
            Stage.PRODUCING,
            Stage.AT_CAPACITY,
        ]
        final = stage
        if stage == Stage.TERMINATED:
            final = rng.choice([Stage.NEGOTIATING, Stage.SIGNED])
        if final in (Stage.SOURCING, Stage.NEGOTIATING):
            lead_on = _rand_date(rng, dt.date(2026, 8, 1), dt.date(2026, 11, 10))
            path = [(Stage.SOURCING, lead_on)]
        gaps = {
            Stage.NEGOTIATING: (10, 60),
            Stage.SIGNED: (30, 150),
            Stage.STARTED: (30, 240),
            Stage.BUILDING: (20, 60),
            Stage.COMPLETED: (200, 420),
            Stage.PRODUCING: (20, 90),
            Stage.AT_CAPACITY: (120, 300),
        }
        if final == Stage.SIGNED:
            # Signed projects span fresh signings and long waits, so every light shows up.
            window = rng.choices(
                [
                    (dt.date(2026, 6, 1), dt.date(2026, 10, 20)),
                    (dt.date(2026, 2, 1), dt.date(2026, 5, 31)),
                    (dt.date(2025, 3, 1), dt.date(2026, 1, 31)),
                ],
                [0.55, 0.25, 0.2],
            )[0]
            signed_on = _rand_date(rng, *window)
            lead_on = signed_on - dt.timedelta(days=rng.randint(60, 200))
            path = [(Stage.SOURCING, lead_on)]
        current = lead_on
        for step in order:
            if order.index(step) > order.index(final) if final in order else True:
                break
            low, high = gaps[step]
            current = current + dt.timedelta(days=rng.randint(low, high))
            if final == Stage.SIGNED and step == Stage.SIGNED:
                current = signed_on
            current = min(current, REFERENCE - dt.timedelta(days=order.index(final) - order.index(step)))
            path.append((step, current))
        if stage == Stage.TERMINATED:
            path.append(
                (Stage.TERMINATED, min(REFERENCE, path[-1][1] + dt.timedelta(days=rng.randint(30, 200))))
            )
        for step, when in path:
            field = {
                Stage.SIGNED: "signed_on",
                Stage.STARTED: "started_on",
                Stage.COMPLETED: "completed_on",
                Stage.PRODUCING: "producing_on",
                Stage.AT_CAPACITY: "at_capacity_on",
                Stage.TERMINATED: "terminated_on",
            }.get(step)
            if field:
                dates[field] = when
        signed = dates.get("signed_on")
        start_deadline = add_months(signed, rng.choice([3, 4, 6])) if signed else None
        production_deadline = None
        if start_deadline:
            production_deadline = add_months(start_deadline, rng.choice([18, 24, 30]))
            if rng.random() < 0.8:
                # Most projects keep to their agreement: the deadline lies beyond where they stand.
                production_deadline = max(
                    production_deadline,
                    add_months(
                        dates.get("producing_on") or dates.get("completed_on") or REFERENCE, rng.randint(1, 8)
                    ),
                )
        land = Decimal(str(round(max(20.0, total / 1e8 * rng.uniform(25, 45)), 1)))
        fixed = total * rng.uniform(0.75, 0.92)
        project = Project(
            code=f"XM{lead_on.year}{seq:04d}",
            name=name,
            industrial=True,
            investor=investor,
            investor_name=investor_name,
            investor_uscc=investor_uscc,
            lead_source=source,
            referrer=rng.choice(SURNAMES) + rng.choice(["总", "先生", "会长"]) if rng.random() < 0.4 else "",
            cluster=clusters.get(cluster_name),
            industry_code=rng.choice(classes),
            park=park,
            zone=zone,
            town=town,
            location=f"{(zone or park or town).name}{rng.choice('ABCD')}-{rng.randint(1, 40):02d}地块",
            total_investment=_money(total),
            fixed_asset_investment=_money(fixed),
            size_class=size_class_of(_money(total)),
            stage=stage,
            stage_on=path[-1][1],
            lead_received_on=lead_on,
            termination_reason="投资方战略调整，项目终止" if stage == Stage.TERMINATED else "",
            responsible_unit=responsible,
            liaison_leader=leader if total >= 5e8 else None,
            owner=rng.choice(staff)
            if staff and (final not in (Stage.SOURCING,) or rng.random() < 0.5)
            else None,
            committed_intensity=_money(
                fixed / float(land) * rng.choices([0.85, 1.1, 1.45], [0.75, 0.15, 0.1])[0]
            )
            if signed
            else None,
            committed_output=_money(total * rng.uniform(1.2, 2.0)) if signed else None,
            committed_tax=_money(total * rng.uniform(0.04, 0.08)) if signed else None,
            start_deadline=start_deadline,
            production_deadline=production_deadline,
            committed_jobs=rng.randint(50, 800) if signed else None,
            land_need_mu=land,
            building_need_sqm=Decimal(rng.randint(5, 60) * 1000) if rng.random() < 0.4 else None,
            description=f"项目总投资约{total / 1e8:.1f}亿元，主要建设{name.removesuffix('项目')}。",
            **dates,
        )
        if project.owner is not None:
            project.owner_assigned_on = lead_on + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
        if final != Stage.SOURCING or rng.random() < 0.4:
            project.assessed_on = lead_on + dt.timedelta(days=rng.randint(1, 5))
            project.assessment = rng.choice(
                ["符合产业定位，建议推进", "投资强度达标，建议加快对接", "需进一步核实投资方实力"]
            )
        projects.append(project)
        plans.append(
            {
                "path": path,
                "performance": rng.choices(["on", "yellow", "red"], [0.6, 0.25, 0.15])[0],
                "in_stats_lag": rng.choices([0, 1, None], [0.75, 0.15, 0.10])[0],
            }
        )
    # The story: five of the seven big signings of 2026 done by the end of October.
    big_2026 = [
        p for p in projects if p.signed_on and p.signed_on.year == 2026 and p.total_investment >= 5 * YI
    ]
    for project in big_2026[5:]:
        project.total_investment = _money(rng.uniform(2.5, 4.8) * 1e8)
        project.fixed_asset_investment = _money(float(project.total_investment) * 0.85)
        project.size_class = size_class_of(project.total_investment)
        project.liaison_leader = None
    created = bulk_create_with_history(
        projects, Project, batch_size=500, default_change_reason="演示数据生成"
    )
    ids = dict(Project.objects.filter(code__in=[p.code for p in created]).values_list("code", "pk"))
    for project in projects:
        project.pk = ids[project.code]

    changes = []
    for project, plan in zip(projects, plans, strict=True):
        previous = ""
        for step, when in plan["path"]:
            changes.append(
                ProjectStageChange(
                    project=project,
                    from_stage=previous,
                    to_stage=step,
                    changed_on=when,
                    reason="登记线索"
                    if not previous
                    else (project.termination_reason if step == Stage.TERMINATED else ""),
                    actor=ctx.users.get("bureau"),
                )
            )
            previous = step
    bulk_create_with_history(
        changes, ProjectStageChange, batch_size=1000, default_change_reason="演示数据生成"
    )

    # Monthly progress: raw amounts first, then one factor so 2026 1-10月 lands on the story's figure.
    raw: list[tuple[Project, dt.date, float, dict]] = []
    for project, plan in zip(projects, plans, strict=True):
        if not project.started_on or project.started_on > REFERENCE:
            continue
        end = min(REFERENCE, project.completed_on or REFERENCE)
        fixed = float(project.fixed_asset_investment)
        rate = fixed * rng.uniform(0.03, 0.05)
        active_2026 = len(_months(max(dt.date(2026, 1, 1), project.started_on.replace(day=1)), REFERENCE))
        # The year's plan is set so that keeping the monthly rate keeps pace with N/12.
        plan["plan_2026"] = rate * max(active_2026, 1) * 12 / 10
        pace = {"on": rng.uniform(0.95, 1.15), "yellow": rng.uniform(0.64, 0.8), "red": rng.uniform(0.3, 0.5)}
        before = max(
            0,
            (FIRST_MONTH.year - project.started_on.year) * 12 + FIRST_MONTH.month - project.started_on.month,
        )
        plan["base"] = rate * before
        for month in _months(max(FIRST_MONTH, project.started_on.replace(day=1)), end):
            factor = 1.0
            if month.year == 2026 and project.stage in (Stage.STARTED, Stage.BUILDING):
                factor = pace[plan["performance"]]
            raw.append((project, month, rate * factor * rng.uniform(0.85, 1.15), plan))
    ytd = sum(a for _, m, a, _ in raw if m.year == 2026)
    scale = float(AIM_2026_YTD) / ytd if ytd else 1.0
    row_sums: dict[int, float] = {}
    for project, _, amount, _ in raw:
        row_sums[project.pk] = row_sums.get(project.pk, 0.0) + amount * scale
    for project, plan in zip(projects, plans, strict=True):
        if project.stage in (Stage.COMPLETED, Stage.PRODUCING, Stage.AT_CAPACITY) and "base" in plan:
            # A finished project has invested (nearly) all its fixed assets.
            wanted = float(project.fixed_asset_investment) * rng.uniform(0.92, 1.0)
            plan["base"] = max(0.0, wanted - row_sums.get(project.pk, 0.0)) / scale
    rows = []
    cumulative: dict[int, Decimal] = {}
    for project, month, amount, plan in raw:
        value = _money(amount * scale)
        if project.pk not in cumulative:
            # Investment made before the platform's first month is carried in the cumulative figure.
            cumulative[project.pk] = _money(plan["base"] * scale)
        cumulative[project.pk] += value
        lag = plan["in_stats_lag"]
        in_stats = lag is not None and month >= add_months(project.started_on.replace(day=1), lag)
        if float(project.total_investment) < 5e6:
            in_stats = False
        rows.append(
            ProjectProgress(
                project=project,
                month=month,
                completed_investment=value,
                completed_to_date=cumulative[project.pk],
                funds_in_place=_money(float(value) * rng.uniform(0.95, 1.45)),
                in_statistics=in_stats,
                notes=rng.choice(
                    [
                        "主体结构施工中",
                        "设备采购安装",
                        "厂房封顶",
                        "场地平整",
                        "钢结构吊装",
                        "室外配套施工",
                        "",
                    ]
                ),
            )
        )
    bulk_create_with_history(rows, ProjectProgress, batch_size=1000, default_change_reason="演示数据生成")
    # Keep each project's record in line with its reported progress and 2026 plan.
    for project, plan in zip(projects, plans, strict=True):
        done = cumulative.get(project.pk, Decimal(0))
        if done > project.fixed_asset_investment:
            project.fixed_asset_investment = _money(float(done) * 1.15)
            project.total_investment = max(
                project.total_investment, _money(float(project.fixed_asset_investment) / 0.85)
            )
            project.size_class = size_class_of(project.total_investment)
        if "plan_2026" in plan and project.stage in (Stage.STARTED, Stage.BUILDING):
            project.plan_year = 2026
            project.planned_investment = _money(plan["plan_2026"] * scale)
    Project.objects.bulk_update(
        projects,
        ["fixed_asset_investment", "total_investment", "size_class", "plan_year", "planned_investment"],
        batch_size=500,
    )

    _problems(ctx, projects, bureaus)
    ProjectTarget.objects.create(
        year=2025,
        industrial_investment=46 * YI,
        big_project_count=6,
        big_project_threshold=5 * YI,
        funds_in_place=Decimal(38) * YI,
        note="2025年县政府工作报告",
    )
    ProjectTarget.objects.create(
        year=2026,
        industrial_investment=TARGET_2026_INVESTMENT,
        big_project_count=7,
        big_project_threshold=5 * YI,
        funds_in_place=Decimal(42) * YI,
        funds_stretch_pct=Decimal(20),
        note="工业强县领导小组2026年工作要点",
    )
    _approvals(ctx, projects)
    services.project_settings()
    services.lights_recompute_month(actor=None, year=REFERENCE.year, month=REFERENCE.month)


# The approving units the checklists need besides the county's bureaus.
APPROVAL_UNITS = ["住建局", "生态环境分局", "应急管理局", "水利局", "自来水公司", "燃气公司", "电信公司"]
# The demo's "now" for approvals: a month after the last progress month, never after a real today.
APPROVALS_AS_OF = dt.date(2026, 11, 30)
# Two zones did their regional assessments (区域评估) in 2025.
REGIONAL = [
    ("城东片区", "eia", dt.date(2025, 6, 18), "县环审〔2025〕9号"),
    ("城东片区", "energy", dt.date(2025, 7, 2), "县发改能审〔2025〕4号"),
    ("城南片区", "eia", dt.date(2025, 9, 10), "县环审〔2025〕15号"),
    ("城南片区", "geohazard", dt.date(2025, 8, 20), "县自然资地评〔2025〕6号"),
]
STUCK_AT = ["planning", "eia", "land", "power", "drawings"]  # where the stuck projects wait


def _approvals(ctx: DemoContext, projects: list[Project]) -> None:
    """Checklists for signed and started projects: most on time, some stuck at one unit; two zones
    with regional assessments their projects inherit."""
    rng = ctx.rng
    county = OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY).first()
    for order, name in enumerate(APPROVAL_UNITS):
        OrgUnit.objects.get_or_create(
            name=name, defaults={"kind": OrgUnitKind.BUREAU, "parent": county, "sort_order": 50 + order}
        )
    approval_services.ensure_catalogue()
    templates = {
        t.project_kind: [
            i.kind for i in t.items.select_related("kind", "kind__default_unit").order_by("position")
        ]
        for t in ApprovalTemplate.objects.prefetch_related("items")
    }
    zones = {z.name: z for zs in ctx.zones.values() for z in zs}
    assessments = {}
    for zone_name, code, approved, document in REGIONAL:
        if zone_name not in zones:
            continue
        kind = next(k for ks in templates.values() for k in ks if k.code == code)
        assessments[(zones[zone_name].pk, code)] = RegionalAssessment.objects.create(
            zone=zones[zone_name], kind=kind, approved_on=approved, document=document
        )
    items, kinds_of = [], {}
    stuck_left = 4
    for seq, project in enumerate(projects):
        if project.signed_on is None or project.stage not in (Stage.SIGNED, Stage.STARTED, Stage.BUILDING):
            continue
        if project.investor_id is not None:
            kind = ProjectKind.UPGRADE
        else:
            kind = rng.choices([ProjectKind.NEW_BUILD, ProjectKind.STANDARD_BUILDING], [0.8, 0.2])[0]
        project.project_kind = kinds_of[project.pk] = kind
        project.investment_code = (
            f"{project.signed_on.year}-361129-{project.industry_code[:2] or '13'}-03-{seq:06d}"
        )
        stuck = None
        if project.stage == Stage.SIGNED and stuck_left and rng.random() < 0.35:
            stuck, stuck_left = rng.choice(STUCK_AT), stuck_left - 1
        started = project.started_on
        # Started projects had every item done before breaking ground: their timeline is drawn
        # to end a few days before the start; signed ones run forward from the signing.
        chain = templates[kind]
        phases = sorted({k.phase for k in chain})
        cursor = project.signed_on + dt.timedelta(days=rng.randint(2, 12))
        if started is not None:
            span = max(20, (started - project.signed_on).days)
            speed = min(1.0, span / 150)
        else:
            speed = 1.0
        for phase in phases:
            phase_end = cursor
            for position, k in ((chain.index(k), k) for k in chain if k.phase == phase):
                inherited = assessments.get((project.zone_id, k.code)) if project.zone_id else None
                item = ApprovalItem(
                    project=project,
                    kind=k,
                    unit=k.default_unit,
                    position=position,
                    statutory_days=k.statutory_days,
                    promised_days=k.promised_days,
                    inherited_from=inherited,
                )
                items.append(item)
                if inherited is not None:
                    continue
                submitted = cursor + dt.timedelta(days=int(rng.randint(0, 6) * speed))
                accepted = submitted + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
                factor = rng.uniform(0.3, 0.95) if rng.random() < 0.85 else rng.uniform(1.05, 1.6)
                if k.code == stuck:
                    factor = rng.uniform(2.5, 4.0)
                days = max(1, round(k.promised_days * factor * (speed if started else 1)))
                approved = add_working_days(accepted, days)
                if started is not None and approved >= started:
                    approved = started - dt.timedelta(days=rng.randint(1, 5))
                    accepted = min(accepted, approved)
                    submitted = min(submitted, accepted)
                if submitted > APPROVALS_AS_OF:
                    continue
                item.submitted_on = submitted
                item.accepted_on = accepted if accepted <= APPROVALS_AS_OF else None
                if approved <= APPROVALS_AS_OF and k.code != stuck:
                    item.approved_on = approved
                    issuer = k.default_unit.name if k.default_unit else "县"
                    item.documents = f"{issuer}〔{approved.year}〕{rng.randint(1, 99)}号"
                phase_end = max(phase_end, approved)
            cursor = phase_end + dt.timedelta(days=rng.randint(1, 6))
    # One file sent back for corrections, waiting on the enterprise.
    returnable = [i for i in items if i.accepted_on and not i.approved_on and i.kind.code not in STUCK_AT]
    if returnable:
        chosen = rng.choice(returnable)
        chosen.returned_on = min(APPROVALS_AS_OF, chosen.accepted_on + dt.timedelta(days=5))
        chosen.return_reason = "申请材料不齐全：缺少用地红线图和建设单位法人授权书"
    for item in items:
        approval_services.stamp(item)
    bulk_create_with_history(items, ApprovalItem, batch_size=1000, default_change_reason="演示数据生成")
    Project.objects.bulk_update(
        [p for p in projects if p.pk in kinds_of], ["project_kind", "investment_code"], batch_size=500
    )


def _problems(ctx: DemoContext, projects: list[Project], bureaus: dict) -> None:
    rng = ctx.rng
    candidates = [
        p for p in projects if p.stage in (Stage.SIGNED, Stage.STARTED, Stage.BUILDING, Stage.COMPLETED)
    ]
    raisers = [u for u in User.objects.filter(role__in=[Role.OFFICE, Role.BUREAU, Role.PARK])]
    problems, notes = [], []
    for project in rng.sample(candidates, min(42, len(candidates))):
        category = rng.choice(list(PROBLEM_TITLES))
        owner = bureaus.get(OWNER_BUREAUS.get(category, "投促局")) or project.responsible_unit
        if owner is None or owner.kind == OrgUnitKind.ENTERPRISE:
            owner = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU).first()
        raised = _rand_date(rng, dt.date(2026, 3, 1), dt.date(2026, 11, 10))
        deadline = raised + dt.timedelta(days=rng.choice([15, 20, 30, 45, 60]))
        solved = rng.random() < 0.55 and raised < dt.date(2026, 10, 15)
        problem = Problem(
            project=project,
            title=rng.choice(PROBLEM_TITLES[category]),
            category=category,
            owner_unit=owner,
            description=f"{project.name}反映：{rng.choice(PROBLEM_TITLES[category])}，影响项目推进。",
            raised_by=rng.choice(raisers) if raisers else None,
            raised_on=raised,
            deadline=deadline,
            status=ProblemStatus.SOLVED if solved else ProblemStatus.OPEN,
            solved_on=min(deadline + dt.timedelta(days=rng.randint(-10, 8)), dt.date(2026, 11, 15))
            if solved
            else None,
            solution=rng.choice(
                ["召开专题调度会协调解决", "县领导现场办公，相关部门限时办结", "已完成审批并下达批复"]
            )
            if solved
            else "",
        )
        problems.append(problem)
    bulk_create_with_history(problems, Problem, batch_size=500, default_change_reason="演示数据生成")
    for problem in Problem.objects.all():
        for _ in range(rng.randint(1, 2)):
            notes.append(
                ProblemNote(
                    problem=problem,
                    author=problem.raised_by,
                    text=rng.choice(["已对接责任单位，正在办理", "已召开协调会", "资料已报送上级部门审批"]),
                )
            )
    bulk_create_with_history(notes, ProblemNote, batch_size=500, default_change_reason="演示数据生成")
