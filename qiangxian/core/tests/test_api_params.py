"""Parameters out of range are refused where they enter: 400 with a Chinese message, never a 500.

The boundary values an API fuzz run found (year 0 or negative, a year that is not a number,
month 0 or 13, a limit or offset past any table, a stage that does not exist) on every API
family, the pages that read the same parameters, and the OpenAPI document saying what the
responses are.
"""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from ninja.errors import ConfigError

from qiangxian.api import ApiErrorOut, _Schema, api
from qiangxian.core.params import MAX_YEAR, MIN_YEAR, parse_year
from qiangxian.rules.evaluation import default_as_of

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HUGE = 10**12


@pytest.fixture
def office(client, users):
    client.force_login(users["office"])
    return client


def _refused(response, field: str) -> dict:
    """The response is a 400 whose Chinese message names ``field``."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"].startswith("请求参数不正确") and CHINESE.search(body["detail"])
    assert field in body["errors"], body
    assert all(CHINESE.search(message) for message in body["errors"][field])
    assert field in body["detail"]
    return body


def _enterprise_id(county):
    return county["enterprises"]["甲镇纺织有限公司"].pk


YEAR_URLS = [
    "/api/enterprises/designations/?year={}",
    "/api/enterprises/plans/?target_year={}",
    "/api/statistics/enterprises/{enterprise}/figures?year={}",
    "/api/projects/?year={}",
    "/api/projects/progress?year={}",
    "/api/projects/summary?month=5&year={}",
]


@pytest.mark.parametrize("url", YEAR_URLS)
@pytest.mark.parametrize("year", ["0", "-105", "abc", str(MAX_YEAR + 1), "2026.5"])
def test_a_year_out_of_range_is_a_400(office, county, url, year):
    response = office.get(url.format(year, enterprise=_enterprise_id(county)))
    field = re.search(r"([a-z_]*year)=\{\}", url).group(1)
    body = _refused(response, field)
    if year in ("0", "-105"):
        assert f"应不小于 {MIN_YEAR}" in body["detail"]
    if year == "abc":
        assert "应为整数" in body["detail"]


@pytest.mark.parametrize("month", ["0", "13", "-1", "abc"])
def test_a_month_number_out_of_range_is_a_400(office, month):
    body = _refused(office.get(f"/api/projects/summary?year=2026&month={month}"), "month")
    if month == "13":
        assert "应不大于 12" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/dashboard/summary?month={}",
        "/api/statistics/indicators/gross_output?month={}",
        "/api/statistics/indicators/gross_output/breakdown?month={}",
        "/api/statistics/targets?month={}",
        "/api/projects/progress?month={}",
    ],
)
@pytest.mark.parametrize("month", ["2026-0", "2026-13", "0-05", "-105-05", "abc"])
def test_a_year_month_out_of_range_is_a_400(office, url, month):
    body = _refused(office.get(url.format(month)), "month")
    assert "应为年月，如 2026-05" in body["detail"]


PAGED_URLS = [
    "/api/enterprises/?{}",
    "/api/enterprises/designations/?{}",
    "/api/enterprises/plans/?{}",
    "/api/projects/?{}",
    "/api/projects/progress?{}",
    "/api/projects/problems?{}",
    "/api/rules/custom-rules?{}",
    "/api/tiers/pool/gazelle/?{}",
]


@pytest.mark.parametrize("url", [*PAGED_URLS, "/api/statistics/imports?{}"])
@pytest.mark.parametrize("value", [HUGE, 0, -1, "abc"])
def test_a_limit_out_of_range_is_a_400(office, url, value):
    _refused(office.get(url.format(f"limit={value}")), "limit")


@pytest.mark.parametrize("url", PAGED_URLS)
@pytest.mark.parametrize("value", [-1, HUGE, 10**30])
def test_an_offset_out_of_range_is_a_400(office, url, value):
    _refused(office.get(url.format(f"offset={value}")), "offset")


def test_a_page_within_range_is_answered(office, county):
    response = office.get("/api/enterprises/?limit=2&offset=1")
    assert response.status_code == 200
    assert response.json()["count"] == len(county["enterprises"]) and len(response.json()["items"]) == 2


def test_rule_evaluation_limits(office):
    payload = {"expression": "营业收入@上年 >= 1亿", "limit": HUGE, "offset": -1}
    body = _refused(
        office.post("/api/rules/evaluate", json.dumps(payload), content_type="application/json"), "limit"
    )
    assert "offset" in body["errors"]
    _refused(office.get(f"/api/rules/custom-rules/1/evaluate?offset={HUGE}"), "offset")


def _project(office, county) -> int:
    payload = {"name": "新材料项目", "investor_name": "外地公司", "park_id": county["units"]["工业园"].pk}
    created = office.post("/api/projects/", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201, created.content
    return created.json()["id"]


@pytest.mark.parametrize("target", ["flying", "1500000000.00", "", "SIGNED"])
def test_an_unknown_transition_target_is_a_400(office, county, target):
    pk = _project(office, county)
    payload = {"target": target, "on": "2026-05-01"}
    response = office.post(
        f"/api/projects/{pk}/transition", json.dumps(payload), content_type="application/json"
    )
    body = _refused(response, "target")
    assert "应为以下之一" in body["detail"] and "'signed'" in body["detail"]


def test_a_known_but_premature_transition_is_still_refused_by_the_service(office, county):
    pk = _project(office, county)
    payload = {"target": "started", "on": str(timezone.localdate())}
    response = office.post(
        f"/api/projects/{pk}/transition", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422 and "签约" in response.json()["errors"]["stage"][0]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("land_need_mu", "3359373669241814", "不能超过 10 位数字"),
        ("total_investment", "1.234", "小数不能超过 2 位"),
        # 16 significant digits would be stored rounded by SQLite and fail to read back
        ("committed_tax", -99999999999999.98, "不能超过 15 位数字"),
        ("plan_year", 0, f"应不小于 {MIN_YEAR}"),
        ("committed_jobs", -1, "应不小于 0"),
        ("committed_jobs", 2**40, "应不大于 2147483647"),
        ("lead_source", "telepathy", "应为以下之一"),
        ("name", "项" * 201, "不能超过 200 个字"),
    ],
)
def test_a_value_the_database_cannot_hold_is_a_400_and_nothing_is_saved(office, county, field, value, reason):
    from qiangxian.projects.models import Project

    payload = {"name": "新材料项目", "investor_name": "外地公司", field: value}
    response = office.post("/api/projects/", json.dumps(payload), content_type="application/json")
    body = _refused(response, field)
    assert reason in body["detail"]
    assert not Project.objects.exists()


def test_a_negative_promise_is_refused_by_the_service_and_nothing_is_saved(office, county):
    from qiangxian.projects.models import Project

    payload = {"name": "新材料项目", "investor_name": "外地公司", "committed_tax": "-5"}
    response = office.post("/api/projects/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422, response.content
    assert "不能为负数" in json.dumps(response.json(), ensure_ascii=False)
    assert not Project.objects.exists()


def test_enterprise_and_plan_bounds_come_from_their_models(office, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    plan = {
        "enterprise_id": firm.pk,
        "target_tier": "specialized",
        "target_year": 2027,
        "baseline_employees": -5,
    }
    _refused(
        office.post("/api/enterprises/plans/", json.dumps(plan), content_type="application/json"),
        "baseline_employees",
    )
    measure = dict(plan, baseline_employees=5, measures=[{"content": "措施", "status": "dreaming"}])
    response = office.post("/api/enterprises/plans/", json.dumps(measure), content_type="application/json")
    _refused(response, "measures.0.status")


def test_a_body_that_is_not_json_is_a_400_in_chinese(office):
    response = office.post("/api/rules/check", "{not json", content_type="application/json")
    assert response.status_code == 400 and CHINESE.search(response.json()["detail"])


# --- pages that read the same parameters ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/projects/list/?year={}",
        "/projects/progress/?year={}",
        "/projects/progress/?month={}-05",
        "/projects/settings/?year={}",
        "/projects/?month={}-05",
        "/statistics/enterprises/{enterprise}/?year={}",
        "/enterprises/designations/?year={}",
        "/enterprises/plans/?target_year={}",
    ],
)
@pytest.mark.parametrize("year", ["0", "-105", "abc", "99999", str(10**30)])
def test_pages_fall_back_instead_of_failing(office, county, url, year):
    response = office.get(url.format(year, enterprise=_enterprise_id(county)))
    assert response.status_code == 200


@given(st.one_of(st.text(max_size=12), st.integers(), st.none()))
def test_parse_year_is_within_range_or_the_default(raw):
    year = parse_year(raw, 1999)
    assert MIN_YEAR <= year <= MAX_YEAR
    if isinstance(raw, int):
        assert year == (raw if MIN_YEAR <= raw <= MAX_YEAR else 1999)
        assert parse_year(f" {raw} ", 1999) == year


# --- the schema says what is returned ---------------------------------------------------------


def test_every_operation_documents_the_error_body(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["schemas"]["ApiErrorOut"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "422"):
                assert status in operation["responses"], (method, path, status)


def test_indicator_catalogue_matches_its_schema(office, client):
    schema = client.get("/api/openapi.json").json()
    ref = schema["paths"]["/api/statistics/indicators"]["get"]["responses"]["200"]["content"]
    item = ref["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[1]
    declared = schema["components"]["schemas"][item]
    rows = office.get("/api/statistics/indicators").json()
    assert rows and set(rows[0]) == set(declared["properties"]) and "code" in rows[0]
    catalogue = schema["paths"]["/api/rules/catalogue"]["get"]["responses"]["200"]["content"]
    assert "identifier" in json.dumps(schema["components"]["schemas"]["CatalogueIndicatorOut"])
    assert catalogue


def test_two_schemas_under_one_name_are_refused():
    document = _Schema(api, "")
    document.add_schema_definitions({"ApiErrorOut": ApiErrorOut.model_json_schema()})
    with pytest.raises(ConfigError, match="ApiErrorOut"):
        document.add_schema_definitions({"ApiErrorOut": {"type": "object", "properties": {"code": {}}}})


# --- dates ------------------------------------------------------------------------------------


def _rule(office) -> int:
    payload = {"name": "营收过亿", "expression": "营业收入@上年 >= 1亿"}
    created = office.post("/api/rules/custom-rules", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201, created.content
    return created.json()["id"]


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_years_is_a_400_and_a_page_falls_back(office, county, day):
    firm = _enterprise_id(county)
    rule = _rule(office)
    evaluate = {"expression": "营业收入@上年 >= 1亿", "as_of": day}
    explain = dict(evaluate, enterprise_id=firm)
    for path, payload in (("/api/rules/evaluate", evaluate), ("/api/rules/explain", explain)):
        _refused(office.post(path, json.dumps(payload), content_type="application/json"), "as_of")
    _refused(office.get(f"/api/rules/custom-rules/{rule}/evaluate?as_of={day}"), "as_of")
    _refused(office.get(f"/api/rules/custom-rules/{rule}/explain/{firm}?as_of={day}"), "as_of")
    project = {"name": "新材料项目", "investor_name": "外地公司", "start_deadline": day}
    _refused(
        office.post("/api/projects/", json.dumps(project), content_type="application/json"), "start_deadline"
    )
    # The page evaluates as of its default day instead (named in the export's file name).
    export = office.get(f"/rules/saved/{rule}/matches/?as_of={day}&export=xlsx")
    assert export.status_code == 200 and f"{default_as_of():%Y%m%d}" in export["Content-Disposition"]


def test_month_pages_fall_back_instead_of_failing(office, county):
    from qiangxian.statistics.models import Target
    from qiangxian.statistics.tests.factories import seed_facts

    seed_facts(county)
    Target.objects.create(indicator="gross_output", year=2026, scope_kind="county", scope_id=0, value=10**9)
    for url in ("/dashboard/?month={}", "/statistics/?month={}", "/statistics/targets/?month={}"):
        for month in ("0001-05", "-105-05", "2026-13", "abc"):
            assert office.get(url.format(month)).status_code == 200, (url, month)
