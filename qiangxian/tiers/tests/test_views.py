"""Pages of the pool: a permission matrix, constant query counts, the export, plans from gaps."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qiangxian.enterprises.models import CultivationPlan, Enterprise
from qiangxian.enterprises.uscc import make_uscc
from qiangxian.statistics.models import MonthlyFact

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _near_above_scale(county, count: int) -> list[Enterprise]:
    """Below-scale manufacturers with 1-N月 main revenue between 1700万 and 1900万 (near 2000万)."""
    town = county["units"]["甲镇"]
    today = dt.date.today()
    firms = []
    for i in range(count):
        firm = Enterprise.objects.create(
            uscc=make_uscc("9", "1", "361129", f"N{i:07d}"),
            name=f"甲镇候选{i}有限公司",
            town=town,
            industry_code="1952",
        )
        MonthlyFact.objects.create(
            enterprise=firm,
            month=dt.date(today.year - 1, 12, 1),
            source="stats",
            main_revenue_ytd=Decimal(17_000_000 + i * 100_000),
        )
        firms.append(firm)
    return firms


def test_anonymous_is_sent_to_login(client, county):
    response = client.get(reverse("tiers:pool"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pool_lists_near_candidates_with_their_gap(client_as, county):
    firms = _near_above_scale(county, 3)
    response = client_as("office").get(reverse("tiers:pool"), {"tier": "above_scale", "list": "near"})
    assert response.status_code == 200
    html = response.content.decode()
    for firm in firms:
        assert firm.name in html
    assert "主营业务收入 1700万元，需达到 2000万元，还差 300万元" in html
    assert "按现有数据符合公开标准" in html
    # Closest first.
    assert html.index(firms[2].name) < html.index(firms[0].name)


def _candidate_in_yizhen(county, serial: str, industry_code: str) -> Enterprise:
    """An enterprise of 乙镇 with last year's main revenue near the 规上 line."""
    firm = Enterprise.objects.create(
        uscc=make_uscc("9", "1", "361129", serial),
        name="乙镇候选有限公司",
        town=county["units"]["乙镇"],
        industry_code=industry_code,
    )
    MonthlyFact.objects.create(
        enterprise=firm,
        month=dt.date(dt.date.today().year - 1, 12, 1),
        source="stats",
        main_revenue_ytd=Decimal(18_000_000),
    )
    return firm


def test_pool_is_scoped_to_the_users_town(client_as, county):
    firms = _near_above_scale(county, 1)
    other = _candidate_in_yizhen(county, "M0000001", "3311")
    html = client_as("town").get(reverse("tiers:pool"), {"tier": "above_scale"}).content.decode()
    assert firms[0].name in html and other.name not in html
    html = client_as("office").get(reverse("tiers:pool"), {"tier": "above_scale"}).content.decode()
    assert firms[0].name in html and other.name in html


def test_pool_filters_by_town(client_as, county):
    _near_above_scale(county, 2)
    html = (
        client_as("office")
        .get(reverse("tiers:pool"), {"tier": "above_scale", "town": county["units"]["乙镇"].pk})
        .content.decode()
    )
    assert "甲镇候选0有限公司" not in html
    assert "暂无接近标准的企业" in html


def test_pool_queries_do_not_grow_with_the_page(client_as, county, settings):
    _near_above_scale(county, 12)
    client = client_as("office")
    counts = []
    for size in (2, 10):
        settings.QX_PAGE_SIZE = size
        cache.clear()  # both evaluated afresh: the kept evaluation is tested below
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("tiers:pool"), {"tier": "above_scale", "list": "near"})
        assert response.content.decode().count('data-testid="pool-row"') == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_pool_reads_a_kept_evaluation_until_an_input_changes(client_as, users, county, monkeypatch):
    from qiangxian.enterprises.services.designations import scale_entry_record
    from qiangxian.tiers import selectors

    firms = _near_above_scale(county, 3)
    built = []
    real = selectors.build_snapshot
    monkeypatch.setattr(selectors, "build_snapshot", lambda **kw: built.append(1) or real(**kw))
    params = {"tier": "above_scale", "list": "near"}

    def near_rows(client) -> int:
        return client.get(reverse("tiers:pool"), params).content.decode().count('data-testid="pool-row"')

    office, leader = client_as("office"), client_as("leader")
    assert near_rows(office) == 3 and len(built) == 1
    # Another user who sees the same enterprises reads the same evaluation: nothing is rebuilt.
    assert near_rows(leader) == 3 and len(built) == 1
    # A title recorded through the registry changes an input: the pool is evaluated again and
    # the enterprise that now holds the title leaves the near list.
    scale_entry_record(actor=users["office"], enterprise=firms[0], entry_month=dt.date.today().replace(day=1))
    assert near_rows(office) == 2 and len(built) == 2
    # A town user sees fewer enterprises: its own evaluation, kept apart.
    client_as("town").get(reverse("tiers:pool"), params)
    assert len(built) == 3


def test_the_kept_evaluation_follows_the_evaluation_date(users, county):
    from qiangxian.tiers.selectors import pool_data

    _near_above_scale(county, 2)
    today = dt.date.today()
    for on in (today, today.replace(year=today.year - 1), today):
        assert pool_data(user=users["office"], as_of=on).as_of == on


def test_pool_page_query_count_is_pinned(client_as, county, settings, django_assert_max_num_queries):
    _near_above_scale(county, 5)
    client = client_as("office")
    settings.QX_PAGE_SIZE = 5
    with django_assert_max_num_queries(45):
        client.get(reverse("tiers:pool"), {"tier": "above_scale", "list": "near"})


def test_export_holds_the_gaps(client_as, county):
    _near_above_scale(county, 2)
    response = client_as("office").get(
        reverse("tiers:pool"), {"tier": "above_scale", "list": "near", "export": "xlsx"}
    )
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    flat = [str(c) for row in rows for c in row]
    assert "甲镇候选1有限公司" in flat
    assert any("还差" in c for c in flat)
    notes = [str(c) for row in book.get_sheet_by_name("说明").to_python() for c in row]
    assert any("不代表官方认定" in c for c in notes)


@pytest.mark.parametrize(
    "username,own,other",
    [
        ("office", 200, 200),
        ("leader", 200, 200),
        ("town", 200, 404),
        ("park", 404, 404),
        ("enterprise", 404, 404),
    ],
)
def test_enterprise_panel_matrix(client_as, county, username, own, other):
    """甲镇纺织 (甲镇, not in a park) and 乙镇电子 (乙镇): the same 404 for missing and forbidden."""
    e = county["enterprises"]
    client = client_as(username)
    mine = client.get(reverse("tiers:enterprise_panel", args=[e["甲镇纺织有限公司"].pk]), **HX)
    theirs = client.get(reverse("tiers:enterprise_panel", args=[e["乙镇电子有限公司"].pk]), **HX)
    missing = client.get(reverse("tiers:enterprise_panel", args=[999999]), **HX)
    assert (mine.status_code, theirs.status_code, missing.status_code) == (own, other, 404)


def test_panel_shows_the_trace_with_sources(client_as, county):
    firm = _near_above_scale(county, 1)[0]
    html = client_as("office").get(reverse("tiers:enterprise_panel", args=[firm.pk]), **HX).content.decode()
    assert "梯度评价" in html or "最接近的下一梯度" in html
    assert "规模以上工业企业" in html
    assert "统计局数据" in html and "全年（1-12月累计）" in html
    assert "主营业务收入 1700万元，需达到 2000万元" in html
    assert "不代表官方认定" in html


def test_enterprise_page_has_the_tab(client_as, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    html = (
        client_as("office").get(reverse("enterprises:detail", args=[firm.pk]) + "?tab=tiers").content.decode()
    )
    assert reverse("tiers:enterprise_panel", args=[firm.pk]) in html
    assert 'data-testid="tab-tiers"' in html


def test_plan_from_gaps_has_the_gaps_as_measures(client_as, county):
    firm = _near_above_scale(county, 1)[0]
    response = client_as("office").post(reverse("tiers:plan_from_gaps", args=[firm.pk, "above_scale"]))
    plan = CultivationPlan.objects.get(enterprise=firm)
    assert response.status_code == 302 and response["Location"] == reverse(
        "enterprises:plan_detail", args=[plan.pk]
    )
    assert plan.target_tier == "above_scale"
    contents = [m.content for m in plan.measures.order_by("sort_order")]
    assert contents[0].startswith("补齐差距：主营业务收入 1700万元，需达到 2000万元，还差 300万元")
    assert all(m.deadline is not None for m in plan.measures.all())
    assert "不代表官方认定" in plan.summary
    assert plan.baseline_year == dt.date.today().year - 1 and plan.baseline_revenue is None


@pytest.mark.parametrize("username,expected", [("town", 404), ("bureau", 403)])
def test_plan_from_gaps_refused(client_as, county, username, expected):
    firm = county["enterprises"]["乙镇电子有限公司"]
    response = client_as(username).post(reverse("tiers:plan_from_gaps", args=[firm.pk, "above_scale"]))
    assert response.status_code == expected
    assert not CultivationPlan.objects.filter(enterprise=firm).exists()


def test_assessment_page_records_values_in_the_users_units(client_as, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    client = client_as("town")
    url = reverse("tiers:assessment", args=[firm.pk])
    response = client.post(
        url,
        {
            "form": "value",
            "value-indicator": "equity_financing",
            "value-year": 2025,
            "value-value": "250",
            "value-source_note": "投资协议",
        },
    )
    assert response.status_code == 302
    record = firm.assessment_values.get()
    assert record.value == Decimal(2_500_000) and record.entered_by.username == "town"
    assert "250.00 万元" in client.get(url).content.decode()
    bad = client.post(
        url, {"form": "judgement", "judgement-criterion": "随便写的", "judgement-satisfied": "1"}
    )
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_assessment_page_refuses_readers(client_as, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    url = reverse("tiers:assessment", args=[firm.pk])
    client = client_as("bureau")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"form": "value", "value-indicator": "equity_financing", "value-year": 2025, "value-value": "1"}
    )
    assert response.status_code == 403
    assert (
        client_as("town")
        .get(reverse("tiers:assessment", args=[county["enterprises"]["乙镇电子有限公司"].pk]))
        .status_code
        == 404
    )


def test_assessment_page_shows_the_history_of_changed_and_deleted_values(client_as, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    client = client_as("town")
    url = reverse("tiers:assessment", args=[firm.pk])

    def save(amount: str):
        data = {
            "form": "value",
            "value-indicator": "equity_financing",
            "value-year": 2025,
            "value-value": amount,
            "value-source_note": "投资协议",
        }
        assert client.post(url, data).status_code == 302

    save("250")
    save("300")
    record = firm.assessment_values.get()
    delete = reverse("tiers:assessment_delete", args=[firm.pk, "value", record.pk])
    assert client.post(delete).status_code == 302
    assert not firm.assessment_values.exists()
    page = client.get(url).content.decode()
    history = page[page.index('data-testid="history"') :]
    # Newest first: the deletion, the change (before and after), the creation.
    positions = [history.index(action) for action in ("删除", "修改", "创建")]
    assert positions == sorted(positions)
    assert history.count("指标数值：") == 3 and "2025年" in history
    assert "2500000" in history and "3000000" in history
    # Another enterprise's page does not show this history.
    other = county["enterprises"]["甲镇园区鞋业有限公司"]
    assert "指标数值：" not in client.get(reverse("tiers:assessment", args=[other.pk])).content.decode()


def test_the_pool_body_is_kept_per_reader_and_follows_the_liaisons(client_as, users, county, monkeypatch):
    from qiangxian.enterprises.choices import LiaisonRole
    from qiangxian.enterprises.models import EnterpriseLiaison
    from qiangxian.tiers import views

    firms = _near_above_scale(county, 1)
    other = _candidate_in_yizhen(county, "M0000002", "1952")
    bodies = []
    real = views._pool
    monkeypatch.setattr(views, "_pool", lambda request, **kw: bodies.append(kw) or real(request, **kw))
    params = {"tier": "above_scale", "list": "near"}
    # The office's body is kept first; the town never reads it.
    office = client_as("office").get(reverse("tiers:pool"), params).content.decode()
    assert other.name in office and len(bodies) == 1
    town = client_as("town").get(reverse("tiers:pool"), params).content.decode()
    assert firms[0].name in town and other.name not in town and len(bodies) == 2
    again = client_as("town").get(reverse("tiers:pool"), params)
    assert len(bodies) == 2  # served from the cache...
    html = again.content.decode()
    # ...with the reader's own CSRF token in its forms, never the placeholder.
    assert 'name="csrfmiddlewaretoken"' in html and "qx-fragment-csrf-token" not in html
    # A liaison assignment outside the town shows on the next request.
    EnterpriseLiaison.objects.create(enterprise=other, user=users["town"], role=LiaisonRole.choices[0][0])
    html = client_as("town").get(reverse("tiers:pool"), params).content.decode()
    assert other.name in html and 'data-testid="liaison-outside"' in html and len(bodies) == 3
