"""Demo step: the county's org units and one user per role."""

from __future__ import annotations

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User

from .context import DemoContext
from .names import BUREAUS, COUNTY_NAME, PARKS, TOWNS

LABEL = "单位与演示账号"


def _unit(ctx: DemoContext, name: str, kind: str, parent, order: int = 0) -> OrgUnit:
    unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, sort_order=order)
    ctx.units[name] = unit
    return unit


def generate(ctx: DemoContext) -> None:
    """Create the county, bureaus, the office, towns, parks with zones, and the demo users."""
    county = _unit(ctx, COUNTY_NAME, OrgUnitKind.COUNTY, None)
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
        ("leader", "李县长", Role.LEADER, county),
        ("office", "王主任", Role.OFFICE, office),
        ("bureau", "赵科长", Role.BUREAU, ctx.bureaus["投促局"]),
        ("park", "陈主任", Role.PARK, ctx.units["青山工业园区"]),
        ("town", "刘镇长", Role.TOWN, ctx.units["城关镇"]),
        ("security", "安全管理员", Role.SECURITY, ctx.bureaus["经信局"]),
        ("auditor", "审计管理员", Role.AUDITOR, ctx.bureaus["经信局"]),
    ]
    for username, name, role, unit in people:
        user = User(
            username=username,
            display_name=name,
            role=role,
            org_unit=unit,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(ctx.password)
        user.save()
        ctx.users[username] = user
