"""Per-mu schemes issued by a city (or province) apply to the counties below that have adopted
none of their own for the year: the county grades its own enterprises with it, reads it without
changing it, and may copy it into a draft of its own. Versions are numbered within the issuing
unit; a county of another city never sees or uses the scheme."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.tests.counties import PASSWORD, build_city
from qiangxian.land.choices import RunKind, SchemeStatus
from qiangxian.land.models import Scheme
from qiangxian.land.services import evaluation as services


@pytest.fixture
def city(db, django_user_model):
    data = build_city(django_user_model)
    from qiangxian.core.models import OrgUnit

    other_city = OrgUnit.objects.create(name="邻市", kind=OrgUnitKind.CITY)
    other = OrgUnit.objects.create(name="丙县", kind=OrgUnitKind.COUNTY, parent=other_city)
    office = django_user_model(username="c_office", role=Role.OFFICE, org_unit=other)
    office.set_password(PASSWORD)
    office.save()
    data["other_county"], data["users"]["c_office"] = other, office
    # County A has adopted no scheme of its own: whatever its city issues applies to it.
    Scheme.objects.filter(county=data["counties"]["a"]["county"]).delete()
    return data


def _city_scheme(city, year=2025) -> Scheme:
    office = city["users"]["city_office"]
    scheme = services.scheme_create(actor=office, year=year)
    return services.scheme_adopt(actor=office, scheme=scheme)


def test_a_county_without_its_own_scheme_evaluates_with_its_citys(city):
    a, b = city["counties"]["a"]["county"], city["counties"]["b"]["county"]
    assert services.applicable_scheme(a.pk, 2025) is None
    scheme = _city_scheme(city)
    assert (scheme.county_id, scheme.version) == (city["city"].pk, 1)
    assert services.applicable_scheme(a.pk, 2025).pk == scheme.pk
    # B has its own adopted scheme; a county of another city has none.
    assert services.applicable_scheme(b.pk, 2025).county_id == b.pk
    assert services.applicable_scheme(city["other_county"].pk, 2025) is None

    run = services.run_create(actor=city["users"]["a_office"], scheme=scheme)
    assert run.county_id == a.pk and run.scheme_id == scheme.pk
    graded = set(run.results.values_list("enterprise_id", flat=True))
    a_firms = {e.pk for e in city["counties"]["a"]["enterprises"]}
    assert graded and graded <= a_firms
    # B has its own scheme for the year: it may not grade with the city's instead.
    with pytest.raises(ValidationError, match="本县已启用"):
        services.run_create(actor=city["users"]["b_office"], scheme=scheme)
    # Another city's county may not use it at all.
    with pytest.raises(ValidationError, match="不适用于本县"):
        services.run_create(actor=city["users"]["c_office"], scheme=scheme)


def test_a_province_scheme_applies_where_neither_county_nor_city_issued_one(city):
    from qiangxian.core.models import OrgUnit

    a = city["counties"]["a"]["county"]
    province = OrgUnit.objects.create(name="测试省", kind=OrgUnitKind.PROVINCE)
    city["city"].parent = province
    city["city"].save()
    provincial = Scheme.objects.create(
        county=province, year=2025, name="省级办法", status=SchemeStatus.ADOPTED
    )
    assert services.applicable_scheme(a.pk, 2025).pk == provincial.pk
    by_city = _city_scheme(city)
    assert services.applicable_scheme(a.pk, 2025).pk == by_city.pk
    # The latest adopted version of the nearest level applies.
    second = services.scheme_adopt(
        actor=city["users"]["city_office"],
        scheme=services.scheme_copy(actor=city["users"]["city_office"], scheme=by_city),
    )
    assert second.version == 2 and services.applicable_scheme(a.pk, 2025).pk == second.pk


def test_only_the_issuing_office_changes_a_scheme_and_a_county_copies_it_into_its_own(city):
    scheme = _city_scheme(city)
    a_office, city_office = city["users"]["a_office"], city["users"]["city_office"]
    draft = services.scheme_copy(actor=city_office, scheme=scheme)
    assert (draft.county_id, draft.version) == (city["city"].pk, 2)
    for act in (
        lambda: services.scheme_adopt(actor=a_office, scheme=draft),
        lambda: services.scheme_save_weights(actor=a_office, scheme=draft, weights={}, bands={}),
        lambda: services.adjustment_add(actor=a_office, scheme=draft, kind="bonus", name="x", points=1),
        lambda: services.scheme_adopt(actor=city["users"]["city_leader"], scheme=draft),
    ):
        with pytest.raises(PermissionDenied):
            act()
    # Runs are a county's work: the city office issues, it does not grade.
    with pytest.raises(PermissionDenied):
        services.run_create(actor=city_office, scheme=scheme)
    own = services.scheme_copy(actor=a_office, scheme=scheme)
    a = city["counties"]["a"]["county"]
    assert (own.county_id, own.version, own.based_on_id) == (a.pk, 1, scheme.pk)
    services.scheme_adopt(actor=a_office, scheme=own)
    assert services.applicable_scheme(a.pk, 2025).pk == own.pk
    assert services.applicable_scheme(city["counties"]["b"]["county"].pk, 2025).county_id != a.pk


def test_who_reads_which_schemes(city):
    from qiangxian.land import selectors

    scheme = _city_scheme(city)
    draft = services.scheme_copy(actor=city["users"]["city_office"], scheme=scheme)
    b_scheme = Scheme.objects.get(county=city["counties"]["b"]["county"])
    users = city["users"]
    a_sees = set(selectors.schemes(users["a_leader"]).values_list("pk", flat=True))
    assert scheme.pk in a_sees and draft.pk not in a_sees and b_scheme.pk not in a_sees
    assert scheme.pk not in set(selectors.schemes(users["c_office"]).values_list("pk", flat=True))
    city_own = set(selectors.own_level_schemes(users["city_office"]).values_list("pk", flat=True))
    assert city_own == {scheme.pk, draft.pk}
    run = services.run_create(actor=users["a_office"], scheme=scheme)
    assert selectors.runs(user=users["a_leader"]).filter(pk=run.pk).exists()
    assert not selectors.runs(user=users["b_leader"]).filter(pk=run.pk).exists()
    assert selectors.runs(user=users["city_leader"]).filter(pk=run.pk).exists()
    per_mu = selectors.county_per_mu(user=users["city_leader"], counties=[city["counties"]["a"]["county"].pk])
    assert per_mu[city["counties"]["a"]["county"].pk]["year"] == 2025


def test_scheme_pages_label_the_city_scheme_and_keep_it_read_only_for_a_county(city, client):
    scheme = _city_scheme(city)
    client.force_login(city["users"]["a_office"])
    page = client.get("/land/schemes/").content.decode()
    assert "市级方案（测试市发布）" in page and "本县适用" in page and "乙县" not in page
    detail = client.get(f"/land/schemes/{scheme.pk}/").content.decode()
    assert "市级方案（测试市发布）" in detail and "复制为本级草稿" in detail
    assert 'value="adopt"' not in detail
    # Copying from the page makes a draft of county A's own.
    response = client.post(f"/land/schemes/{scheme.pk}/", {"action": "copy"})
    own = Scheme.objects.get(county=city["counties"]["a"]["county"])
    assert response.status_code == 302 and own.status == SchemeStatus.DRAFT
    # The official run from the list grades county A with the city's scheme.
    response = client.post("/land/schemes/", {"scheme": scheme.pk})
    assert response.status_code == 302
    assert scheme.runs.get(kind=RunKind.OFFICIAL).county_id == city["counties"]["a"]["county"].pk


def test_a_city_office_creates_edits_and_adopts_its_scheme_on_the_pages(city, client):
    client.force_login(city["users"]["city_office"])
    assert client.post("/land/schemes/", {"action": "create", "year": "2026"}).status_code == 302
    draft = Scheme.objects.get(county=city["city"], year=2026)
    assert draft.status == SchemeStatus.DRAFT
    page = client.get("/land/schemes/").content.decode()
    assert "甲县" not in page and "乙县" not in page and draft.name in page
    sandbox = client.get(f"/land/sandbox/{draft.pk}/")
    assert sandbox.status_code == 200 and "保存调整" in sandbox.content.decode()
    # The city has no run to compare with: its office saves the draft's changes alone.
    from qiangxian.land.forms import SandboxForm

    form = SandboxForm(scheme=draft)
    data = {name: field.initial for name, field in form.fields.items()}
    first = draft.indicators.order_by("pk").first()
    changed = "average" if first.missing == "zero" else "zero"
    data[f"m{first.pk}"] = changed
    assert client.post(f"/land/sandbox/{draft.pk}/", data).status_code == 302
    first.refresh_from_db()
    assert first.missing == changed
    assert not draft.runs.exists()
    client.post(f"/land/schemes/{draft.pk}/", {"action": "adopt"})
    draft.refresh_from_db()
    assert draft.status == SchemeStatus.ADOPTED
    # County A now reads it; the other city's county does not.
    client.force_login(city["users"]["a_office"])
    assert client.get(f"/land/schemes/{draft.pk}/").status_code == 200
    client.force_login(city["users"]["c_office"])
    assert client.get(f"/land/schemes/{draft.pk}/").status_code == 404


def test_a_neighbours_frozen_year_does_not_lock_a_countys_records(city):
    import datetime as dt

    b_office, a_office = city["users"]["b_office"], city["users"]["a_office"]
    b_scheme = Scheme.objects.get(county=city["counties"]["b"]["county"])
    run = services.run_create(actor=b_office, scheme=b_scheme)
    services.run_publish(actor=b_office, run=run, start=dt.date(2026, 1, 5))
    services.run_finalize(actor=b_office, run=run, today=dt.date(2026, 3, 1))
    scheme = _city_scheme(city)
    name = scheme.adjustments.order_by("pk").first().name
    firm_a = city["counties"]["a"]["enterprises"][0]
    record = services.adjustment_record(
        actor=a_office, scheme=scheme, enterprise=firm_a, name=name, source="文件"
    )
    services.adjustment_record_delete(actor=a_office, record=record)  # A's 2025 is not frozen
    firm_b = city["counties"]["b"]["enterprises"][0]
    b_name = b_scheme.adjustments.order_by("pk").first().name
    record = services.adjustment_record(
        actor=b_office, scheme=b_scheme, enterprise=firm_b, name=b_name, source="文件"
    )
    with pytest.raises(ValidationError, match="已定档"):
        services.adjustment_record_delete(actor=b_office, record=record)


def test_a_new_scheme_records_who_created_it(city):
    """The creating office user is the author of the scheme and of every row written with it,
    called as a service (a job, the shell) as well as through a page."""
    office = city["users"]["city_office"]
    scheme = services.scheme_create(actor=office, year=2026)
    assert scheme.history.get().history_user_id == office.pk
    for rows in (scheme.indicators, scheme.bands, scheme.adjustments):
        authors = {h.history_user_id for row in rows.all() for h in row.history.all()}
        assert authors == {office.pk}
