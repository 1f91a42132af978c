"""Demo step: the county's org units and one user per role."""

from __future__ import annotations

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User

from .context import DemoContext
from .names import BUREAUS, PARKS, TOWNS, county_name

LABEL = "单位与演示账号"


def _unit(ctx: DemoContext, name: str, kind: str, parent, order: int = 0) -> OrgUnit:
    unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, sort_order=order)
    ctx.units[name] = unit
    return unit


def generate(ctx: DemoContext) -> None:
    """Create the county, bureaus, the office, towns, parks with zones, and the demo users."""
    county = _unit(ctx, county_name(ctx.county_index), OrgUnitKind.COUNTY, ctx.city, ctx.county_index)
    ctx.county = county
    for i, name in enumerate(BUREAUS):
        ctx.bureaus[name] = _unit(ctx, name, OrgUnitKind.BUREAU, county, i)
    office = _unit(ctx, "工业强县领导小组办公室", OrgUnitKind.OFFICE, ctx.bureaus["经信局"])
    ctx.towns = [_unit(ctx, name, OrgUnitKind.TOWN, county, i) for i, name in enumerate(TOWNS)]
    for i, (park_name, zone_names) in enumerate(PARKS.items()):
        park = _unit(ctx, park_name, OrgUnitKind.PARK, county, i)
        ctx.parks.append(park)
        ctx.zones[park.pk] = [_unit(ctx, z, OrgUnitKind.ZONE, park, j) for j, z in enumerate(zone_names)]

    people = [
        ("admin", "系统管理员", Role.ADMIN, ctx.bureaus["经信局"]),
        ("leader", "李县长" if ctx.county_index == 1 else f"{county.name}县长", Role.LEADER, county),
        ("office", "王主任", Role.OFFICE, office),
        ("bureau", "赵科长", Role.BUREAU, ctx.bureaus["投促局"]),
        ("park", "陈主任", Role.PARK, ctx.units["青山工业园区"]),
        ("town", "刘镇长", Role.TOWN, ctx.units["城关镇"]),
        ("security", "安全管理员", Role.SECURITY, ctx.bureaus["经信局"]),
        ("auditor", "审计管理员", Role.AUDITOR, ctx.bureaus["经信局"]),
    ]
    for username, name, role, unit in people:
        user = User(
            username=username + ctx.suffix,
            display_name=name,
            role=role,
            org_unit=unit,
            is_staff=role == Role.ADMIN and ctx.county_index == 1,
            is_superuser=role == Role.ADMIN and ctx.county_index == 1,
        )
        user.set_password(ctx.password)
        user.save()
        ctx.users[username] = user


def generate_city(ctx: DemoContext, counties: int) -> object:
    """The demo city above the counties, its office and the city leader and office accounts."""
    from .names import CITY_NAME

    city = OrgUnit.objects.create(name=CITY_NAME, kind=OrgUnitKind.CITY)
    office = OrgUnit.objects.create(name="工业强市领导小组办公室", kind=OrgUnitKind.OFFICE, parent=city)
    for username, name, role, unit in (
        ("city_leader", "周市长", Role.LEADER, city),
        ("city_office", "吴主任", Role.OFFICE, office),
    ):
        user = User(username=username, display_name=name, role=role, org_unit=unit)
        user.set_password(ctx.password)
        user.save()
        ctx.users[username] = user
    return city
