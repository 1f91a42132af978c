"""Pages of 运行监测: permission matrix, scoping, drill-down, exports, pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from qiangxian.statistics import services
from qiangxian.statistics.models import ImportBatch

from .factories import xlsx

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "statistics:overview",
    "statistics:catalogue",
    "statistics:breakdown",
    "statistics:warnings",
    "statistics:targets",
    "statistics:official",
]
GOVERNMENT = ["admin", "leader", "office", "bureau", "park", "zone", "town"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_anonymous_is_sent_to_login(facts, client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", [*GOVERNMENT, "enterprise"])
def test_read_pages_permission_matrix(facts, users, client, page, role):
    client.force_login(users[role])
    # An enterprise user never reaches a government page: the gate answers 404 before the view.
    assert client.get(reverse(page)).status_code == (404 if role == "enterprise" else 200)


@pytest.mark.parametrize(
    "role,kind,unit,status",
    [
        ("town", "town", "乙镇", 404),
        ("town", "town", "甲镇", 200),
        ("town", "park", "工业园", 404),
        ("park", "zone", "东片区", 200),
        ("park", "park", "食品园", 404),
        ("park", "town", "甲镇", 404),
        ("zone", "park", "工业园", 404),
        ("leader", "town", "乙镇", 200),
        ("bureau", "park", "食品园", 200),
        ("town", "county", None, 404),
    ],
)
def test_scope_in_the_url_is_checked(facts, users, client, role, kind, unit, status):
    client.force_login(users[role])
    unit_id = facts["units"][unit].pk if unit else 0
    response = client.get(reverse("statistics:overview"), {"scope_kind": kind, "scope_id": unit_id})
    assert response.status_code == status


def test_park_user_sees_only_the_park(facts, users, client):
    client.force_login(users["park"])
    html = client.get(reverse("statistics:breakdown"), {"group": "town"}).content.decode()
    assert "工业园" in html
    assert "甲镇食品有限公司" not in html  # in the other park
    response = client.get(reverse("statistics:drilldown"), {"group_kind": "total", "month": "2026-03"})
    names = response.content.decode()
    assert "甲镇园区鞋业有限公司" in names and "乙镇机械有限公司" in names and "甲镇食品有限公司" not in names


def test_drilldown_of_another_jurisdiction_is_not_found(facts, users, client):
    other = facts["units"]["乙镇"].pk
    client.force_login(users["town"])
    response = client.get(
        reverse("statistics:drilldown"), {"group_kind": "town", "group_key": other, "month": "2026-03"}
    )
    assert response.status_code == 404
    client.force_login(users["leader"])
    response = client.get(
        reverse("statistics:drilldown"), {"group_kind": "town", "group_key": other, "month": "2026-03"}
    )
    assert response.status_code == 200 and "乙镇机械有限公司" in response.content.decode()


@pytest.mark.parametrize(
    "role,firm,status",
    [
        ("town", "甲镇纺织有限公司", 200),
        ("town", "乙镇机械有限公司", 404),
        ("enterprise", "甲镇园区鞋业有限公司", 404),  # its own figures are in its portal
        ("enterprise", "甲镇纺织有限公司", 404),
        ("park", "甲镇食品有限公司", 404),
        ("leader", "乙镇电子有限公司", 200),
    ],
)
def test_enterprise_figures_page(facts, users, client, role, firm, status):
    client.force_login(users[role])
    response = client.get(reverse("statistics:enterprise", args=[facts["enterprises"][firm].pk]))
    assert response.status_code == status


def test_anonymous_enterprise_page(facts, client):
    pk = facts["enterprises"]["甲镇纺织有限公司"].pk
    assert client.get(reverse("statistics:enterprise", args=[pk])).status_code == 302


@pytest.mark.parametrize(
    "role,status",
    [
        ("office", 200),
        ("admin", 200),
        ("leader", 200),
        ("bureau", 200),
        ("park", 403),
        ("town", 403),
        ("enterprise", 404),
    ],
)
def test_import_pages(facts, users, client, role, status):
    client.force_login(users[role])
    assert client.get(reverse("statistics:batches")).status_code == status
    assert client.get(reverse("statistics:profiles")).status_code == status


@pytest.mark.parametrize("role,status", [("office", 200), ("leader", 403), ("park", 403), ("bureau", 403)])
def test_upload_and_settings_need_the_office(facts, users, client, role, status):
    client.force_login(users[role])
    assert client.get(reverse("statistics:upload")).status_code == status
    assert client.get(reverse("statistics:settings")).status_code == status


def _batch(users, county):
    profile = services.default_profiles(actor=users["office"])["stats"]
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    return services.import_upload(
        actor=users["office"], profile=profile, month=dt.date(2026, 4, 1), uploaded=_file(profile, firm)
    )


def _file(profile, firm):
    headers, _, _ = services.template_rows(profile)
    return xlsx(headers, [[firm.uscc, firm.name, 500] + [None] * (len(headers) - 3)])


@pytest.mark.parametrize(
    "role,status", [("office", 200), ("leader", 200), ("town", 404), ("park", 404), ("enterprise", 404)]
)
def test_batch_detail_matrix(facts, users, client, role, status):
    batch = _batch(users, facts)
    client.force_login(users[role])
    assert client.get(reverse("statistics:batch", args=[batch.pk])).status_code == status


def test_commit_and_rollback_through_the_pages(facts, users, client):
    batch = _batch(users, facts)
    client.force_login(users["leader"])
    client.post(reverse("statistics:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED  # leaders read only
    client.force_login(users["office"])
    client.post(reverse("statistics:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    client.post(reverse("statistics:batch_rollback", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK


def test_upload_page_with_profile_template(facts, users, client):
    client.force_login(users["office"])
    profile = services.default_profiles(actor=users["office"])["stats"]
    response = client.get(reverse("statistics:profile_template", args=[profile.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    firm = facts["enterprises"]["甲镇园区鞋业有限公司"]
    response = client.post(
        reverse("statistics:upload"),
        {"profile": profile.pk, "month": "2026-04", "file": _file(profile, firm)},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.STAGED


def _visible_text(html: str) -> str:
    """The page's text as a reader sees it: tags, attributes and scripts removed."""
    import re

    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_profile_builder_reads_a_sample_guesses_columns_and_saves(users, county, client):
    from qiangxian.statistics.models import ImportProfile
    from qiangxian.statistics.tests.test_import_review import bureau_file

    client.force_login(users["office"])
    shoes = county["enterprises"]["甲镇园区鞋业有限公司"]
    base = {"name": "统计局原始格式", "source": "stats", "kind": "monthly", "match_by": "uscc", "note": ""}
    sample = bureau_file([[1, shoes.uscc, shoes.name, 480, None], ["", "", "合计", 480, ""]])
    response = client.post(reverse("statistics:profile_create"), {**base, "sample": sample, "action": "read"})
    assert response.status_code == 200
    page = response.content.decode()
    text = _visible_text(page)
    for code in ("gross_output", "wan", "ytd", "current", "stats", "uscc", "True", "None"):
        assert code not in text, code
    context = response.context
    assert context["layout"]["header_row"] == 3
    roles = {r.header: (r.role, r.unit, r.year) for r in context["rows"]}
    assert roles["统一社会信用代码"][0] == "key" and roles["序号"][0] == "serial"
    assert roles["工业总产值上年同期（万元）"] == ("figure:gross_output", "wan", "last")
    preview = context["preview"]
    assert preview["lines"][0]["cells"][-2:] == ["4,800,000.00 元", "空（不是0）"]
    assert any("合计" in s for s in preview["skipped"])
    posted = {
        **base,
        "action": "save",
        "sample_token": context["sample_token"],
        "sheet_name": "规上工业",
        "header_row": "3",
        "skip_total_rows": "1",
        "skip_blank_key": "1",
        "column_count": str(len(context["rows"])),
    }
    for i, r in enumerate(context["rows"]):
        posted.update(
            {
                f"col-{i}-header": r.header,
                f"col-{i}-index": r.index,
                f"col-{i}-role": r.role,
                f"col-{i}-unit": r.unit,
                f"col-{i}-year": r.year,
                f"col-{i}-basis": r.basis,
            }
        )
    response = client.post(reverse("statistics:profile_create"), posted)
    assert response.status_code == 302
    profile = ImportProfile.objects.get(name="统计局原始格式")
    assert (profile.sheet_name, profile.header_row, profile.key_column) == ("规上工业", 3, "统一社会信用代码")
    assert profile.columns[1] == {
        "header": "工业总产值上年同期（万元）",
        "figure": "gross_output",
        "unit": "wan",
        "basis": "ytd",
        "year": "last",
    }
    # The saved profile reads back in Chinese, on its page and in the list.
    response = client.get(reverse("statistics:profile_edit", args=[profile.pk]))
    text = _visible_text(response.content.decode())
    assert "工业总产值上年同期（万元）" in text and "gross_output" not in text and "wan" not in text
    listing = _visible_text(client.get(reverse("statistics:profiles")).content.decode())
    assert "工业总产值（万元，上年同期，1-N月累计）" in listing


def test_profile_builder_refuses_a_corrupt_sample(users, county, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["office"])
    response = client.post(
        reverse("statistics:profile_create"),
        {
            "name": "坏样表",
            "source": "stats",
            "kind": "monthly",
            "match_by": "uscc",
            "sample": SimpleUploadedFile("样表.xlsx", b"not a workbook"),
            "action": "read",
        },
    )
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()


def test_breakdown_and_drilldown_exports(facts, users, client):
    client.force_login(users["leader"])
    for url, params in [
        ("statistics:breakdown", {"group": "park"}),
        ("statistics:drilldown", {"group_kind": "total", "month": "2026-03"}),
    ]:
        response = client.get(reverse(url), {**params, "export": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_batch_list_query_count_is_pinned(facts, users, client, django_assert_num_queries):
    client.force_login(users["office"])
    for _ in range(2):
        _batch(users, facts)
    client.get(reverse("statistics:batches"))
    with django_assert_num_queries(3):
        client.get(reverse("statistics:batches"))
    for _ in range(4):
        _batch(users, facts)
    with django_assert_num_queries(3):
        client.get(reverse("statistics:batches"))


def test_warning_list_query_count_is_pinned(facts, users, client, django_assert_num_queries):
    client.force_login(users["leader"])
    client.get(reverse("statistics:warnings"))
    with django_assert_num_queries(9):
        client.get(reverse("statistics:warnings"))


def test_targets_and_official_figures_are_entered_on_their_pages(facts, users, client):
    from qiangxian.statistics.models import OfficialFigure, Target

    client.force_login(users["leader"])
    assert client.post(reverse("statistics:targets"), {"indicator": "gross_output"}).status_code == 403
    client.force_login(users["office"])
    park = facts["units"]["工业园"]
    response = client.post(
        reverse("statistics:targets"),
        {
            "indicator": "gross_output",
            "year": 2026,
            "value_yi": "0.5",
            "scope": f"park:{park.pk}",
            "above_only": "on",
            "responsible_unit": park.pk,
            "note": "园区产值",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.scope_kind, target.scope_id) == (50_000_000, "park", park.pk)
    html = client.get(reverse("statistics:targets")).content.decode()
    assert "园区产值" in html and "序时" in html
    client.force_login(users["bureau"])
    response = client.post(
        reverse("statistics:official"),
        {"indicator": "value_added", "month": "2026-03", "growth_pct": "8.6", "note": "快报"},
    )
    assert response.status_code == 302
    assert OfficialFigure.objects.get().growth == Decimal("0.086")
    client.force_login(users["town"])
    assert client.post(reverse("statistics:official"), {"indicator": "value_added"}).status_code == 403
