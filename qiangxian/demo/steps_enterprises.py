"""Demo step: about 1,500 enterprises with plausible names, valid codes and a realistic size ladder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from simple_history.utils import bulk_create_with_history

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.enterprises.choices import LandTenure, OperatingStatus
from qiangxian.enterprises.models import Cluster, Enterprise
from qiangxian.enterprises.services import cluster_sync_memberships, pinyin_initials
from qiangxian.enterprises.uscc import make_uscc

from .context import DemoContext
from .names import CLUSTERS, GIVEN, PARK_TOWNS, SURNAMES, TOWNS, TRADE_NAMES, county_name, region_code

ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ABOVE_SCALE_THRESHOLD = 20_000_000
STREETS = ["工业大道", "青山路", "滨河路", "创业路", "兴业大道"]

LABEL = "企业名录"


def size_ladder(n: int, np_rng: np.random.Generator) -> np.ndarray:
    """Annual revenue (yuan), largest first, shaped like the county in MISSION.md.

    For 1,500 firms: one above 10亿, about 50 above 1亿, about 150 above the 2000万 threshold.
    The shares scale with n so a province-size run keeps the same shape.
    """
    n_above = max(1, round(n * 0.10))
    n_yi = max(1, round(n * 0.033))
    top = np.array([1.25e9])
    yi = np.sort(np.exp(np_rng.uniform(np.log(1.0e8), np.log(6.5e8), n_yi - 1)))[::-1]
    mid = np.sort(np.exp(np_rng.uniform(np.log(2.05e7), np.log(0.97e8), max(0, n_above - n_yi))))[::-1]
    small = np.sort(np.exp(np_rng.uniform(np.log(5.0e5), np.log(1.95e7), max(0, n - n_above))))[::-1]
    return np.concatenate([top, yi, mid, small])[:n]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def generate(ctx: DemoContext) -> None:
    """Create the enterprises and the demo enterprise user."""
    rng = ctx.rng
    revenues = size_ladder(ctx.n_enterprises, ctx.np_rng)
    towns = {t.name: t for t in ctx.towns}
    parks = {p.name: p for p in ctx.parks}
    cluster_names = list(CLUSTERS)
    cluster_weights = [0.34, 0.18, 0.10, 0.10, 0.16, 0.12]
    used_names: set[str] = set()
    used_codes: set[str] = set()
    rows: list[Enterprise] = []
    for index in range(ctx.n_enterprises):
        revenue = float(revenues[index])
        cluster = rng.choices(cluster_names, cluster_weights)[0]
        classes, words = CLUSTERS[cluster]
        # Large firms sit in the parks: that is where the county's output concentrates.
        in_park = rng.random() < (0.85 if revenue >= ABOVE_SCALE_THRESHOLD else 0.30)
        park = zone = None
        if in_park:
            park_name = rng.choices(list(parks), [0.7, 0.15, 0.15])[0]
            park = parks[park_name]
            town = towns[rng.choice(PARK_TOWNS[park_name])]
            if ctx.zones.get(park.pk):
                zone = rng.choice(ctx.zones[park.pk])
        else:
            town = towns[rng.choice(TOWNS)]
        place = rng.choice(["青山", town.name[:2], "赣青", "华东", "江南"])
        while True:
            trade = "".join(rng.sample(TRADE_NAMES, 2))
            name = f"{place}{trade}{rng.choice(words)}有限公司"
            if ctx.n_enterprises > 20000:
                name = f"{place}{trade}{rng.choice(words)}{index}有限公司"
            if name not in used_names:
                used_names.add(name)
                break
        while True:
            body = "".join(rng.choice(ORG_CODE_CHARS) for _ in range(8))
            code = make_uscc("9", "1", region_code(ctx.county_index), body)
            if code not in used_codes:
                used_codes.add(code)
                break
        age = rng.randint(1, 25) if revenue >= ABOVE_SCALE_THRESHOLD else rng.randint(0, 20)
        established = dt.date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))
        status = OperatingStatus.OPERATING
        roll = rng.random()
        if revenue < ABOVE_SCALE_THRESHOLD and roll < 0.03:
            status = OperatingStatus.SUSPENDED
        elif roll < 0.05:
            status = OperatingStatus.PARTIAL
        land = Decimal(str(round(max(3.0, revenue / 1.2e6 * rng.uniform(0.6, 1.4)), 1)))
        rows.append(
            Enterprise(
                uscc=code,
                name=name,
                short_name=name.replace("有限公司", "")[-6:],
                pinyin_initials=pinyin_initials(name),
                legal_representative=_person(rng),
                established_on=established,
                registered_address=f"江西省{county_name(ctx.county_index)}{town.name}"
                f"{rng.choice(STREETS)}{rng.randint(1, 399)}号",
                production_address="",
                town=town,
                park=park,
                zone=zone,
                industry_code=rng.choice(classes),
                status=status,
                above_scale=revenue >= ABOVE_SCALE_THRESHOLD,
                land_area_mu=land if in_park or revenue >= ABOVE_SCALE_THRESHOLD else None,
                land_tenure=(LandTenure.OWNED if revenue >= 5e7 else LandTenure.LEASED)
                if in_park
                else LandTenure.NONE,
            )
        )
    created = bulk_create_with_history(
        rows, Enterprise, batch_size=2000, default_change_reason="演示数据生成"
    )
    # bulk_create on SQLite may not return ids on every backend version: read them back by code.
    ids = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in created]).values_list("uscc", "pk"))
    for enterprise, revenue in zip(rows, revenues, strict=True):
        pk = ids[enterprise.uscc]
        ctx.enterprise_ids.append(pk)
        ctx.latent_revenue[pk] = float(revenue)

    for order, (cluster_name, (classes, _)) in enumerate(CLUSTERS.items()):
        # In a city the clusters are the city's, shared by its counties: made once.
        cluster = Cluster.objects.filter(name=cluster_name).first() or Cluster.objects.create(
            name=cluster_name, industry_codes=classes, sort_order=order, issuer=ctx.city
        )
        cluster_sync_memberships(cluster=cluster)

    # The demo enterprise account: an above-scale firm of 城关镇 in the industrial park.
    chengguan = towns["城关镇"]
    target = (
        Enterprise.objects.filter(town=chengguan, park__name="青山工业园区", above_scale=True)
        .order_by("pk")
        .first()
        or Enterprise.objects.filter(town=chengguan).order_by("pk").first()
    )
    if target is None:
        return
    unit = OrgUnit.objects.create(name=target.name, kind=OrgUnitKind.ENTERPRISE, parent=target.town)
    target.org_unit = unit
    target.save(update_fields=["org_unit"])
    user = User(
        username="enterprise" + ctx.suffix, display_name=_person(rng), role=Role.ENTERPRISE, org_unit=unit
    )
    user.set_password(ctx.password)
    user.save()
    ctx.users["enterprise"] = user
