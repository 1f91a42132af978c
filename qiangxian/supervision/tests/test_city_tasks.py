"""A city office assigns the city's own tasks (led by its units) and follows them; its counties
read them labelled; nobody changes another level's task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.tests.counties import build_city
from qiangxian.supervision import services
from qiangxian.supervision.models import Task

LABEL = "市级督办事项（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    from qiangxian.core.models import OrgUnit

    data = build_city(django_user_model)
    data["office_unit"] = OrgUnit.objects.get(parent=data["city"], kind=OrgUnitKind.OFFICE)
    return data


def test_the_city_office_assigns_and_extends_a_city_task_through_the_page(client, city):
    office_unit = city["office_unit"]
    client.force_login(city["users"]["city_office"])
    listing = client.get(reverse("supervision:task_list")).content.decode()
    assert reverse("supervision:task_create") in listing
    assert reverse("supervision:draft") not in listing  # drafting from a county's file stays the county's
    form = client.get(reverse("supervision:task_create")).content.decode()
    assert f'value="{office_unit.pk}"' in form
    assert f'value="{city["counties"]["a"]["bureau"].pk}"' not in form
    response = client.post(
        reverse("supervision:task_create"),
        {
            "title": "测试市技改攻坚任务",
            "lead_unit": office_unit.pk,
            "starts_on": "2026-01-01",
            "deadline": "2026-12-31",
            "source_kind": "instruction",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    task = Task.objects.get(title="测试市技改攻坚任务")
    detail = client.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert reverse("supervision:task_edit", args=[task.pk]) in detail
    changed = services.task_update(
        actor=city["users"]["city_office"],
        task=task,
        expected_updated_at=task.updated_at,
        deadline=dt.date(2027, 3, 31),
    )
    assert changed.deadline == dt.date(2027, 3, 31)
    # County A's office follows it labelled, with no button to change it.
    client.force_login(city["users"]["a_office"])
    detail = client.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert LABEL in detail and reverse("supervision:task_edit", args=[task.pk]) not in detail
    assert client.get(reverse("supervision:task_edit", args=[task.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.task_update(actor=city["users"]["a_office"], task=task, deadline=dt.date(2027, 6, 30))


def test_the_city_office_neither_assigns_a_county_unit_nor_changes_a_countys_task(client, city):
    office = city["users"]["city_office"]
    bureau = city["counties"]["a"]["bureau"]
    with pytest.raises(ValidationError) as caught:
        services.task_create(
            actor=office, title="市里派给县局", lead_unit=bureau, deadline=dt.date(2026, 12, 31)
        )
    assert caught.value.message_dict["lead_unit"] == ["牵头单位应为本级单位。"]
    county_task = Task.objects.filter(lead_unit__county=city["counties"]["a"]["county"]).first()
    assert county_task is not None
    with pytest.raises(PermissionDenied):
        services.task_update(actor=office, task=county_task, deadline=dt.date(2027, 12, 31))
    client.force_login(office)
    detail = client.get(reverse("supervision:task_detail", args=[county_task.pk])).content.decode()
    assert reverse("supervision:task_edit", args=[county_task.pk]) not in detail
    assert client.get(reverse("supervision:task_edit", args=[county_task.pk])).status_code == 403


def test_the_city_leader_assigns_nothing(client, city):
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=city["users"]["city_leader"],
            title="市领导任务",
            lead_unit=city["office_unit"],
            deadline=dt.date(2026, 12, 31),
            source_kind="instruction",
        )
    client.force_login(city["users"]["city_leader"])
    assert (
        reverse("supervision:task_create")
        not in client.get(reverse("supervision:task_list")).content.decode()
    )
    assert client.get(reverse("supervision:task_create")).status_code == 403
