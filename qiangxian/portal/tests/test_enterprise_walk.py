"""An enterprise user against every menu entry and every route: it never sees a government-only page
nor another enterprise's data.

The routes come from the resolver (the county-boundary walk's helpers), so a page added later is
covered the day it appears: a page route answers the enterprise only if a module opened it to
enterprises (``navigation.open_to_enterprises``); every route, pages and API alike, is asked with
the ids of every other enterprise's records and must not show their names or credit codes.
"""

from __future__ import annotations

import pytest
from django.urls import resolve

from qiangxian.core import navigation
from qiangxian.core.middleware import PUBLIC_PREFIXES
from qiangxian.core.tests.counties import B_MARKERS, build_city
from qiangxian.core.tests.test_county_leak import _b_ids, _exempt, _fill, _leaks, _queries, _routes, _text

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(django_user_model):
    return build_city(django_user_model)


def _others(city) -> tuple[list[str], list[int]]:
    """Names and codes of every enterprise but county A's own one, and the ids of their records."""
    from django.apps import apps

    from qiangxian.enterprises.models import Enterprise

    own = city["counties"]["a"]["enterprises"][0]
    others = Enterprise.objects.exclude(pk=own.pk)
    markers = list(B_MARKERS)
    for firm in others:
        markers += [firm.uscc, firm.name]
    ids = set(_b_ids(city))
    other_a = city["counties"]["a"]["enterprises"][1]
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        field = next((f for f in model._meta.fields if f.name == "enterprise"), None)
        if field is not None and field.related_model is Enterprise:
            ids.update(model._default_manager.filter(enterprise=other_a).values_list("pk", flat=True)[:20])
    ids.add(other_a.pk)
    return markers, sorted(ids)


def test_the_menu_of_an_enterprise_holds_only_its_own_pages(city, client):
    user = city["users"]["a_enterprise"]
    client.force_login(user)
    items = navigation.items_for(user, "/")
    assert [i["key"] for i in items] == ["portal"]
    urls = [items[0]["url"]] + [c["url"] for c in items[0]["children"]]
    markers, _ = _others(city)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(_text(response), markers), url
    # The home page is the portal.
    assert client.get("/").url == "/portal/"


def test_no_route_shows_an_enterprise_a_government_page_or_another_enterprises_data(city, client):
    client.force_login(city["users"]["a_enterprise"])
    markers, ids = _others(city)
    government, leaks = [], []
    for route in _routes():
        if _exempt(route):
            continue
        for path in _fill(route, ids) or []:
            for query in _queries(city) if "<" not in route else [""]:
                response = client.get(path + query)
                if response.status_code >= 500:
                    leaks.append(f"{path}{query} → {response.status_code}")
                    continue
                if not path.startswith(PUBLIC_PREFIXES) and response.status_code == 200:
                    name = resolve(path).view_name
                    if not navigation.enterprise_may_open(name):
                        government.append(f"{path} ({name})")
                found = _leaks(_text(response), markers)
                if found:
                    leaks.append(f"{path}{query} → {found}")
    assert not government, "企业用户打开了政府端页面：\n" + "\n".join(government)
    assert not leaks, "企业用户看到了其他企业的数据：\n" + "\n".join(leaks)


def test_government_pages_answer_404_to_an_enterprise(city, client):
    client.force_login(city["users"]["a_enterprise"])
    for url in (
        "/enterprises/",
        "/dashboard/",
        "/statistics/",
        "/projects/",
        "/service/",
        "/tiers/",
        "/land/",
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(city["users"]["a_office"])
    assert client.get("/enterprises/").status_code == 200
