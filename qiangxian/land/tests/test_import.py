"""The parcel ledger import: title and 合计 rows, GB18030 csv, one error refuses the file, atomic apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiangxian.land.models import Building, Parcel

pytestmark = pytest.mark.django_db

GOOD = (
    "青山县园区地块台账\n"
    "地块编号,园区,片区,面积（亩）,用途,状态\n"
    "GY-101,工业园,东片区,12.5,工业用地,储备\n"
    "GY-001,工业园,东片区,11,工业用地,在用\n"
    "合计,,,23.5,,\n"
)


def _upload(client, text, name="台账.csv"):
    return client.post(
        reverse("land:parcel_import"),
        {"file": SimpleUploadedFile(name, text.encode("gb18030"), content_type="text/csv")},
    )


def test_checked_then_applied(client, users, space):
    client.force_login(users["park"])
    page = _upload(client, GOOD)
    assert page.status_code == 200
    checked = page.context["checked"]
    assert not checked.errors and (checked.creates, checked.updates) == (1, 1)
    assert not Parcel.objects.filter(code="GY-101").exists()  # nothing written before applying
    done = client.post(reverse("land:parcel_import"), {"action": "apply", "token": checked.token})
    assert done.status_code == 302
    assert Parcel.objects.get(code="GY-101").status == "reserve"
    assert Parcel.objects.get(code="GY-001").area_mu == 11


def test_one_bad_row_refuses_the_file(client, users, space):
    client.force_login(users["park"])
    bad = GOOD.replace("GY-101,工业园,东片区,12.5", "GY-101,工业园,东片区,8004").replace("在用", "闲着")
    checked = _upload(client, bad).context["checked"]
    reasons = " ".join(e.reason for e in checked.errors)
    assert "是否把平方米填成了亩" in reasons and "状态应为" in reasons
    assert not checked.token or not Parcel.objects.filter(code="GY-101").exists()


def test_other_park_rows_are_refused_for_a_park_user(client, users, space):
    client.force_login(users["park"])
    text = "地块编号,园区,面积（亩）\nSP-101,食品园,10\n"
    checked = _upload(client, text).context["checked"]
    assert any("本园区" in e.reason or "无权" in e.reason for e in checked.errors)
    assert not Parcel.objects.filter(code="SP-101").exists()


def test_stale_token_is_refused(client, users, space):
    client.force_login(users["park"])
    response = client.post(reverse("land:parcel_import"), {"action": "apply", "token": "0" * 32}, follow=True)
    assert "导入文件已失效" in response.content.decode()


# --- the building ledger ------------------------------------------------------------------------


def _xlsx(rows, sheet="厂房台账") -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BUILDING_HEAD = [
    "楼栋编号",
    "名称",
    "类型",
    "园区",
    "片区",
    "所在地块",
    "层数",
    "建筑面积（平方米）",
    "楼面荷载",
    "行车吨位",
    "供电容量",
    "产权单位",
    "建成年份",
]


def _upload_buildings(client, content, name="厂房台账.xlsx"):
    return client.post(
        reverse("land:building_import"),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def test_building_ledger_from_xlsx_checked_then_applied(client, users, space, county):
    owner = county["enterprises"]["乙镇机械有限公司"]
    content = _xlsx(
        [
            ["工业园厂房台账（2025年）"],
            BUILDING_HEAD,
            [
                "B-02",
                "标准厂房2号",
                "标准厂房",
                "工业园",
                "东片区",
                "GY-001",
                4,
                6400,
                8,
                10,
                800,
                owner.uscc,
                2019,
            ],
            [
                "B-01",
                "标准厂房1号",
                "标准厂房",
                "工业园",
                "东片区",
                "",
                3,
                "3200",
                "",
                "",
                "",
                "园区建设投资公司",
                2018,
            ],
            ["合计", "", "", "", "", "", "", 9600],
        ]
    )
    checked = _upload_buildings(client_login(client, users["park"]), content).context["checked"]
    assert not checked.errors and (checked.creates, checked.updates) == (1, 1)
    assert not Building.objects.filter(code="B-02").exists()  # nothing written before applying
    done = client.post(reverse("land:building_import"), {"action": "apply", "token": checked.token})
    assert done.status_code == 302
    b2 = Building.objects.get(code="B-02")
    assert (b2.floors, b2.floor_area_sqm, b2.owner, b2.parcel.code, b2.power_kva) == (
        4,
        6400,
        owner,
        "GY-001",
        800,
    )
    b1 = Building.objects.get(code="B-01")
    assert (b1.floor_area_sqm, b1.owner_name, b1.history.count()) == (3200, "园区建设投资公司", 2)


def client_login(client, user):
    client.force_login(user)
    return client


def test_building_ledger_errors_name_row_and_column_and_nothing_is_saved(client, users, space):
    content = _xlsx(
        [
            BUILDING_HEAD,
            ["B-03", "新厂房", "标准厂房", "工业园", "", "", 2, 5000, "", "", "", "", ""],
            ["B-04", "大厂房", "厂棚", "工业园", "北片区", "GY-999", "两层", 900000, "", "", "", "", 1800],
            ["B-03", "重复", "标准厂房", "工业园", "", "", 1, 100, "", "", "", "", ""],
        ]
    )
    checked = _upload_buildings(client_login(client, users["park"]), content).context["checked"]
    found = {(e.row, e.column) for e in checked.errors}
    assert {(3, "类型"), (3, "片区"), (3, "所在地块"), (3, "层数"), (3, "建成年份"), (4, "楼栋编号")} <= found
    reasons = " ".join(e.reason for e in checked.errors)
    assert "类型应为" in reasons and "地块台账中没有该地块编号" in reasons and "在文件中重复" in reasons
    assert not Building.objects.filter(code__in=["B-03", "B-04"]).exists()
    # A file with an error is not kept: applying its token is refused.
    response = client.post(
        reverse("land:building_import"), {"action": "apply", "token": checked.token}, follow=True
    )
    assert "导入文件已失效" in response.content.decode()
    assert not Building.objects.filter(code="B-03").exists()


def test_building_area_over_the_plausible_and_other_park_refused(client, users, space):
    content = _xlsx(
        [
            BUILDING_HEAD,
            ["B-05", "仓库", "仓库", "食品园", "", "", 1, 1200, "", "", "", "", ""],
            ["B-06", "厂房", "标准厂房", "工业园", "", "", 1, 900000, "", "", "", "", ""],
        ]
    )
    checked = _upload_buildings(client_login(client, users["park"]), content).context["checked"]
    by_row = {e.row: e for e in checked.errors}
    assert by_row[2].column == "园区" and "无权" in by_row[2].reason
    assert by_row[3].column == "建筑面积（平方米）" and "合理范围" in by_row[3].reason


def test_a_parcel_token_is_not_applied_as_buildings(client, users, space):
    client.force_login(users["park"])
    checked = _upload(client, GOOD).context["checked"]
    assert checked.token and not checked.errors
    response = client.post(
        reverse("land:building_import"), {"action": "apply", "token": checked.token}, follow=True
    )
    assert "导入文件已失效" in response.content.decode()
    assert not Parcel.objects.filter(code="GY-101").exists()


def test_building_import_needs_a_space_editor(client, users, space):
    client.force_login(users["town"])
    assert client.get(reverse("land:building_import")).status_code == 403
