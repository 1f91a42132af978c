"""The settings pages of every app let a city office save its level's row: the counties below
without a row of their own then read it, a county with its own keeps it, and a county of
another city is not touched. County offices still save their own county's row."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from qiangxian.core.choices import OrgUnitKind, Role

from .counties import build_city


@pytest.fixture
def city(db, django_user_model):
    data = build_city(django_user_model)
    from qiangxian.core.models import OrgUnit

    other_city = OrgUnit.objects.create(name="邻市", kind=OrgUnitKind.CITY)
    data["other_county"] = OrgUnit.objects.create(name="丙县", kind=OrgUnitKind.COUNTY, parent=other_city)
    return data


def _form_data(form_class, row, **changes) -> dict:
    form = form_class(instance=row)
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def _pages():
    from qiangxian.projects.forms import SettingsForm as ProjectForm
    from qiangxian.projects.models import ProjectSettings
    from qiangxian.statistics.forms import SettingsForm as MonitorForm
    from qiangxian.statistics.models import MonitorSettings
    from qiangxian.supervision.forms import SettingsForm as SupervisionForm
    from qiangxian.supervision.models import SupervisionSettings

    return [
        (MonitorSettings, MonitorForm, "/statistics/settings/", {}, "stalled_months", 7),
        (SupervisionSettings, SupervisionForm, "/supervision/settings/", {}, "report_day", 13),
        (ProjectSettings, ProjectForm, "/projects/settings/", {"action": "settings"}, "pace_yellow_pp", D(6)),
    ]


@pytest.mark.parametrize("index", range(3))
def test_a_city_office_saves_its_levels_settings_on_the_page(city, client, index):
    model, form_class, url, extra, field, value = _pages()[index]
    a, b = city["counties"]["a"]["county"], city["counties"]["b"]["county"]
    other = city["other_county"]
    model.objects.filter(county=a).delete()
    b_row = model.own(b.pk)
    before_b, before_other = getattr(b_row, field), getattr(model.current(other.pk), field)
    assert before_b != value

    client.force_login(city["users"]["city_office"])
    page = client.get(url)
    assert page.status_code == 200
    data = _form_data(form_class, model.current(city["city"].pk), **{field: value}, **extra)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    city_row = model.objects.get(county=city["city"])
    assert getattr(city_row, field) == value
    assert model.current(a.pk).pk == city_row.pk  # A has none of its own: the city's apply
    assert getattr(model.current(b.pk), field) == before_b  # B keeps its own
    assert getattr(model.current(other.pk), field) == before_other  # another city's county: untouched
    # A's office reads the city's values, told where they come from.
    client.force_login(city["users"]["a_office"])
    page = client.get(url).content.decode()
    assert "市级" in page and "测试市发布" in page


def test_the_city_leader_and_a_county_bureau_may_not_save_settings(city, client):
    for who in ("city_leader", "a_bureau"):
        client.force_login(city["users"][who])
        for url in ("/statistics/settings/", "/supervision/settings/", "/projects/settings/"):
            assert client.get(url).status_code in (403, 404), (who, url)
        assert client.post("/reports/settings/", {"auto_monthly": "1"}).status_code in (403, 404)


def test_a_city_office_switches_its_counties_monthly_report_on(city, client):
    from qiangxian.reports.models import ReportSettings

    a, b = city["counties"]["a"]["county"], city["counties"]["b"]["county"]
    other = city["other_county"]
    ReportSettings.objects.filter(county=a).delete()
    b_row = ReportSettings.own(b.pk)
    b_row.auto_monthly = False
    b_row.save()
    default = ReportSettings.default_row()
    default.auto_monthly = False
    default.save()

    client.force_login(city["users"]["city_office"])
    assert 'data-testid="settings-form"' in client.get("/reports/").content.decode()
    assert client.post("/reports/settings/", {"auto_monthly": "1"}).status_code == 302
    city_row = ReportSettings.objects.get(county=city["city"])
    assert city_row.auto_monthly
    assert ReportSettings.current(a.pk).pk == city_row.pk
    assert ReportSettings.current(b.pk).auto_monthly is False
    assert ReportSettings.current(other.pk).auto_monthly is False
    # County A's office turning it off makes A's own row; the city's stays on.
    client.force_login(city["users"]["a_office"])
    assert "测试市发布" in client.get("/reports/").content.decode()
    assert client.post("/reports/settings/", {"auto_monthly": "0"}).status_code == 302
    assert ReportSettings.current(a.pk).county_id == a.pk
    assert ReportSettings.current(a.pk).auto_monthly is False
    assert ReportSettings.objects.get(county=city["city"]).auto_monthly


def test_a_county_office_still_saves_its_own_countys_row(city, client):
    from qiangxian.reports.models import ReportSettings

    a = city["counties"]["a"]["county"]
    assert city["users"]["a_office"].role == Role.OFFICE
    client.force_login(city["users"]["a_office"])
    client.post("/reports/settings/", {"auto_monthly": "1"})
    assert ReportSettings.current(a.pk).county_id == a.pk
    assert not ReportSettings.objects.filter(county=city["city"]).exists()
