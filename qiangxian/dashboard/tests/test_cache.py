"""The dashboard is built once per month and scope, and built again as soon as its inputs change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.dashboard import services
from qiangxian.statistics import rollup

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def builds(monkeypatch):
    calls = []
    real = services.build

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "build", counted)
    return calls


def test_kept_per_month_and_scope(facts, builds):
    first = services.build_cached(month=MARCH, scope=("county", 0))
    again = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 1
    assert again.total.growth == first.total.growth
    services.build_cached(month=MARCH, scope=("county", 0), above_only=False)
    assert len(builds) == 2


def test_rebuilt_when_the_figures_change(facts, builds):
    from qiangxian.statistics.models import MonthlyFact

    before = services.build_cached(month=MARCH, scope=("county", 0))
    fact = MonthlyFact.objects.filter(month=MARCH).first()
    MonthlyFact.objects.filter(pk=fact.pk).update(gross_output_ytd=fact.gross_output_ytd + D(1_000_000))
    rollup.refresh_months([MARCH], follow=False)
    after = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 2
    assert after.total.value != before.total.value


def test_rebuilt_when_a_target_is_set(facts, users, builds):
    from qiangxian.statistics import services as stat_services

    services.build_cached(month=MARCH, scope=("county", 0))
    stat_services.target_save(actor=users["office"], indicator="gross_output", year=2026, value=D(50_000_000))
    board = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 2
    assert board.targets


# --- the page's body, kept per scope ------------------------------------------------------------


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


@pytest.fixture
def bodies(monkeypatch):
    """Counts the renderings of the dashboard's body (a kept body is not rendered again)."""
    from qiangxian.dashboard import views

    calls = []
    real = views._board_html

    def counted(request, *args):
        calls.append(request.user.username)
        return real(request, *args)

    monkeypatch.setattr(views, "_board_html", counted)
    return calls


def test_the_body_is_kept_per_scope_and_never_crosses_scopes(facts, users, client, django_user_model, bodies):
    from django.urls import reverse

    from qiangxian.core.choices import Role

    town_b = django_user_model.objects.create(
        username="town_b", display_name="乙镇用户", role=Role.TOWN, org_unit=facts["units"]["乙镇"]
    )
    pages = {}
    for user in [users["town"], town_b, users["leader"], users["town"], town_b, users["leader"]]:
        client.force_login(user)
        pages.setdefault(user.username, []).append(client.get(reverse("dashboard:index")).content.decode())
    # Rendered once per scope, then served from the cache with the same body.
    assert bodies == ["town", "town_b", "leader"]
    for first, second in pages.values():
        # The same page but for the CSRF token, which is new on every page (never in the kept body).
        assert _without_tokens(first) == _without_tokens(second) and first != second
    assert "甲镇食品有限公司" in pages["town"][0] and "乙镇机械有限公司" not in pages["town"][0]
    assert "乙镇机械有限公司" in pages["town_b"][0] and "甲镇食品有限公司" not in pages["town_b"][0]
    assert "乙镇" in pages["leader"][0] and "甲镇" in pages["leader"][0]
    # The kept body holds neither the reader's name nor a CSRF token: the shell around it does.
    assert "town_b用户" not in pages["town"][0] and "乙镇用户" in pages["town_b"][0]


def test_a_change_of_the_data_shows_on_the_next_request(facts, users, client, bodies):
    from django.urls import reverse

    from qiangxian.projects.models import ProjectTarget
    from qiangxian.statistics import services as stat_services

    client.force_login(users["leader"])
    before = client.get(reverse("dashboard:index")).content.decode()
    assert "序时" not in before
    stat_services.target_save(actor=users["office"], indicator="gross_output", year=2026, value=D(50_000_000))
    after = client.get(reverse("dashboard:index")).content.decode()
    assert "序时" in after
    # The projects' figures are part of the body too: a new target shows at once.
    ProjectTarget.objects.create(year=2026, industrial_investment=D("51e8"), funds_in_place=D("42e8"))
    last = client.get(reverse("dashboard:index")).content.decode()
    assert last != after and "51.00亿元" in last
    assert len(bodies) == 3
