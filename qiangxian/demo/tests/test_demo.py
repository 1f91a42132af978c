"""The demo county: deterministic, shaped like the county in MISSION.md, valid codes."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.demo.generator import generate_demo
from qiangxian.demo.steps_enterprises import size_ladder
from qiangxian.enterprises.industry import validate_industry_code
from qiangxian.enterprises.models import Enterprise
from qiangxian.enterprises.uscc import validate_uscc

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Enterprise.objects.order_by("uscc").values_list(
            "uscc", "name", "town__name", "park__name", "industry_code", "above_scale"
        )
    )


def _generate_and_snapshot(seed: int):
    # Generate inside a transaction that is rolled back, so each run starts from an empty database.
    with transaction.atomic():
        generate_demo(seed=seed, enterprises=300, password="Demo-pass-2026")
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_same_seed_gives_the_same_county():
    first = _generate_and_snapshot(7)
    assert Enterprise.objects.count() == 0
    assert _generate_and_snapshot(7) == first
    assert _generate_and_snapshot(8) != first


def test_default_county_shape():
    ctx = generate_demo(seed=20260101, enterprises=1500, password="Demo-pass-2026")
    assert OrgUnit.objects.filter(kind=OrgUnitKind.TOWN).count() == 12
    parks = OrgUnit.objects.filter(kind=OrgUnitKind.PARK)
    assert parks.count() == 3
    assert (
        sorted(OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).values_list("parent__name", flat=True))
        == ["青山工业园区"] * 3
    )
    assert Enterprise.objects.count() == 1500
    above = Enterprise.objects.filter(above_scale=True).count()
    assert 130 <= above <= 170
    revenues = sorted(ctx.latent_revenue.values(), reverse=True)
    assert sum(r >= 1e8 for r in revenues) in range(40, 61)
    assert sum(r >= 1e9 for r in revenues) == 1
    # Output concentrates in the parks, as the county's figures say (83% of above-scale output).
    in_park = set(
        Enterprise.objects.filter(park__isnull=False, above_scale=True).values_list("pk", flat=True)
    )
    above_total = sum(r for pk, r in ctx.latent_revenue.items() if r >= 2e7)
    park_total = sum(r for pk, r in ctx.latent_revenue.items() if pk in in_park)
    assert 0.75 <= park_total / above_total <= 0.90
    # One account per role under the documented names; later steps may add liaison officials.
    assert {u.username for u in User.objects.all()} >= {
        "admin",
        "leader",
        "office",
        "bureau",
        "park",
        "town",
        "enterprise",
    }
    assert {u.role for u in User.objects.all()} == {r.value for r in Role}
    demo_roles = dict(
        User.objects.filter(username__in=[r.value for r in Role]).values_list("username", "role")
    )
    assert demo_roles == {r.value: r.value for r in Role}


def test_every_code_and_industry_is_valid():
    generate_demo(seed=3, enterprises=400, password="Demo-pass-2026")
    for uscc, industry in Enterprise.objects.values_list("uscc", "industry_code"):
        result = validate_uscc(uscc)
        assert result.ok, (uscc, result.errors)
        assert validate_industry_code(industry)[0], industry


def test_demo_users_log_in_with_the_demo_password(client):
    generate_demo(seed=1, enterprises=50, password="Demo-pass-2026")
    for username in ("admin", "leader", "town", "enterprise"):
        response = client.post("/login/", {"username": username, "password": "Demo-pass-2026"})
        assert response.status_code == 302, username
        client.logout()


def test_enterprise_user_is_placed_in_its_enterprise():
    generate_demo(seed=1, enterprises=200, password="Demo-pass-2026")
    user = User.objects.get(username="enterprise")
    enterprise = Enterprise.objects.get(org_unit=user.org_unit)
    assert enterprise.town.name == "城关镇"


def test_the_enterprise_account_lands_on_a_portal_with_content(client):
    generate_demo(seed=1, enterprises=50, password="Demo-pass-2026")
    client.force_login(User.objects.get(username="enterprise"))
    assert client.get("/").url == "/portal/"
    page = client.get("/portal/").content.decode()
    assert "符合</span>" in page  # a matched policy
    assert "暂无诉求" not in page and "暂无走访记录" not in page
    assert "专精特新中小企业申报评价数据" in page  # the office's data request


def test_size_ladder_scales_with_n():
    import numpy as np

    ladder = size_ladder(20000, np.random.default_rng(1))
    assert len(ladder) == 20000
    assert abs((ladder >= 2e7).sum() - 2000) <= 5
    assert list(ladder) == sorted(ladder, reverse=True)


def test_command_refuses_a_non_empty_database():
    call_command("demo", "--enterprises", "20", "--seed", "2")
    call_command("demo", "--if-empty")  # silently skips
    with pytest.raises(CommandError):
        call_command("demo")


def test_a_city_of_two_counties_keeps_them_apart():
    from qiangxian.core.access import scope_of
    from qiangxian.core.models import User
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.projects.models import Project

    generate_demo(seed=1, enterprises=30, password="Demo-pass-2026", counties=2)
    city_leader = User.objects.get(username="city_leader")
    first, second = User.objects.get(username="leader"), User.objects.get(username="leader2")
    assert len(scope_of(city_leader).counties) == 2
    assert scope_of(first).counties != scope_of(second).counties
    assert Enterprise.objects.visible_to(city_leader).count() == 60
    assert Enterprise.objects.visible_to(first).count() == 30
    assert Enterprise.objects.visible_to(second).count() == 30
    # The projects (made in bulk) belong to the first county and show there only.
    assert not Project.objects.filter(county__isnull=True).exists()
    assert Project.objects.visible_to(first).count() == Project.objects.count()
    assert Project.objects.visible_to(second).count() == 0
    # The city office's routing rules name bureaus: each county's demands go to its own bureau.
    from qiangxian.service.models import RoutingRule
    from qiangxian.service.services.demands import rule_units

    rules = RoutingRule.objects.filter(county=city_leader.org_unit)
    assert rules.exists() and not RoutingRule.objects.exclude(county=city_leader.org_unit).exists()
    for user in (first, second):
        county = user.org_unit.county_id
        for rule in rules:
            lead, supporting = rule_units(rule, county)
            assert lead is not None and lead.county_id == county
            assert all(unit.county_id == county for unit in supporting)
