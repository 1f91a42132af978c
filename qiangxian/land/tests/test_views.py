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


def test_results_page_aggregates_by_park_zone_town_and_cluster_against_targets(client, users, graded_county):
    from qiangxian.enterprises.models import Cluster, ClusterMembership
    from qiangxian.land import selectors
    from qiangxian.land.models import SpaceProfile

    park = graded_county["甲镇园区鞋业有限公司"].park
    SpaceProfile.objects.create(
        unit=park, park=park, tax_target_per_mu=200_000, output_target_per_mu=1_000_000
    )
    cluster = Cluster.objects.create(name="机械制造集群")
    ClusterMembership.objects.create(cluster=cluster, enterprise=graded_county["乙镇机械有限公司"])
    ClusterMembership.objects.create(cluster=cluster, enterprise=graded_county["甲镇园区鞋业有限公司"])
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    by_cluster = {r["name"]: r for r in selectors.aggregates(user=users["office"], run=run, by="cluster")}
    # 机械 10 亩 + 鞋业 10 亩 (parcels GY-001/002 are 10 and 20: 鞋业 holds 10, 机械 20).
    assert by_cluster["机械制造集群"]["n"] == 2 and by_cluster["（未划入）"]["n"] == 1
    assert by_cluster["机械制造集群"]["tax_per_mu"] == pytest.approx(500 / 30)
    by_zone = {r["name"]: r for r in selectors.aggregates(user=users["office"], run=run, by="zone")}
    assert by_zone["东片区"]["n"] == 1 and by_zone["（未划入）"]["n"] == 2
    by_park = {r["name"]: r for r in selectors.aggregates(user=users["office"], run=run, by="park")}
    assert by_park["工业园"]["tax_target"] == 20 and by_park["工业园"]["tax_per_mu"] == pytest.approx(
        500 / 30
    )
    body = _get(client, users["office"], reverse("land:results")).content.decode()
    for testid in ("aggregate-park", "aggregate-zone", "aggregate-town", "aggregate-cluster"):
        assert testid in body
    assert "机械制造集群" in body and "目标 20.00" in body and raw_values(body) == []


def test_bonus_and_veto_items_page_adds_items_and_records_enterprises(client, users, graded_county):
    from qiangxian.land.models import AdjustmentRecord, SchemeAdjustment

    scheme = evaluation.Scheme.objects.get()
    url = reverse("land:scheme_adjustments", args=[scheme.pk])
    client.force_login(users["office"])
    # An adopted scheme's items are fixed.
    client.post(url, {"action": "item", "kind": "bonus", "name": "专精特新", "points": "5"})
    assert not SchemeAdjustment.objects.exists()
    draft = evaluation.scheme_copy(actor=users["office"], scheme=scheme)
    url = reverse("land:scheme_adjustments", args=[draft.pk])
    bad = client.post(url, {"action": "item", "kind": "veto", "name": "重大安全事故", "grade_cap": ""})
    assert "否决项须选择最高可评类别" in bad.content.decode()
    client.post(url, {"action": "item", "kind": "veto", "name": "重大安全事故", "grade_cap": "C"})
    client.post(url, {"action": "item", "kind": "bonus", "name": "专精特新", "points": "5"})
    assert set(draft.adjustments.values_list("name", "grade_cap")) == {
        ("重大安全事故", "C"),
        ("专精特新", ""),
    }
    firm = graded_county["甲镇园区鞋业有限公司"]
    missing = client.post(
        url, {"action": "record", "enterprise": firm.uscc, "name": "重大安全事故", "source": ""}
    )
    assert "请填写依据" in missing.content.decode() and not AdjustmentRecord.objects.exists()
    client.post(
        url,
        {"action": "record", "enterprise": firm.uscc, "name": "重大安全事故", "source": "安委办〔2025〕3号"},
    )
    record = AdjustmentRecord.objects.get()
    assert (record.year, record.enterprise, record.name) == (2025, firm, "重大安全事故")
    # The veto holds the firm at C in the draft's sandbox run (it is A otherwise).
    base = evaluation.run_create(actor=users["office"], scheme=scheme)
    run = evaluation.run_create(actor=users["office"], scheme=draft, kind="sandbox", compared_to=base)
    assert base.results.get(enterprise=firm).grade == "A" and run.results.get(enterprise=firm).grade == "C"
    body = client.get(url).content.decode()
    assert "安委办〔2025〕3号" in body and "最高评为 C 类" in body and raw_values(body) == []
    client.logout()
    assert _get(client, users["park"], url).status_code == 404
