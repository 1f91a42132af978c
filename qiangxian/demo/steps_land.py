"""Demo step: the parks' land and buildings, idle items being disposed, contracts with breaches,
and two years of per-mu results (the older frozen, the latest frozen after objections).

About 600 parcels (park enterprises' own land plus reserve, approved-not-supplied, supplied-not-
used and idle plots), 80 buildings (standard factories let to small firms, and own plants), 30-60
idle items of which some are disposed or reused this year, and a draft copy of the scheme for
the sandbox.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Enterprise
from qiangxian.land.choices import DisposalMethod, IdleReason
from qiangxian.land.defaults import create_default_scheme
from qiangxian.land.models import AdjustmentRecord, Building, LandContract, Lease, Parcel, SpaceProfile
from qiangxian.land.services import evaluation, idle
from qiangxian.projects.models import Project

from .context import DemoContext

LABEL = "园区、土地、厂房与亩均评价"
WAN = Decimal(10_000)
PLATFORM = "青山园区开发投资有限公司"
PROFILES = {
    "青山工业园区": ("12500", "9800", "7600", "33 34 35 38", "25 26", "38000000", "1500000"),
    "青山高新技术产业园": ("6200", "4800", "3100", "39 40 27", "25 26", "45000000", "2000000"),
    "白沙食品产业园": ("3800", "3000", "2200", "13 14 15", "26 31", "25000000", "1000000"),
}


def _profiles(ctx: DemoContext) -> None:
    for park in ctx.parks:
        area, planned, built, industries, negative, output, tax = PROFILES[park.name]
        SpaceProfile.objects.create(
            unit=park,
            park=park,
            area_mu=Decimal(area),
            planned_industrial_mu=Decimal(planned),
            built_mu=Decimal(built),
            utilities="双回路供电、日供水 5 万吨、天然气管网、污水处理厂（日处理 3 万吨）",
            platforms="企业服务中心、检验检测公共服务平台、人才公寓",
            leading_industries=industries,
            negative_list=negative,
            output_target_per_mu=Decimal(output),
            tax_target_per_mu=Decimal(tax),
        )
        for zone in ctx.zones.get(park.pk, []):
            SpaceProfile.objects.create(
                unit=zone, park=park, area_mu=Decimal(area) / 3, leading_industries=industries
            )


def _parcels(ctx: DemoContext, rng, today: dt.date) -> list[Parcel]:
    holders = list(
        Enterprise.objects.filter(park__isnull=False).exclude(industry_code="").order_by("pk")[:470]
    )
    parcels = []
    for i, firm in enumerate(holders):
        revenue = ctx.latent_revenue.get(firm.pk, 2e7)
        per_mu = rng.uniform(1.5e6, 6e6)
        area = Decimal(str(round(min(max(revenue / per_mu, 2.0), 260.0), 2)))
        status = "inefficient" if rng.random() < 0.05 else "in_use"
        parcels.append(
            Parcel(
                code=f"QS{i + 1:04d}",
                name=f"{firm.park.name[:2]}地块{i + 1}号",
                park_id=firm.park_id,
                zone_id=firm.zone_id,
                area_mu=area,
                status=status,
                status_since=today - dt.timedelta(days=int(rng.integers(200, 3000))),
                holder=firm,
            )
        )
    projects = list(Project.objects.filter(park__isnull=False).order_by("pk")[:40])
    spare = [
        ("reserve", 40),
        ("approved", 30),
        ("supplied", 15),
        ("idle", 20),
        ("building", len(projects)),
    ]
    n = len(parcels)
    for status, count in spare:
        for k in range(count):
            park = ctx.parks[int(rng.integers(0, len(ctx.parks)))]
            zones = ctx.zones.get(park.pk) or [None]
            project = projects[k] if status == "building" else None
            if project is not None:
                park = project.park
                zones = [project.zone]
            n += 1
            parcels.append(
                Parcel(
                    code=f"QS{n:04d}",
                    name=f"{park.name[:2]}储备地块{n}号"
                    if status == "reserve"
                    else f"{park.name[:2]}地块{n}号",
                    park=park,
                    zone=zones[int(rng.integers(0, len(zones)))],
                    area_mu=Decimal(str(round(rng.uniform(8, 120), 2))),
                    status=status,
                    status_since=today - dt.timedelta(days=int(rng.integers(60, 1500))),
                    project=project,
                )
            )
    _boundaries(ctx, parcels)
    bulk_create_with_history(parcels, Parcel, batch_size=500)
    return list(Parcel.objects.order_by("pk"))


# Where the demo parks lie (degrees, WGS84), for drawing their parcels on the map.
PARK_ORIGINS = [(115.600, 28.560), (115.660, 28.610), (115.540, 28.520)]
CELL = 0.0045  # grid spacing in degrees (about 450 m)


def _boundaries(ctx: DemoContext, parcels: list[Parcel]) -> None:
    """A rectangle of the parcel's area on a grid per park, as the natural resources bureau would export."""
    slots: dict[int, int] = {}
    origins = {park.pk: PARK_ORIGINS[i % len(PARK_ORIGINS)] for i, park in enumerate(ctx.parks)}
    for parcel in parcels:
        n = slots.get(parcel.park_id, 0)
        slots[parcel.park_id] = n + 1
        lon0, lat0 = origins[parcel.park_id]
        lon, lat = lon0 + (n % 14) * CELL, lat0 + (n // 14) * CELL
        side = float(parcel.area_mu * Decimal("666.67")) ** 0.5
        dlon, dlat = min(side / 98_000, CELL * 0.9), min(side / 111_000, CELL * 0.9)
        ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
        parcel.boundary = {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _contracts(parcels: list[Parcel], rng, today: dt.date) -> None:
    contracts = []
    for parcel in parcels:
        if parcel.status in ("reserve", "approved") or (rng.random() > 0.4 and parcel.status == "in_use"):
            continue
        signed = parcel.status_since - dt.timedelta(days=int(rng.integers(30, 400)))
        start_deadline = signed + dt.timedelta(days=180)
        completion = start_deadline + dt.timedelta(days=540)
        started = start_deadline - dt.timedelta(days=int(rng.integers(0, 60)))
        completed = completion - dt.timedelta(days=int(rng.integers(0, 90)))
        intensity = Decimal(int(rng.choice([250, 300, 350]))) * WAN
        investment = intensity * parcel.area_mu * Decimal(str(round(rng.uniform(0.95, 1.4), 2)))
        if parcel.status in ("supplied", "idle"):
            # No start by the deadline: these are the breaches to follow.
            started = completed = None
            start_deadline = min(start_deadline, today - dt.timedelta(days=int(rng.integers(20, 400))))
            completion = today + dt.timedelta(days=int(rng.integers(90, 400)))
            investment = None
        elif parcel.status == "building":
            completed, investment = None, None
            completion = max(completion, today + dt.timedelta(days=120))
            started = min(started, today)
        contracts.append(
            LandContract(
                parcel=parcel,
                number=f"赣青出让〔{signed.year}〕{parcel.pk}号",
                signed_on=signed,
                price=(parcel.area_mu * Decimal(int(rng.integers(12, 25))) * WAN).quantize(Decimal("1")),
                intensity_promised=intensity,
                far_promised=Decimal("1.2"),
                start_deadline=start_deadline,
                completion_deadline=completion,
                output_per_mu_promised=Decimal(400) * WAN,
                tax_per_mu_promised=Decimal(15) * WAN,
                started_on=started,
                completed_on=completed if completed and completed <= today else None,
                investment_actual=investment.quantize(Decimal("1")) if investment is not None else None,
                far_actual=Decimal("1.1") if investment is not None else None,
            )
        )
    bulk_create_with_history(contracts, LandContract, batch_size=500)


def _buildings(ctx: DemoContext, parcels: list[Parcel], rng, today: dt.date) -> list[Building]:
    buildings = []
    for i in range(50):
        park = ctx.parks[i % len(ctx.parks)]
        zones = ctx.zones.get(park.pk) or [None]
        floors = int(rng.integers(1, 5))
        buildings.append(
            Building(
                code=f"BZ{i + 1:03d}",
                name=f"标准厂房{i + 1}号楼",
                kind="standard",
                park=park,
                zone=zones[i % len(zones)],
                floors=floors,
                floor_area_sqm=Decimal(floors * int(rng.choice([1800, 2400, 3000]))),
                floor_load_kn=Decimal("8.0") if floors > 1 else Decimal("15.0"),
                crane_tonnage=Decimal(10) if floors == 1 and rng.random() < 0.5 else None,
                power_kva=int(rng.choice([400, 630, 800, 1250])),
                owner_name=PLATFORM,
                completed_year=int(rng.integers(2012, 2025)),
            )
        )
    own = [p for p in parcels if p.holder_id and p.area_mu >= 20][:30]
    for i, parcel in enumerate(own):
        buildings.append(
            Building(
                code=f"ZJ{i + 1:03d}",
                name=f"{parcel.holder.name[:6]}厂房",
                kind="own",
                park_id=parcel.park_id,
                zone_id=parcel.zone_id,
                parcel=parcel,
                floors=1,
                floor_area_sqm=(parcel.area_mu * Decimal("666.67") * Decimal("0.6")).quantize(Decimal("1")),
                floor_load_kn=Decimal("20.0"),
                crane_tonnage=Decimal(16),
                power_kva=1600,
                owner_id=parcel.holder_id,
                completed_year=int(rng.integers(2008, 2024)),
            )
        )
    bulk_create_with_history(buildings, Building, batch_size=200)
    standard = list(Building.objects.filter(kind="standard").order_by("pk"))
    tenants = list(Enterprise.objects.filter(park__isnull=True).exclude(industry_code="").order_by("pk")[:90])
    leases = []
    t = 0
    for building in standard:
        per_floor = building.floor_area_sqm / building.floors
        for floor in range(1, building.floors + 1):
            # About one floor in five stands empty: the vacant floor space of the demo.
            if rng.random() < 0.2 or t >= len(tenants):
                continue
            start = today - dt.timedelta(days=int(rng.integers(100, 1400)))
            leases.append(
                Lease(
                    building=building,
                    floor=floor,
                    unit="",
                    area_sqm=per_floor,
                    tenant=tenants[t],
                    rent_per_sqm_month=Decimal(str(round(rng.uniform(8, 15), 1))),
                    start_on=start,
                    end_on=start + dt.timedelta(days=365 * 5),
                )
            )
            t += 1
    bulk_create_with_history(leases, Lease, batch_size=500)
    return standard


def _idle(ctx: DemoContext, parcels, standard, rng, today: dt.date) -> None:
    office = ctx.users["office"]
    bureaus = list(OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU).order_by("pk"))
    candidates = [p for p in parcels if p.status in ("idle", "inefficient", "supplied")][:30]
    reasons = [
        IdleReason.NO_START,
        IdleReason.STOPPED,
        IdleReason.FUNDS,
        IdleReason.MARKET,
        IdleReason.DISPUTE,
    ]
    methods = list(DisposalMethod.values)
    newcomers = list(Enterprise.objects.filter(park__isnull=False).order_by("-pk")[:20])
    items = []
    for k, parcel in enumerate(candidates):
        since = min(parcel.status_since, today - dt.timedelta(days=90))
        items.append(
            idle.idle_create(
                actor=office,
                kind="parcel",
                parcel=parcel,
                idle_since=since,
                reason=reasons[k % len(reasons)],
                reason_detail="园区排查发现" if k % 3 else "",
                today=today,
            )
        )
    for building in standard[:15]:
        leased = sum((lease.area_sqm for lease in building.leases.all()), Decimal(0))
        vacant = building.floor_area_sqm - leased
        if vacant <= 0:
            continue
        items.append(
            idle.idle_create(
                actor=office,
                kind="floor",
                building=building,
                floor_area_sqm=vacant,
                idle_since=today - dt.timedelta(days=int(rng.integers(60, 700))),
                reason=IdleReason.LEFT,
                today=today,
            )
        )
    for k, item in enumerate(items):
        if k % 4 == 3:
            continue  # left without a plan yet
        plan = idle.plan_create(
            actor=office,
            item=item,
            method=methods[k % len(methods)],
            unit=item.park if k % 2 else bureaus[k % len(bureaus)],
            deadline=today + dt.timedelta(days=int(rng.integers(30, 240))),
            today=today,
        )
        idle.plan_progress(actor=office, plan=plan, progress=int(rng.choice([10, 30, 50, 80])))
        if k % 5 == 0 and newcomers:
            idle.idle_close(
                actor=office,
                item=item,
                reused=True,
                on=min(today, item.idle_since + dt.timedelta(days=int(rng.integers(60, 400)))),
                enterprise=newcomers.pop(),
            )
        elif k % 7 == 1:
            on = min(today, item.idle_since + dt.timedelta(days=int(rng.integers(60, 400))))
            idle.idle_close(actor=office, item=item, reused=False, on=on)


def _evaluations(ctx: DemoContext, rng, today: dt.date) -> None:
    office = ctx.users["office"]
    enterprise_ids = list(
        Enterprise.objects.filter(above_scale=True).order_by("pk").values_list("pk", flat=True)
    )
    latest = None
    for year in (today.year - 2, today.year - 1):
        scheme = create_default_scheme(year=year)
        for k, pk in enumerate(enterprise_ids[:: max(len(enterprise_ids) // 8, 1)][:8]):
            name = scheme.adjustments.order_by("pk")[k % 4].name
            AdjustmentRecord.objects.create(year=year, enterprise_id=pk, name=name, source="部门通报")
        run = evaluation.run_create(actor=office, scheme=scheme)
        start = dt.date(year + 1, 3, 2)
        run = evaluation.run_publish(actor=office, run=run, start=start)
        results = list(
            run.results.exclude(grade="").order_by("rank")[:: max(run.results.count() // 6, 1)][:6]
        )
        for k, res in enumerate(results):
            code = ("tax", "output", "rd", "land")[k % 4]
            recorded = res.inputs.get(code) or 0
            objection = evaluation.objection_file(
                actor=office,
                run=run,
                enterprise=res.enterprise,
                input_code=code,
                claimed_value=round(recorded * (0.6 if code == "land" else 2.0), 2),
                reason="统计口径遗漏部分数据" if k % 2 else "用地面积含代征道路，应扣除",
                evidence=f"{year}年度审计报告、完税证明（编号 {res.enterprise_id}）",
                today=start + dt.timedelta(days=1),
            )
            evaluation.objection_rule(
                actor=office,
                objection=objection,
                uphold=k % 3 != 2,
                ruling="经核实材料属实，予以更正" if k % 3 != 2 else "所附材料不能证明主张，维持原数据",
                today=start + dt.timedelta(days=4),
            )
        latest = evaluation.run_finalize(actor=office, run=run, today=start + dt.timedelta(days=20))
    if latest is not None:
        evaluation.scheme_copy(
            actor=office, scheme=latest.scheme, name=f"{latest.year}年度评价办法（调整稿）"
        )


def generate(ctx: DemoContext) -> None:
    """Parks' profiles, parcels, contracts, buildings, leases, idle items and per-mu results."""
    if not ctx.parks:
        return
    rng = ctx.np_rng
    today = timezone.localdate()
    _profiles(ctx)
    parcels = _parcels(ctx, rng, today)
    _contracts(parcels, rng, today)
    standard = _buildings(ctx, parcels, rng, today)
    _idle(ctx, parcels, standard, rng, today)
    _evaluations(ctx, rng, today)
