"""Pages of the registry: a permission matrix for every page, then what each page shows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from qiangxian.enterprises import importers, services
from qiangxian.enterprises.models import Cluster, Enterprise, ImportBatch, TaskForce
from qiangxian.enterprises.uscc import make_uscc

from .conftest import row, xlsx_bytes

NEW_CODE = make_uscc("9", "1", "361129", "MA000001")
ODD_CODE = make_uscc("A", "1", "361129", "Q0000001")  # unknown registering department: a warning

ALL = ["admin", "leader", "office", "bureau", "park", "zone", "town", "enterprise"]


@pytest.fixture
def world(county, users):
    """乙镇机械 (乙镇, 工业园) with a title, plan and contact; a cluster, a task force, an import batch."""
    e = county["enterprises"]["乙镇机械有限公司"]
    office = users["office"]
    d = services.designation_save(
        actor=office, enterprise=e, kind="high_tech", valid_from=dt.date(2024, 1, 1)
    )
    plan = services.plan_create(
        actor=office,
        enterprise=e,
        target_tier="srdi_sme",
        target_year=2027,
        measures=[{"content": "申报技术中心", "deadline": dt.date(2020, 1, 1)}],
    )
    contact = services.contact_save(
        actor=office, enterprise=e, name="王经理", post="总经理", phone="13812345678"
    )
    cluster = services.cluster_save(actor=office, name="装备", industry_codes="3311")
    tf = services.task_force_save(actor=office, name="重点专班")
    result = importers.import_registry(
        actor=office,
        file_name="a.xlsx",
        content=xlsx_bytes(
            [
                row(
                    **{
                        "统一社会信用代码": NEW_CODE,
                        "企业名称": "导入企业有限公司",
                        "所属乡镇": "甲镇",
                        "行业代码": "1952",
                    }
                )
            ]
        ),
    )
    assert result.batch is not None, result.plan.errors
    return {
        "e": e,
        "d": d,
        "plan": plan,
        "measure": plan.measures.get(),
        "contact": contact,
        "cluster": cluster,
        "tf": tf,
        "batch": result.batch,
    }


# (name, url builder, who gets 200, who gets 404; everyone else logged in gets 403)
PAGES = [
    ("list", lambda w: "/enterprises/", ALL, []),
    (
        "detail",
        lambda w: f"/enterprises/{w['e'].pk}/",
        ["admin", "leader", "office", "bureau", "park"],
        ["zone", "town", "enterprise"],
    ),
    ("create", lambda w: "/enterprises/new/", ["admin", "office", "park", "zone", "town"], []),
    (
        "edit",
        lambda w: f"/enterprises/{w['e'].pk}/edit/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "contact",
        lambda w: f"/enterprises/{w['e'].pk}/contacts/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "liaison",
        lambda w: f"/enterprises/{w['e'].pk}/liaisons/",
        ["admin", "office"],
        ["zone", "town", "enterprise"],
    ),
    (
        "designation_new",
        lambda w: f"/enterprises/{w['e'].pk}/designations/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "designation_edit",
        lambda w: f"/enterprises/designations/{w['d'].pk}/edit/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "scale",
        lambda w: f"/enterprises/{w['e'].pk}/scale/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    ("designations", lambda w: "/enterprises/designations/", ALL, []),
    ("expiring", lambda w: "/enterprises/designations/expiring/", ALL, []),
    ("mine", lambda w: "/enterprises/mine/", ALL, []),
    ("plans", lambda w: "/enterprises/plans/", ALL, []),
    ("overdue", lambda w: "/enterprises/plans/overdue/", ALL, []),
    (
        "plan",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/",
        ["admin", "leader", "office", "bureau", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "plan_docx",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/docx/",
        ["admin", "leader", "office", "bureau", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "plan_new",
        lambda w: f"/enterprises/{w['e'].pk}/plans/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "plan_edit",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/edit/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "measure_new",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/measures/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "measure_edit",
        lambda w: f"/enterprises/plans/measures/{w['measure'].pk}/edit/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "milestone_new",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/milestones/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    (
        "review_new",
        lambda w: f"/enterprises/plans/{w['plan'].pk}/reviews/new/",
        ["admin", "office", "park"],
        ["zone", "town", "enterprise"],
    ),
    ("clusters", lambda w: "/enterprises/clusters/", ALL, []),
    ("cluster", lambda w: f"/enterprises/clusters/{w['cluster'].pk}/", ALL, []),
    ("cluster_edit", lambda w: f"/enterprises/clusters/{w['cluster'].pk}/edit/", ["admin", "office"], []),
    ("cluster_new", lambda w: "/enterprises/clusters/new/", ["admin", "office"], []),
    ("task_forces", lambda w: "/enterprises/task-forces/", ALL, []),
    ("task_force_edit", lambda w: f"/enterprises/task-forces/{w['tf'].pk}/edit/", ["admin", "office"], []),
    ("imports", lambda w: "/enterprises/imports/", ["admin", "office"], []),
    ("import_template", lambda w: "/enterprises/imports/template/", ["admin", "office"], []),
    ("import_batch", lambda w: f"/enterprises/imports/{w['batch'].pk}/", ["admin", "office"], []),
]


@pytest.mark.parametrize(("name", "url", "allowed", "hidden"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client_as, world, name, url, allowed, hidden):
    path = url(world)
    response = client_as(None).get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for username in ALL:
        expected = 200 if username in allowed else 404 if username in hidden else 403
        if username == "enterprise":
            expected = 404  # the registry's pages are the government's; the enterprise has its portal
        assert client_as(username).get(path).status_code == expected, (name, username)


@pytest.mark.parametrize(
    "path",
    [
        "/enterprises/{e}/contacts/{c}/delete/",
        "/enterprises/designations/{d}/delete/",
        "/enterprises/imports/{b}/undo/",
        "/enterprises/clusters/{cl}/members/",
    ],
)
def test_posts_refused_to_others(client_as, world, path):
    url = path.format(
        e=world["e"].pk, c=world["contact"].pk, d=world["d"].pk, b=world["batch"].pk, cl=world["cluster"].pk
    )
    assert client_as(None).post(url).status_code == 302
    assert client_as("town").post(url).status_code in (403, 404)
    assert world["contact"].__class__.objects.filter(pk=world["contact"].pk).exists()
    assert ImportBatch.objects.get(pk=world["batch"].pk).status == "applied"


def test_town_sees_only_its_enterprises(client_as, world):
    response = client_as("town").get("/enterprises/")
    names = {r["obj"].name for r in response.context["rows"]}
    assert names == {"甲镇园区鞋业有限公司", "甲镇纺织有限公司", "甲镇食品有限公司", "导入企业有限公司"}


def test_liaison_sees_the_enterprise_outside_its_jurisdiction(client_as, world, users):
    path = f"/enterprises/{world['e'].pk}/"
    assert client_as("town").get(path).status_code == 404
    services.liaisons_set(actor=users["office"], enterprise=world["e"], officials=[users["town"]])
    response = client_as("town").get(path)
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    mine = client_as("town").get("/enterprises/mine/").content.decode()
    assert "乙镇机械有限公司" in mine and "申报技术中心" in mine


def test_phone_masked_in_list_and_for_roles_without_need(client_as, world):
    body = client_as("office").get("/enterprises/").content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert "13812345678" in client_as("office").get(f"/enterprises/{world['e'].pk}/").content.decode()
    for username in ("leader", "bureau"):
        detail = client_as(username).get(f"/enterprises/{world['e'].pk}/").content.decode()
        assert "138****5678" in detail and "13812345678" not in detail


def test_list_query_count_constant_in_page_size(
    client_as, county, users, settings, django_assert_num_queries
):
    for i, e in enumerate(Enterprise.objects.all()):
        services.contact_save(actor=users["office"], enterprise=e, name=f"联系人{i}", phone="13900000000")
    client = client_as("office")
    settings.QX_PAGE_SIZE = 2
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/enterprises/?status=operating").context["rows"]) == 2
    settings.QX_PAGE_SIZE = 5
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/enterprises/?status=operating").context["rows"]) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [("jzfz", {"甲镇纺织有限公司"}), ("纺织", {"甲镇纺织有限公司"}), ("yzjx", {"乙镇机械有限公司"})],
)
def test_search_by_name_or_pinyin(client_as, county, query, expected):
    for e in Enterprise.objects.all():
        Enterprise.objects.filter(pk=e.pk).update(pinyin_initials=services.pinyin_initials(e.name))
    rows = client_as("office").get("/enterprises/", {"q": query}).context["rows"]
    assert {r["obj"].name for r in rows} == expected


def test_filters_by_cluster_designation_liaison(client_as, world, users):
    client = client_as("office")
    names = lambda params: {r["obj"].name for r in client.get("/enterprises/", params).context["rows"]}  # noqa: E731
    assert names({"cluster": world["cluster"].pk}) == {"乙镇机械有限公司"}
    assert names({"designation": "high_tech"}) == {"乙镇机械有限公司"}
    services.liaisons_set(actor=users["office"], enterprise=world["e"], officials=[users["bureau"]])
    assert names({"liaison": users["bureau"].pk}) == {"乙镇机械有限公司"}
    assert names({"division": "33"}) == {"乙镇机械有限公司"}


def test_export_is_the_registry_file_and_round_trips(client_as, world, users):
    response = client_as("town").get("/enterprises/", {"export": "xlsx"})
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("企业名录").to_python()
    )
    assert sheet[0] == importers.HEADERS
    assert {r[0] for r in sheet[1:]} == {
        "甲镇园区鞋业有限公司",
        "甲镇纺织有限公司",
        "甲镇食品有限公司",
        "导入企业有限公司",
    }
    office_export = client_as("office").get("/enterprises/", {"export": "xlsx"}).content
    result = importers.import_registry(actor=users["office"], content=office_export, file_name="e.xlsx")
    assert result.plan.ok and result.batch is None and result.plan.unchanged == Enterprise.objects.count()


def test_create_shows_warning_and_duplicate_link(client_as, county):
    client = client_as("office")
    town = county["units"]["甲镇"].pk
    existing = county["enterprises"]["甲镇纺织有限公司"]
    response = client.post(
        "/enterprises/new/",
        {
            "uscc": existing.uscc,
            "name": "重复",
            "town": town,
            "industry_code": "1952",
            "status": "operating",
            "land_tenure": "none",
        },
    )
    assert response.status_code == 200
    assert f'href="/enterprises/{existing.pk}/"' in response.content.decode()
    response = client.post(
        "/enterprises/new/",
        {
            "uscc": ODD_CODE,
            "name": "新企业",
            "town": town,
            "industry_code": "1952",
            "status": "operating",
            "land_tenure": "none",
        },
        follow=True,
    )
    assert response.redirect_chain and "第1位登记管理部门代码" in response.content.decode()


def test_import_page_lists_errors_then_applies_and_undoes(client_as, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("office")
    bad = xlsx_bytes(
        [row(**{"统一社会信用代码": NEW_CODE, "企业名称": "", "所属乡镇": "甲镇", "行业代码": "1952"})]
    )
    response = client.post(
        "/enterprises/imports/", {"file": SimpleUploadedFile("bad.xlsx", bad)}, follow=True
    )
    body = response.content.decode()
    assert "未导入任何数据" in body and "企业名称" in body and not ImportBatch.objects.exists()
    # Applying the bad file from its review changes nothing.
    review = response.redirect_chain[-1][0]
    client.post(review, {"action": "apply", "map_0": "name"})
    assert not ImportBatch.objects.exists()
    good = xlsx_bytes(
        [
            row(
                **{
                    "统一社会信用代码": NEW_CODE,
                    "企业名称": "新导入有限公司",
                    "所属乡镇": "甲镇",
                    "行业代码": "1952",
                }
            )
        ]
    )
    response = client.post(
        "/enterprises/imports/", {"file": SimpleUploadedFile("good.xlsx", good)}, follow=True
    )
    assert (
        "新增" in response.content.decode() and not ImportBatch.objects.exists()
    )  # a preview writes nothing
    data = {f"map_{c.index}": c.field or "-" for c in response.context["plan"].columns}
    response = client.post(response.redirect_chain[-1][0], {**data, "action": "apply"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enterprises/imports/{batch.pk}/"
    client.post(f"/enterprises/imports/{batch.pk}/undo/")
    assert not Enterprise.objects.filter(name="新导入有限公司").exists()


def test_plan_docx_has_east_asian_font(client_as, world):
    import docx

    response = client_as("office").get(f"/enterprises/plans/{world['plan'].pk}/docx/")
    document = docx.Document(io.BytesIO(response.content))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "申报技术中心" in text and "（逾期）" in text


def test_cluster_member_add_and_remove_by_page(client_as, world):
    client = client_as("office")
    url = f"/enterprises/clusters/{world['cluster'].pk}/members/"
    client.post(url, {"action": "add", "enterprise": "甲镇纺织有限公司"})
    cluster = Cluster.objects.get(pk=world["cluster"].pk)
    assert cluster.memberships.filter(manual=True, enterprise__name="甲镇纺织有限公司").exists()
    e = Enterprise.objects.get(name="甲镇纺织有限公司")
    client.post(url, {"action": "remove", "enterprise_id": e.pk})
    assert not cluster.memberships.filter(enterprise=e).exists()
    assert TaskForce.objects.count() == 1


def test_history_tab_lists_title_contact_and_liaison_changes(client_as, world, users):
    services.liaisons_set(actor=users["office"], enterprise=world["e"], officials=[users["bureau"]])
    body = client_as("office").get(f"/enterprises/{world['e'].pk}/?tab=history").content.decode()
    related = body[body.index("称号、联系人、包联变更") :]
    assert "高新技术企业" in related and "王经理" in related and "包联干部：bureau用户" in related
    assert "13812345678" not in related


def test_plan_form_refuses_to_overwrite_a_change_saved_meanwhile(client_as, county):
    import re

    from django.urls import reverse

    from qiangxian.enterprises.models import CultivationPlan

    firm = county["enterprises"]["甲镇纺织有限公司"]
    plan = CultivationPlan.objects.create(enterprise=firm, target_tier="above_scale", target_year=2026)
    url = reverse("enterprises:plan_edit", args=[plan.pk])
    alice, bob = client_as("office"), client_as("office")
    form = alice.get(url).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    data = {"target_tier": "above_scale", "target_year": 2026, "status": "active", "version": version}
    assert alice.post(url, {**data, "summary": "甲的思路"}).status_code == 302
    refused = bob.post(url, {**data, "summary": "乙的思路"})
    assert refused.status_code == 200 and "已被他人修改" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "甲的思路"


def test_the_list_body_is_kept_per_reader_and_shows_a_change_at_once(client_as, county, users, monkeypatch):
    from qiangxian.core import lists

    bodies = []
    real = lists._list_context
    monkeypatch.setattr(lists, "_list_context", lambda *args: bodies.append(1) or real(*args))
    office = client_as("office").get("/enterprises/").content.decode()
    assert "乙镇机械有限公司" in office and len(bodies) == 1
    # The office's body is kept; the town gets its own, without the other town's enterprises.
    town = client_as("town").get("/enterprises/").content.decode()
    assert "甲镇纺织有限公司" in town and "乙镇机械有限公司" not in town and len(bodies) == 2
    again = client_as("town").get("/enterprises/").content.decode()
    assert len(bodies) == 2 and "乙镇机械有限公司" not in again
    # The bulk form carries the reader's token, never the placeholder.
    assert 'name="csrfmiddlewaretoken"' in again and "qx-fragment-csrf-token" not in again
    # A renamed enterprise shows on the next request.
    firm = Enterprise.objects.get(name="甲镇纺织有限公司")
    firm.name = "甲镇新纺织有限公司"
    firm.save()
    renamed = client_as("town").get("/enterprises/").content.decode()
    assert "甲镇新纺织有限公司" in renamed and len(bodies) == 3
