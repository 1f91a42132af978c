"""Writes of units, users and tokens: rules enforced before anything is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core import services
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_zone_must_hang_under_a_park(county, users):
    town = county["units"]["甲镇"]
    with pytest.raises(ValidationError) as info:
        services.org_unit_create(actor=users["office"], name="错片区", kind=OrgUnitKind.ZONE, parent=town)
    assert "园区" in str(info.value)
    assert not OrgUnit.objects.filter(name="错片区").exists()


def test_zone_under_park_is_created_with_history(county, users):
    park = county["units"]["工业园"]
    zone = services.org_unit_create(actor=users["office"], name="北片区", kind=OrgUnitKind.ZONE, parent=park)
    record = zone.history.get()
    assert record.history_user == users["office"]
    assert record.history_type == "+"


def test_unit_cannot_become_its_own_ancestor(county, users):
    park = county["units"]["工业园"]
    zone = county["units"]["东片区"]
    with pytest.raises(ValidationError):
        services.org_unit_update(actor=users["admin"], unit=park, parent=zone)


@pytest.mark.parametrize("role", ["leader", "bureau", "park", "town", "enterprise"])
def test_only_office_and_admin_manage_units(county, users, role):
    with pytest.raises(PermissionDenied):
        services.org_unit_create(
            actor=users[role], name="新局", kind=OrgUnitKind.BUREAU, parent=county["units"]["测试县"]
        )


def test_user_role_must_fit_unit(county, users):
    with pytest.raises(ValidationError) as info:
        services.user_create(
            actor=users["office"],
            username="x1",
            display_name="某人",
            role=Role.TOWN,
            org_unit=county["units"]["统计局"],
            password="Strong-pass-2026",
        )
    assert "乡镇" in str(info.value)
    assert not User.objects.filter(username="x1").exists()


def test_weak_password_is_refused(county, users):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=users["office"],
            username="x2",
            display_name="某人",
            role=Role.TOWN,
            org_unit=county["units"]["甲镇"],
            password="12345678",
        )
    assert not User.objects.filter(username="x2").exists()


def test_office_cannot_create_admins(county, users):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=users["office"],
            username="x3",
            display_name="某人",
            role=Role.ADMIN,
            org_unit=county["units"]["经信局"],
            password="Strong-pass-2026",
        )


def test_user_create_and_update_keep_history(county, users):
    user = services.user_create(
        actor=users["admin"],
        username="x4",
        display_name="张三",
        role=Role.TOWN,
        org_unit=county["units"]["甲镇"],
        password="Strong-pass-2026",
    )
    services.user_update(actor=users["admin"], user=user, org_unit=county["units"]["乙镇"])
    records = list(user.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[-1].org_unit_id == county["units"]["乙镇"].pk
    assert user.check_password("Strong-pass-2026")


def test_token_round_trip_and_revoke(users):
    token, key = services.api_token_create(actor=users["town"], name="对接")
    assert key not in (token.key_hash, token.prefix)
    assert services.api_token_user(key) == users["town"]
    services.api_token_revoke(actor=users["town"], token=token)
    assert services.api_token_user(key) is None
    assert services.api_token_user("qx_not-a-token") is None
