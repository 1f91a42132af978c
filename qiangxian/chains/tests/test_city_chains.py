"""A city office sets up the chain of the city's cluster; its counties read it and place their
own enterprises on it, and nobody reshapes another level's chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qiangxian.chains import services
from qiangxian.chains.models import Chain
from qiangxian.core.tests.counties import build_city
from qiangxian.enterprises.models import Cluster

LABEL = "市级产业链（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    data = build_city(django_user_model)
    data["cluster"] = Cluster.objects.create(
        name="测试市电子信息集群", industry_codes=["3911"], issuer=data["city"]
    )
    return data


def test_the_city_office_sets_up_the_citys_chain_through_the_page(client, city):
    office = city["users"]["city_office"]
    client.force_login(office)
    index = client.get(reverse("chains:index")).content.decode()
    assert f"{reverse('chains:create')}?cluster={city['cluster'].pk}" in index
    # A county's cluster is not offered to the city.
    county_cluster = Cluster.objects.get(issuer=city["counties"]["a"]["county"])
    assert f'?cluster={county_cluster.pk}"' not in index
    response = client.post(
        reverse("chains:create") + f"?cluster={city['cluster'].pk}",
        {"name": "测试市电子信息产业链", "thin_threshold": "2"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    chain = Chain.objects.get(cluster=city["cluster"])
    link = services.link_save(actor=office, chain=chain, segment="midstream", name="电子元件制造")
    detail = client.get(reverse("chains:detail", args=[chain.pk])).content.decode()
    assert reverse("chains:link_create", args=[chain.pk]) in detail
    assert 'data-testid="propose"' not in detail  # placing enterprises is the counties'
    # County A's office reads it labelled, places its enterprises, never reshapes it.
    client.force_login(city["users"]["a_office"])
    detail = client.get(reverse("chains:detail", args=[chain.pk])).content.decode()
    assert LABEL in detail and reverse("chains:link_create", args=[chain.pk]) not in detail
    assert 'data-testid="propose"' in detail
    assert client.get(reverse("chains:link_edit", args=[link.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.link_save(actor=city["users"]["a_office"], chain=chain, segment="upstream", name="县里加的")


def test_the_city_office_does_not_reshape_a_countys_chain_and_the_leader_sets_up_none(client, city):
    a_office = city["users"]["a_office"]
    county_cluster = Cluster.objects.get(issuer=city["counties"]["a"]["county"])
    chain = Chain.objects.filter(cluster=county_cluster).first() or services.chain_save(
        actor=a_office, cluster=county_cluster, name="甲县鞋业产业链"
    )
    client.force_login(city["users"]["city_office"])
    assert client.get(reverse("chains:edit", args=[chain.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.link_save(
            actor=city["users"]["city_office"], chain=chain, segment="upstream", name="市里加的"
        )
    with pytest.raises(PermissionDenied):
        services.chain_save(actor=city["users"]["city_leader"], cluster=city["cluster"], name="市领导的链")
    client.force_login(city["users"]["city_leader"])
    assert client.get(reverse("chains:create") + f"?cluster={city['cluster'].pk}").status_code == 403
