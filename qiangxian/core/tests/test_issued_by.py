"""Who issued a shared row, as each reader is shown it (``core.access.issued_by``).

A county user reading a city's policy, target or cluster is told it is the city's ("市级政策
（测试市发布）") on the page, in the API and in the Excel export; the county's own rows carry
nothing, and a lone county's lists look as they always did. Rows issued above stay read-only for
the county: no edit button, and the write refused if tried.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qiangxian.core.access import issued_above, issued_by, issuers_above, scope_of
from qiangxian.core.choices import OrgUnitKind

from .counties import build_city

CITY_POLICY = "市级政策（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Cluster
    from qiangxian.policies.models import Policy
    from qiangxian.statistics.models import Target

    data = build_city(django_user_model)
    office = OrgUnit.objects.get(kind=OrgUnitKind.OFFICE, parent=data["city"])
    data["city_office_unit"] = office
    data["policy"] = Policy.objects.create(
        title="测试市技改补助政策",
        issuer=data["city"],
        effective_from=dt.date(2026, 1, 1),
        status="published",
    )
    # A target set by the city office for county A: the office's unit is its issuer.
    data["target"] = Target.objects.create(
        indicator="gross_output",
        year=2026,
        scope_kind="county",
        scope_id=data["counties"]["a"]["county"].pk,
        value=D(300_000_000),
        note="测试市下达产值目标",
        issuer=office,
    )
    data["cluster"] = Cluster.objects.create(
        name="测试市电子信息集群", industry_codes=["3911"], issuer=data["city"]
    )
    return data


def _login(client, city, key):
    client.force_login(city["users"][key])
    return client


def test_the_label_names_the_level_above_and_nothing_of_ones_own(city):
    a_office, city_office = city["users"]["a_office"], city["users"]["city_office"]
    a = city["counties"]["a"]["county"]
    assert issued_by(a_office, city["city"].pk, "政策") == CITY_POLICY
    # The city's office speaks for the city.
    assert issued_by(a_office, city["city_office_unit"].pk, "目标") == "市级目标（测试市发布）"
    assert issued_by(a_office, a.pk, "政策") == ""
    assert issued_by(a_office, None, "政策") == ""
    # A city user reads the city's rows as its own, and a county's as not issued above it.
    assert issued_by(city_office, city["city"].pk, "政策") == ""
    assert issued_by(city_office, a.pk, "政策") == ""
    assert issued_above(a_office, city["city"].pk) and not issued_above(city_office, city["city"].pk)


def test_a_province_above_the_city_is_named_for_the_city_and_its_counties(city):
    from qiangxian.core.models import OrgUnit

    province = OrgUnit.objects.create(name="测试省", kind=OrgUnitKind.PROVINCE)
    city["city"].parent = province
    city["city"].save()
    for key in ("a_office", "city_office"):
        user = city["users"][key]
        user.__dict__.pop("_qx_above", None)
        assert issued_by(user, province.pk, "政策") == "省级政策（测试省发布）"


def test_the_issuers_above_a_user_cost_two_queries_once_per_request(city, django_assert_num_queries):
    user = city["users"]["a_office"]
    scope_of(user)  # the user's scope is read once per request anyway
    with django_assert_num_queries(2):
        issuers_above(user)
    with django_assert_num_queries(0):
        for _ in range(20):
            issued_by(user, city["city"].pk, "政策")


def test_a_lone_county_labels_nothing(db, county, users):
    from qiangxian.core.models import OrgUnit

    root = OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY).first()
    assert issuers_above(users["office"]) == {}
    assert issued_by(users["office"], root.pk, "政策") == ""


# --- policies ----------------------------------------------------------------------------------


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if "政策名称" in row or "上级发布" in row)
    return rows[header], rows[header + 1 :]


def test_a_county_reads_the_citys_policy_as_the_citys_on_page_api_and_export(client, city):
    from qiangxian.policies.models import Policy

    own = Policy.objects.filter(issuer=city["counties"]["a"]["county"]).first()
    assert own is not None
    _login(client, city, "a_office")
    page = client.get(reverse("policies:list")).content.decode()
    assert "上级发布" in page and page.count(CITY_POLICY) == 1

    header, rows = _sheet(client.get(reverse("policies:list"), {"export": "xlsx"}))
    where = header.index("上级发布")
    labels = {row[header.index("政策名称")]: row[where] for row in rows}
    assert labels[city["policy"].title] == CITY_POLICY
    assert labels[own.title] in ("", None)

    api = {p["id"]: p["issued_by"] for p in client.get("/api/policies/").json()["items"]}
    assert api[city["policy"].pk] == CITY_POLICY and api[own.pk] == ""
    assert client.get(f"/api/policies/{city['policy'].pk}").json()["issued_by"] == CITY_POLICY

    detail = client.get(reverse("policies:detail", args=[city["policy"].pk])).content.decode()
    assert CITY_POLICY in detail


def test_the_city_office_sees_no_label_on_its_own_policy(client, city):
    _login(client, city, "city_office")
    page = client.get(reverse("policies:list")).content.decode()
    assert city["policy"].title in page and CITY_POLICY not in page
    assert client.get(f"/api/policies/{city['policy'].pk}").json()["issued_by"] == ""


def test_the_city_reads_each_countys_policy_as_that_countys_on_page_and_export(client, city):
    from qiangxian.policies.models import Policy

    a = city["counties"]["a"]["county"]
    own = Policy.objects.filter(issuer=a).first()
    assert own is not None
    label = a.name
    _login(client, city, "city_office")
    page = client.get(reverse("policies:list")).content.decode()
    assert "发布单位" in page and f"<td>{label}</td>" in page.replace(" ", "").replace("\n", "")
    assert "上级发布" not in page

    header, rows = _sheet(client.get(reverse("policies:list"), {"export": "xlsx"}))
    where = header.index("发布单位")
    labels = {row[header.index("政策名称")]: row[where] for row in rows}
    assert labels[own.title] == label
    assert labels[city["policy"].title] == "本级"


def test_the_city_office_is_offered_only_its_own_levels_units_for_a_clause(client, city):
    bureau = city["counties"]["a"]["bureau"]
    _login(client, city, "city_office")
    page = client.get(reverse("policies:clause_create", args=[city["policy"].pk])).content.decode()
    assert city["city_office_unit"].name in page
    assert f'value="{bureau.pk}"' not in page and bureau.name not in page
    # A county office still picks its own county's bureaus for its own policy's clause.
    from qiangxian.policies.models import Policy

    own = Policy.objects.filter(issuer=city["counties"]["a"]["county"]).first()
    client.force_login(city["users"]["a_office"])
    page = client.get(reverse("policies:clause_create", args=[own.pk])).content.decode()
    assert f'value="{bureau.pk}"' in page


def test_a_lone_countys_policy_list_has_no_issuer_column(client, county, users):
    from qiangxian.policies.models import Policy

    Policy.objects.create(title="本县技改补助政策", effective_from=dt.date(2026, 1, 1), status="published")
    client.force_login(users["office"])
    page = client.get(reverse("policies:list")).content.decode()
    assert "本县技改补助政策" in page and "上级发布" not in page
    header, _ = _sheet(client.get(reverse("policies:list"), {"export": "xlsx"}))
    assert "上级发布" not in header


def test_the_label_costs_no_query_per_row(client, city, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qiangxian.policies.models import Policy

    _login(client, city, "a_office")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("policies:list")).status_code == 200
        return len(queries)

    count()  # warm the caches of the first page served
    before = count()
    for i in range(5):
        Policy.objects.create(
            title=f"测试市政策{i}",
            issuer=city["city"],
            effective_from=dt.date(2026, 1, 1),
            status="published",
        )
    assert count() == before


def test_a_city_policy_is_read_only_for_a_county_office(client, city):
    from qiangxian.policies.services import library

    policy = city["policy"]
    _login(client, city, "a_office")
    detail = client.get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert reverse("policies:edit", args=[policy.pk]) not in detail
    assert reverse("policies:clause_create", args=[policy.pk]) not in detail
    assert client.get(reverse("policies:edit", args=[policy.pk])).status_code == 403
    assert client.get(reverse("policies:clause_create", args=[policy.pk])).status_code == 403
    response = client.post(
        reverse("policies:edit", args=[policy.pk]),
        {"title": "改名", "effective_from": "2026-01-01", "level": "county"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        library.policy_publish(actor=city["users"]["a_office"], policy=policy)
    policy.refresh_from_db()
    assert policy.title == "测试市技改补助政策"
    # The county's own policy keeps its buttons.
    own = library.Policy.objects.filter(issuer=city["counties"]["a"]["county"]).first()
    assert (
        reverse("policies:edit", args=[own.pk])
        in client.get(reverse("policies:detail", args=[own.pk])).content.decode()
    )
    assert client.get(reverse("policies:edit", args=[own.pk])).status_code == 200


# --- targets -----------------------------------------------------------------------------------


def test_a_county_reads_the_citys_target_as_the_citys_on_page_and_api(client, city):
    _login(client, city, "a_office")
    page = client.get(reverse("statistics:targets"), {"month": "2026-03"}).content.decode()
    assert "测试市下达产值目标" in page and "甲县产值目标" in page
    assert page.count("市级目标（测试市发布）") == 1
    items = client.get("/api/statistics/targets", {"month": "2026-03"}).json()
    labels = {t["id"]: t["issued_by"] for t in items}
    assert labels[city["target"].pk] == "市级目标（测试市发布）"
    own = [t for t in items if t["id"] != city["target"].pk]
    assert own and all(t["issued_by"] == "" for t in own)


def test_a_city_target_is_read_only_for_a_county_office(city):
    from qiangxian.statistics import services

    target = city["target"]
    with pytest.raises(PermissionDenied):
        services.target_save(
            actor=city["users"]["a_office"],
            target=target,
            indicator=target.indicator,
            year=target.year,
            value=D(1),
            scope_kind="county",
            scope_id=target.scope_id,
        )
    target.refresh_from_db()
    assert target.value == D(300_000_000)


# --- clusters ----------------------------------------------------------------------------------


def test_a_county_reads_the_citys_cluster_as_the_citys_and_cannot_redefine_it(client, city):
    from qiangxian.enterprises.services import clusters

    cluster = city["cluster"]
    _login(client, city, "a_office")
    page = client.get(reverse("enterprises:cluster_list")).content.decode()
    assert page.count("市级集群（测试市发布）") == 1 and "甲县鞋业集群" in page
    detail = client.get(reverse("enterprises:cluster_detail", args=[cluster.pk])).content.decode()
    assert "市级集群（测试市发布）" in detail
    assert reverse("enterprises:cluster_edit", args=[cluster.pk]) not in detail
    assert client.get(reverse("enterprises:cluster_edit", args=[cluster.pk])).status_code == 403
    response = client.post(
        reverse("enterprises:cluster_edit", args=[cluster.pk]), {"name": "改名", "industry_codes": "3911"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        clusters.cluster_save(
            actor=city["users"]["a_office"], cluster=cluster, name="改名", industry_codes=["3911"]
        )
    cluster.refresh_from_db()
    assert cluster.name == "测试市电子信息集群"
    # The county's own cluster keeps its edit button.
    own = clusters.Cluster.objects.get(issuer=city["counties"]["a"]["county"])
    assert (
        reverse("enterprises:cluster_edit", args=[own.pk])
        in client.get(reverse("enterprises:cluster_detail", args=[own.pk])).content.decode()
    )


def test_a_county_cannot_add_another_countys_enterprise_to_a_cluster(client, city):
    from qiangxian.enterprises.models import ClusterMembership

    b_firm = city["counties"]["b"]["enterprises"][1]
    own = city["counties"]["a"]["county"]
    from qiangxian.enterprises.models import Cluster

    cluster = Cluster.objects.get(issuer=own)
    _login(client, city, "a_office")
    client.post(
        reverse("enterprises:cluster_member", args=[cluster.pk]), {"action": "add", "enterprise": b_firm.name}
    )
    assert not ClusterMembership.objects.filter(cluster=cluster, enterprise=b_firm).exists()


# --- custom rules ------------------------------------------------------------------------------


def test_a_county_reads_the_citys_rule_as_the_citys_and_only_tries_it(client, city):
    from qiangxian.rules.models import CustomRule
    from qiangxian.rules.services import custom_rule_create

    rule = custom_rule_create(
        actor=city["users"]["city_office"],
        name="测试市规上企业",
        expression="研发费用@上年 / 营业收入@上年 >= 3%",
    )
    own = custom_rule_create(
        actor=city["users"]["a_office"], name="甲县规上企业", expression="研发费用@上年 / 营业收入@上年 >= 3%"
    )
    assert CustomRule.objects.get(pk=rule.pk).issuer_id == city["city"].pk
    _login(client, city, "a_office")
    page = client.get(reverse("rules:list")).content.decode()
    assert page.count("市级规则（测试市发布）") == 1
    api = {r["id"]: r["issued_by"] for r in client.get("/api/rules/custom-rules").json()["items"]}
    assert api[rule.pk] == "市级规则（测试市发布）" and api[own.pk] == ""
    detail = client.get(reverse("rules:detail", args=[rule.pk])).content.decode()
    assert "市级规则（测试市发布）" in detail
    assert reverse("rules:delete", args=[rule.pk]) not in detail and "在工作台中试算" in detail
    own_detail = client.get(reverse("rules:detail", args=[own.pk])).content.decode()
    assert reverse("rules:delete", args=[own.pk]) in own_detail


# --- chains ------------------------------------------------------------------------------------


def test_a_county_reads_the_citys_chain_and_cannot_reshape_it(client, city):
    from qiangxian.chains import services as chains
    from qiangxian.chains.models import Chain, ChainLink

    a_office = city["users"]["a_office"]
    chain = Chain.objects.create(cluster=city["cluster"], name="测试市电子信息产业链")
    link = ChainLink.objects.create(chain=chain, segment="midstream", name="电子元件制造")
    own = Chain.objects.get(cluster__issuer=city["counties"]["a"]["county"])
    _login(client, city, "a_office")
    index = client.get(reverse("chains:index")).content.decode()
    assert index.count("市级产业链（测试市发布）") == 1
    detail = client.get(reverse("chains:detail", args=[chain.pk])).content.decode()
    assert "市级产业链（测试市发布）" in detail
    assert reverse("chains:edit", args=[chain.pk]) not in detail
    assert (
        reverse("chains:edit", args=[own.pk])
        in client.get(reverse("chains:detail", args=[own.pk])).content.decode()
    )
    page = client.get(reverse("chains:link", args=[link.pk])).content.decode()
    assert "市级产业链（测试市发布）" in page
    assert reverse("chains:link_edit", args=[link.pk]) not in page
    assert reverse("chains:target_create", args=[link.pk]) not in page
    api = {c["id"]: c["issued_by"] for c in client.get("/api/chains/").json()}
    assert api[chain.pk] == "市级产业链（测试市发布）" and api[own.pk] == ""
    with pytest.raises(PermissionDenied):
        chains.target_save(actor=a_office, link=link, company_kind="电容器制造企业")
    with pytest.raises(PermissionDenied):
        chains.link_save(actor=a_office, chain=chain, segment="upstream", name="新环节")
    assert chain.links.count() == 1 and not link.targets.exists()
    for url in (
        reverse("chains:edit", args=[chain.pk]),
        reverse("chains:link_edit", args=[link.pk]),
        reverse("chains:target_create", args=[link.pk]),
    ):
        assert client.get(url).status_code == 403, url


# --- supervision: tasks and their deadlines ----------------------------------------------------


def test_a_county_follows_a_city_led_task_and_cannot_move_its_deadline(client, city):
    from qiangxian.supervision import services
    from qiangxian.supervision.models import Task

    task = Task.objects.create(
        title="测试市重点技改任务", lead_unit=city["city"], deadline=dt.date(2026, 12, 31)
    )
    own = Task.objects.create(
        title="甲县本级任务", lead_unit=city["counties"]["a"]["bureau"], deadline=dt.date(2026, 12, 31)
    )
    a_office = city["users"]["a_office"]
    _login(client, city, "a_office")
    page = client.get(reverse("supervision:task_list")).content.decode()
    assert page.count("市级督办事项（测试市发布）") == 1 and "甲县本级任务" in page
    api = {t["id"]: t["issued_by"] for t in client.get("/api/supervision/tasks").json()["items"]}
    assert api[task.pk] == "市级督办事项（测试市发布）" and api[own.pk] == ""
    detail = client.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert "市级督办事项（测试市发布）" in detail
    assert reverse("supervision:task_edit", args=[task.pk]) not in detail
    assert client.get(reverse("supervision:task_edit", args=[task.pk])).status_code == 403
    assert (
        reverse("supervision:task_edit", args=[own.pk])
        in client.get(reverse("supervision:task_detail", args=[own.pk])).content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.task_update(actor=a_office, task=task, deadline=dt.date(2027, 6, 30))
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=a_office, task=task)
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 12, 31) and task.status == "not_started"


def test_a_city_task_force_is_labelled_and_has_no_edit_link_in_a_county(client, city):
    from qiangxian.enterprises.models import TaskForce

    task_force = TaskForce.objects.create(name="测试市链主企业专班", issuer=city["city"])
    own = TaskForce.objects.get(issuer=city["counties"]["a"]["county"])
    _login(client, city, "a_office")
    page = client.get(reverse("enterprises:task_force_list")).content.decode()
    assert page.count("市级专班（测试市发布）") == 1
    assert reverse("enterprises:task_force_edit", args=[task_force.pk]) not in page
    assert reverse("enterprises:task_force_edit", args=[own.pk]) in page
    assert client.get(reverse("enterprises:task_force_edit", args=[task_force.pk])).status_code == 403
