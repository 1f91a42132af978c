"""Rule sets issued by a city apply in its counties: read and evaluated there, managed by the city."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qiangxian.core.tests.counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def test_a_city_rule_is_read_and_evaluated_in_each_county_and_managed_by_the_city(city, client):
    from qiangxian.rules import selectors, services
    from qiangxian.rules.evaluation import evaluate_rule

    users = city["users"]
    rule = services.custom_rule_create(
        actor=users["city_office"], name="全市规上企业", expression="营业收入@上年 >= 0"
    )
    assert rule.issuer_id == city["city"].pk
    for who in ("a_office", "b_office", "a_bureau", "city_leader"):
        assert selectors.custom_rule_list(user=users[who]).filter(pk=rule.pk).exists(), who
    client.force_login(users["b_bureau"])
    assert "全市规上企业" in client.get("/rules/saved/").content.decode()

    for key in ("a", "b"):
        result = evaluate_rule(rule=rule, user=users[f"{key}_leader"])
        own = {e.pk for e in city["counties"][key]["enterprises"]}
        assert set(result.enterprise_ids.tolist()) == own

    with pytest.raises(PermissionDenied):
        services.custom_rule_update(
            actor=users["a_office"], rule=rule, expected_version=rule.version, name="改名"
        )
    with pytest.raises(PermissionDenied):
        services.custom_rule_delete(actor=users["b_office"], rule=rule, expected_version=rule.version)
    changed = services.custom_rule_update(
        actor=users["city_office"], rule=rule, expected_version=rule.version, description="市级统一口径"
    )
    assert changed.version == rule.version + 1


def test_a_county_rule_stays_in_its_county_and_the_city_only_reads_it(city):
    from qiangxian.rules import selectors, services
    from qiangxian.rules.models import CustomRule

    users = city["users"]
    own = CustomRule.objects.get(issuer=city["counties"]["a"]["county"])
    assert not selectors.custom_rule_list(user=users["b_office"]).filter(pk=own.pk).exists()
    assert selectors.custom_rule_list(user=users["city_leader"]).filter(pk=own.pk).exists()
    with pytest.raises(PermissionDenied):
        services.custom_rule_update(
            actor=users["city_office"],
            rule=own,
            expected_version=own.version,
            expression="营业收入@上年 >= 2万",
        )
    services.custom_rule_update(
        actor=users["a_office"], rule=own, expected_version=own.version, expression="营业收入@上年 >= 1万"
    )


def test_the_pages_offer_each_office_the_buttons_of_its_own_levels_rules_only(city, client):
    """No button that leads to a refusal: the city office edits the city's rule, not a county's;
    the county office the reverse; the city leader neither."""
    from django.urls import reverse

    from qiangxian.rules import services
    from qiangxian.rules.models import CustomRule

    users = city["users"]
    city_rule = services.custom_rule_create(
        actor=users["city_office"], name="全市规上企业", expression="营业收入@上年 >= 0"
    )
    county_rule = CustomRule.objects.get(issuer=city["counties"]["a"]["county"])
    expected = {
        "city_office": {city_rule: True, county_rule: False},
        "a_office": {city_rule: False, county_rule: True},
        "city_leader": {city_rule: False, county_rule: False},
    }
    for who, rules in expected.items():
        client.force_login(users[who])
        for rule, editable in rules.items():
            detail = client.get(reverse("rules:detail", args=[rule.pk])).content.decode()
            assert ('data-testid="delete-rule"' in detail) == editable, (who, rule.name)
            bench = client.get(reverse("rules:workbench"), {"rule": rule.pk}).content.decode()
            assert ('data-testid="save-rule"' in bench) == editable, (who, rule.name)
