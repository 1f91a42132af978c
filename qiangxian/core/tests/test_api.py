"""The API: OpenAPI document, authentication by session and token, scoping."""

from __future__ import annotations

import pytest

from qiangxian.core import services

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_routers(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    paths = set(schema["paths"])
    assert "/api/core/me" in paths and "/api/enterprises/" in paths


def test_anonymous_gets_401_in_chinese(client):
    response = client.get("/api/core/me")
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_token_authenticates_as_its_user(users, client):
    _, key = services.api_token_create(actor=users["park"], name="测试")
    response = client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "park"
    assert client.get("/api/core/me", HTTP_AUTHORIZATION="Bearer qx_wrong").status_code == 401


def test_session_write_requires_csrf(county, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["office"])
    payload = {
        "uscc": "91350100M000100Y43",
        "name": "新企业有限公司",
        "town_id": county["units"]["甲镇"].pk,
        "industry_code": "1311",
    }
    response = client.post("/api/enterprises/", payload, content_type="application/json")
    assert response.status_code == 403


def test_create_via_token_validates_code(county, users, client):
    _, key = services.api_token_create(actor=users["office"], name="测试", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    bad = {
        "uscc": "91350100M000100Y44",
        "name": "新企业有限公司",
        "town_id": county["units"]["甲镇"].pk,
        "industry_code": "1311",
    }
    response = client.post("/api/enterprises/", bad, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "第18位" in str(response.json()["errors"]["uscc"])
    good = dict(bad, uscc="91350100M000100Y43")
    response = client.post("/api/enterprises/", good, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "新企业有限公司"


def test_town_cannot_create_in_other_town(county, users, client):
    _, key = services.api_token_create(actor=users["town"], name="测试", scope="write")
    payload = {
        "uscc": "91350100M000100Y43",
        "name": "越界企业有限公司",
        "town_id": county["units"]["乙镇"].pk,
        "industry_code": "1311",
    }
    response = client.post(
        "/api/enterprises/", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 422
    assert "本乡镇" in str(response.json()["errors"])


def test_leader_cannot_write(county, users, client):
    _, key = services.api_token_create(actor=users["leader"], name="测试", scope="write")
    payload = {
        "uscc": "91350100M000100Y43",
        "name": "企业有限公司",
        "town_id": county["units"]["甲镇"].pk,
        "industry_code": "1311",
    }
    response = client.post(
        "/api/enterprises/", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403
