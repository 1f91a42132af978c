"""The parcel ledger import: title and 合计 rows, GB18030 csv, one error refuses the file, atomic apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiangxian.land.models import Parcel

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
