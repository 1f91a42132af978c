"""The drafting review page offers only the county's own units as responsible units."""

from __future__ import annotations

import pytest

from qiangxian.core.tests.counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def test_the_draft_review_offers_only_the_countys_units(city, client):
    from qiangxian.supervision.models import SourceDocument

    document = SourceDocument.objects.get(county=city["counties"]["a"]["county"])
    client.force_login(city["users"]["a_office"])
    page = client.get(f"/supervision/draft/{document.pk}/").content.decode()
    assert "甲县经信局" in page
    assert "乙县" not in page
