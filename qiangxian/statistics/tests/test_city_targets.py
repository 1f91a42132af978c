"""A city office sets its counties' annual targets; the counties read them labelled, unchanged."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qiangxian.core.tests.counties import build_city
from qiangxian.statistics import services
from qiangxian.statistics.models import Target

LABEL = "市级目标（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def _county(city, key):
    return city["counties"][key]["county"]


def test_the_city_office_sets_a_countys_target_through_the_page(client, city):
    a = _county(city, "a")
    client.force_login(city["users"]["city_office"])
    page = client.get(reverse("statistics:targets"), {"month": "2026-03"})
    assert page.status_code == 200
    assert f'value="county:{a.pk}"' in page.content.decode()
    response = client.post(
        reverse("statistics:targets") + "?month=2026-03",
        {
            "indicator": "gross_output",
            "year": "2026",
            "value_yi": "5",
            "scope": f"county:{a.pk}",
            "above_only": "on",
            "note": "测试市下达甲县产值目标",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    target = Target.objects.get(note="测试市下达甲县产值目标")
    assert (target.scope_kind, target.scope_id, target.value) == ("county", a.pk, D(500_000_000))
    # County A's office reads it labelled as the city's; county B's does not see it.
    client.force_login(city["users"]["a_office"])
    assert LABEL in client.get(reverse("statistics:targets"), {"month": "2026-03"}).content.decode()
    client.force_login(city["users"]["b_office"])
    assert (
        "测试市下达甲县产值目标"
        not in client.get(reverse("statistics:targets"), {"month": "2026-03"}).content.decode()
    )


def test_the_city_office_sets_no_towns_target_and_changes_no_countys(city):
    office = city["users"]["city_office"]
    town = city["counties"]["a"]["town"]
    with pytest.raises(ValidationError):
        services.target_save(
            actor=office, indicator="gross_output", year=2026, value=D(1), scope_kind="town", scope_id=town.pk
        )
    own = Target.objects.filter(issuer=_county(city, "a")).first()
    assert own is not None
    with pytest.raises(PermissionDenied):
        services.target_save(
            actor=office,
            target=own,
            indicator=own.indicator,
            year=own.year,
            value=D(9),
            scope_kind="county",
            scope_id=_county(city, "a").pk,
        )


def test_the_city_leader_and_a_county_office_cannot_set_the_citys_target(client, city):
    a = _county(city, "a")
    target = services.target_save(
        actor=city["users"]["city_office"],
        indicator="gross_output",
        year=2026,
        value=D(500_000_000),
        scope_kind="county",
        scope_id=a.pk,
    )
    with pytest.raises(PermissionDenied):
        services.target_save(
            actor=city["users"]["city_leader"],
            indicator="gross_output",
            year=2026,
            value=D(1),
            scope_kind="county",
            scope_id=a.pk,
        )
    with pytest.raises(PermissionDenied):
        services.target_save(
            actor=city["users"]["a_office"],
            target=target,
            indicator="gross_output",
            year=2026,
            value=D(1),
            scope_kind="county",
            scope_id=a.pk,
        )
    client.force_login(city["users"]["city_leader"])
    page = client.get(reverse("statistics:targets"), {"month": "2026-03"}).content.decode()
    assert "保存目标" not in page
