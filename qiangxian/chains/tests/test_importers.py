"""Link and purchase imports: all rows valid or nothing changes; a re-import updates by name."""

from __future__ import annotations

import io

import pytest

from qiangxian.chains import importers, services
from qiangxian.chains.models import ChainLink, Purchase
from qiangxian.core.exports import write_xlsx

pytestmark = pytest.mark.django_db


def _xlsx(sheet, headers, rows) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets=[(sheet, headers, rows)])
    return buffer.getvalue()


def test_a_bad_row_imports_nothing_and_lists_each_error(chain):
    before = ChainLink.objects.count()
    content = _xlsx(
        importers.LINK_SHEET,
        importers.LINK_HEADERS,
        [
            ["上游", "化纤原料", "", "2821", "化纤", 500, 800, 9],
            ["侧游", "坏位置", "", "", "", None, None, 10],
            ["下游", "坏代码", "", "9999", "", -1, None, 11],
        ],
    )
    result = importers.import_links(
        actor=chain["office"], chain=chain["chain"], content=content, file_name="a.xlsx"
    )
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "环节位置"),
        (4, "典型亩均投资（万元/亩）"),
    }
    assert ChainLink.objects.count() == before


def test_export_then_import_round_trips_and_updates_by_name(chain):
    buffer = io.BytesIO()
    importers.write_links(buffer, chain["chain"])
    result = importers.import_links(
        actor=chain["office"], chain=chain["chain"], content=buffer.getvalue(), file_name="b.xlsx"
    )
    assert result.ok and result.created == 0 and result.updated == 4
    content = _xlsx(
        importers.LINK_SHEET,
        importers.LINK_HEADERS,
        [["上游", "化纤原料", "涤纶", "2822", "化纤", 500, 800, 9]],
    )
    result = importers.import_links(
        actor=chain["office"], chain=chain["chain"], content=content, file_name="c.xlsx"
    )
    assert result.ok and result.created == 1
    link = ChainLink.objects.get(name="化纤原料")
    assert link.industry_codes == ["2822"] and link.investment_per_mu == 5_000_000


def test_purchase_import_needs_a_marked_leader_and_a_known_link(chain):
    firm = chain["firms"]["甲镇园区鞋业有限公司"]
    rows = [[firm.uscc, firm.name, "品牌与电商", 2026, "直播代运营", 300, "否", "某公司", "浙江杭州"]]
    content = _xlsx(importers.PURCHASE_SHEET, importers.PURCHASE_HEADERS, rows)
    result = importers.import_purchases(
        actor=chain["office"], chain=chain["chain"], content=content, file_name="p.xlsx"
    )
    assert not result.ok and "链主企业" in result.errors[0].reason
    services.leader_save(actor=chain["office"], chain=chain["chain"], enterprise=firm)
    result = importers.import_purchases(
        actor=chain["office"], chain=chain["chain"], content=content, file_name="p.xlsx"
    )
    assert result.ok and result.created == 1
    purchase = Purchase.objects.get()
    assert purchase.amount == 3_000_000 and purchase.local is False
    rows[0][2] = "不存在的环节"
    content = _xlsx(importers.PURCHASE_SHEET, importers.PURCHASE_HEADERS, rows)
    result = importers.import_purchases(
        actor=chain["office"], chain=chain["chain"], content=content, file_name="p.xlsx"
    )
    assert not result.ok and result.errors[0].column == "环节名称"


def test_only_the_office_imports(chain, users):
    content = _xlsx(
        importers.LINK_SHEET, importers.LINK_HEADERS, [["上游", "化纤原料", "", "", "", None, None, 1]]
    )
    result = importers.import_links(
        actor=users["leader"], chain=chain["chain"], content=content, file_name="d.xlsx"
    )
    assert not result.ok
    assert not ChainLink.objects.filter(name="化纤原料").exists()
