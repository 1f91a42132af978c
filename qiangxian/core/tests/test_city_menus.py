"""No menu entry of a city's office or leader leads to a refusal: what the county does (imports,
drafting tasks from its files, the sandbox on its figures) is not offered above it."""

from __future__ import annotations

import pytest

from qiangxian.core.navigation import items_for

from .counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


@pytest.mark.parametrize("who", ["city_office", "city_leader", "a_office", "a_leader"])
def test_every_menu_entry_opens(client, city, who):
    user = city["users"][who]
    client.force_login(user)
    refused = []
    for item in items_for(user, "/"):
        for url in [item["url"], *(child["url"] for child in item["children"])]:
            status = client.get(url).status_code
            if status >= 400:
                refused.append((url, status))
    assert refused == []
