"""A city office defines the city's clusters; its counties read them, members by class in each."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qiangxian.core.tests.counties import build_city
from qiangxian.enterprises import services
from qiangxian.enterprises.models import Cluster, ClusterMembership

LABEL = "市级集群（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def test_the_city_office_creates_a_cluster_matched_in_each_county(client, city):
    client.force_login(city["users"]["city_office"])
    assert (
        reverse("enterprises:cluster_create")
        in client.get(reverse("enterprises:cluster_list")).content.decode()
    )
    response = client.post(
        reverse("enterprises:cluster_create"), {"name": "测试市电子信息集群", "industry_codes": "3911"}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    cluster = Cluster.objects.get(name="测试市电子信息集群")
    assert cluster.issuer_id == city["city"].pk
    detail = client.get(reverse("enterprises:cluster_detail", args=[cluster.pk])).content.decode()
    assert 'data-testid="cluster-edit"' in detail
    # Members by class in both counties (each has one 3911 enterprise).
    members = set(ClusterMembership.objects.filter(cluster=cluster).values_list("enterprise_id", flat=True))
    expected = {
        e.pk for key in ("a", "b") for e in city["counties"][key]["enterprises"] if e.industry_code == "3911"
    }
    assert len(expected) == 2 and members == expected
    # County A's office reads it labelled, without the button, and is refused the edit.
    client.force_login(city["users"]["a_office"])
    detail = client.get(reverse("enterprises:cluster_detail", args=[cluster.pk])).content.decode()
    assert LABEL in detail and 'data-testid="cluster-edit"' not in detail
    assert client.get(reverse("enterprises:cluster_edit", args=[cluster.pk])).status_code == 403


def test_the_city_office_cannot_redefine_a_countys_cluster(client, city):
    own = Cluster.objects.get(issuer=city["counties"]["a"]["county"])
    client.force_login(city["users"]["city_office"])
    detail = client.get(reverse("enterprises:cluster_detail", args=[own.pk])).content.decode()
    assert 'data-testid="cluster-edit"' not in detail
    assert client.get(reverse("enterprises:cluster_edit", args=[own.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.cluster_save(
            actor=city["users"]["city_office"], cluster=own, name="改名", industry_codes=["1952"]
        )


def test_the_city_leader_creates_no_cluster(client, city):
    client.force_login(city["users"]["city_leader"])
    assert (
        reverse("enterprises:cluster_create")
        not in client.get(reverse("enterprises:cluster_list")).content.decode()
    )
    assert client.get(reverse("enterprises:cluster_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.cluster_save(actor=city["users"]["city_leader"], name="市领导集群", industry_codes=["3911"])
