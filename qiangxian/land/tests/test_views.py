"""Pages: who sees what (anonymous, another park, the park itself, the office), and no raw values."""

import datetime as dt

import pytest
from django.urls import reverse

from qiangxian.core.page_check import raw_values
from qiangxian.land.services import evaluation, idle

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_login(client, space):
    response = client.get(reverse("land:parcels"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_park_user_sees_only_its_park(client, users, space):
    response = _get(client, users["park"], reverse("land:parcels"))
    body = response.content.decode()
    assert "GY-001" in body and "SP-001" not in body
    other = space["parcels"]["C"]
    assert _get(client, users["park"], reverse("land:parcel", args=[other.pk])).status_code == 404
    assert _get(client, users["park"], reverse("land:parcel_edit", args=[other.pk])).status_code == 404


def test_zone_user_sees_only_its_zone(client, users, space):
    body = _get(client, users["zone"], reverse("land:parcels")).content.decode()
    assert "GY-001" in body and "GY-002" not in body


def test_park_user_edits_its_parcel(client, users, space):
    parcel = space["parcels"]["A"]
    client.force_login(users["park"])
    page = client.get(reverse("land:parcel_edit", args=[parcel.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("land:parcel_edit", args=[parcel.pk]),
        {
            "code": "GY-001",
            "park": parcel.park_id,
            "zone": parcel.zone_id,
            "area_mu": "12",
            "land_use": "industrial",
            "status": "in_use",
        },
    )
    assert response.status_code == 302
    parcel.refresh_from_db()
    assert parcel.area_mu == 12


def test_town_user_cannot_edit(client, users, space):
    parcel = space["parcels"]["A"]
    assert _get(client, users["town"], reverse("land:parcel_edit", args=[parcel.pk])).status_code in (
        403,
        404,
    )


def test_export_holds_only_the_users_rows(client, users, space):
    import io

    from python_calamine import CalamineWorkbook

    response = _get(client, users["park"], reverse("land:parcels") + "?export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    codes = {r[0] for r in rows}
    assert "GY-001" in codes and "SP-001" not in codes


@pytest.mark.parametrize("name", ["overview", "parcels", "buildings", "idle", "breaches", "results"])
def test_pages_render_without_raw_values(client, users, space, name):
    response = _get(client, users["office"], reverse(f"land:{name}"))
    assert response.status_code == 200
    assert raw_values(response.content.decode()) == []


def test_idle_item_page_for_park_user(client, users, space):
    item = idle.idle_create(
        actor=users["office"],
        kind="parcel",
        parcel=space["parcels"]["A"],
        idle_since=dt.date(2025, 3, 1),
        reason="stopped",
    )
    response = _get(client, users["park"], reverse("land:idle_item", args=[item.pk]))
    assert response.status_code == 200
    assert "企业停产/半停产" in response.content.decode()
    client.logout()
    # (Checked as the office: the fixture's park user is named "park用户", which the check flags.)
    office_view = _get(client, users["office"], reverse("land:idle_item", args=[item.pk]))
    assert raw_values(office_view.content.decode()) == []


def test_office_sees_trace_and_others_cannot_open_runs(client, users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    res = run.results.get(enterprise__name="乙镇机械有限公司")
    body = _get(client, users["office"], reverse("land:result", args=[res.pk])).content.decode()
    assert "亩均税收" in body and "15.00" in body and "40.00" in body
    assert raw_values(body) == []
    client.logout()
    assert _get(client, users["park"], reverse("land:run", args=[run.pk])).status_code == 404
    # The enterprise sees its own result, not another's.
    own = run.results.get(enterprise__name="甲镇园区鞋业有限公司")
    client.logout()
    assert _get(client, users["enterprise"], reverse("land:result", args=[own.pk])).status_code == 200
    assert _get(client, users["enterprise"], reverse("land:result", args=[res.pk])).status_code == 404


def test_map_draws_the_users_parcels_from_their_geojson(client, users, space):
    ring = [[115.6, 28.5], [115.61, 28.5], [115.61, 28.51], [115.6, 28.5]]
    for parcel in space["parcels"].values():
        parcel.boundary = {"type": "Polygon", "coordinates": [ring]}
        parcel.save()
    body = _get(client, users["park"], reverse("land:map")).content.decode()
    assert 'id="land-map-data"' in body and "GY-001" in body and "SP-001" not in body
    assert "vendor/echarts/echarts.min.js" in body
    client.logout()
    office = _get(client, users["office"], reverse("land:map") + "?colour=grade").content.decode()
    assert "SP-001" in office and raw_values(office) == []
