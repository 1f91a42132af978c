"""The access gate: each role sees exactly its jurisdiction, in selectors, pages and API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from qiangxian.core.access import Scope, scope_of
from qiangxian.enterprises.models import Enterprise
from qiangxian.enterprises.selectors import access_enterprise_by_id, enterprise_list

pytestmark = pytest.mark.django_db


def expected_names(county, role):
    """The enterprises each role should see, written out from the fixture's layout by hand."""
    every = set(county["enterprises"])
    return {
        "admin": every,
        "leader": every,
        "office": every,
        "bureau": every,  # the registry is the county's common directory
        "park": {"甲镇园区鞋业有限公司", "乙镇机械有限公司"},
        "zone": {"甲镇园区鞋业有限公司"},
        "town": {"甲镇园区鞋业有限公司", "甲镇纺织有限公司", "甲镇食品有限公司"},
        "enterprise": {"甲镇园区鞋业有限公司"},
    }[role]


@pytest.mark.parametrize(
    "role", ["admin", "leader", "office", "bureau", "park", "zone", "town", "enterprise"]
)
def test_selector_returns_exactly_the_scope(county, users, role):
    names = set(enterprise_list(user=users[role]).values_list("name", flat=True))
    assert names == expected_names(county, role)


@pytest.mark.parametrize("role", ["park", "zone", "town", "enterprise"])
def test_access_by_id_hides_other_jurisdictions(county, users, role):
    from django.http import Http404

    visible = expected_names(county, role)
    for name, enterprise in county["enterprises"].items():
        if name in visible:
            assert access_enterprise_by_id(users[role], enterprise.pk).pk == enterprise.pk
        else:
            with pytest.raises(Http404):
                access_enterprise_by_id(users[role], enterprise.pk)


def test_missing_and_forbidden_look_the_same(county, users, client):
    client.force_login(users["town"])
    other = county["enterprises"]["乙镇机械有限公司"]
    missing_pk = Enterprise.objects.order_by("-pk").first().pk + 1000
    forbidden = client.get(reverse("enterprises:detail", args=[other.pk]))
    missing = client.get(reverse("enterprises:detail", args=[missing_pk]))
    assert forbidden.status_code == missing.status_code == 404
    assert "未找到" in forbidden.content.decode()

    # The same page but for the per-response masked CSRF token.
    def strip(html):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)

    assert strip(forbidden.content.decode()) == strip(missing.content.decode())


def test_user_without_unit_sees_nothing(county, django_user_model):
    stray = django_user_model.objects.create(username="stray", role="town", org_unit=None)
    assert scope_of(stray) == Scope()
    assert enterprise_list(user=stray).count() == 0


def test_role_in_wrong_kind_of_unit_sees_nothing(county, django_user_model):
    # A town role placed in a bureau must not fall through to a wider scope.
    odd = django_user_model.objects.create(username="odd", role="town", org_unit=county["units"]["统计局"])
    assert enterprise_list(user=odd).count() == 0


def test_inactive_user_sees_nothing(county, users):
    user = users["office"]
    user.is_active = False
    assert scope_of(user) == Scope()


@pytest.mark.parametrize(
    "role", ["admin", "leader", "office", "bureau", "park", "zone", "town", "enterprise"]
)
def test_list_page_shows_exactly_the_scope(county, users, client, role):
    client.force_login(users[role])
    # An enterprise reads its own record in its portal; the registry is the government's.
    page = "portal:record" if role == "enterprise" else "enterprises:list"
    html = client.get(reverse(page)).content.decode()
    for name in county["enterprises"]:
        assert (name in html) == (name in expected_names(county, role)), name


@pytest.mark.parametrize(
    "role", ["admin", "leader", "office", "bureau", "park", "zone", "town", "enterprise"]
)
def test_api_list_shows_exactly_the_scope(county, users, client, role):
    client.force_login(users[role])
    response = client.get("/api/enterprises/?limit=100")
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert names == expected_names(county, role)


def test_api_detail_of_other_town_is_not_found(county, users, client):
    client.force_login(users["town"])
    other = county["enterprises"]["乙镇电子有限公司"]
    own = county["enterprises"]["甲镇纺织有限公司"]
    assert client.get(f"/api/enterprises/{own.pk}").status_code == 200
    response = client.get(f"/api/enterprises/{other.pk}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("未找到")


def test_export_holds_only_the_scope(county, users, client):
    from python_calamine import CalamineWorkbook

    client.force_login(users["park"])
    response = client.get(reverse("enterprises:list") + "?export=xlsx")
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    names = {row[0] for row in rows[1:]}
    assert names == expected_names(county, "park")


def test_home_counts_follow_scope(county, users, client):
    client.force_login(users["town"])
    response = client.get(reverse("core:home"))
    counts = {i.key: i.count for s in response.context["sections"] for i in s.items if i.is_count}
    assert counts["enterprises-total"] == 3
    assert counts["enterprises-above"] == 2
