"""Passwords (length, classes, no reuse, forced change, expiry) and API tokens (expiry, scope, locks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qiangxian.core import services
from qiangxian.core.choices import Role
from qiangxian.core.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password,message",
    [("Short-1a", "至少 10 位"), ("alllowercaseletters", "至少包含"), ("lowercase-and-dash", "至少包含")],
)
def test_password_rules(users, password, message):
    with pytest.raises(ValidationError, match=message):
        services.user_set_password(actor=users["town"], user=users["town"], password=password)


def test_the_last_five_passwords_cannot_come_back(users):
    town = users["town"]
    used = [f"Town-pass-{i}-2026" for i in range(6)]
    for password in used:
        services.user_set_password(actor=town, user=town, password=password)
    for password in used[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            services.user_set_password(actor=town, user=town, password=password)
    # The sixth from the last may be used again.
    services.user_set_password(actor=town, user=town, password=used[0])
    town.refresh_from_db()
    assert town.check_password(used[0])


def test_initial_password_must_be_changed_first(county, users, client):
    services.user_create(
        actor=users["office"],
        username="newcomer",
        display_name="新人",
        role=Role.TOWN,
        org_unit=county["units"]["甲镇"],
        password="Initial-pass-2026",
    )
    response = client.post(reverse("core:login"), {"username": "newcomer", "password": "Initial-pass-2026"})
    assert response.status_code == 302
    response = client.get(reverse("enterprises:list"))
    assert response.status_code == 302 and response["Location"] == reverse("core:password_change")
    assert client.get("/api/core/me").status_code == 403
    page = client.get(reverse("core:password_change")).content.decode()
    assert "初始密码或已过期" in page
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": "Initial-pass-2026",
            "password1": "Initial-pass-2026",
            "password2": "Initial-pass-2026",
        },
    )
    assert "最近 5 次" in response.content.decode()
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": "Initial-pass-2026",
            "password1": "Own-choice-2026!",
            "password2": "Own-choice-2026!",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("enterprises:list")).status_code == 200


def test_an_administrator_reset_is_an_initial_password(users, client):
    services.user_set_password(actor=users["office"], user=users["town"], password="Reset-pass-2026")
    client.force_login(users["town"])
    assert client.get("/").status_code == 302


def test_password_expires_after_ninety_days(users, client):
    town = users["town"]
    town.password_changed_at = timezone.now() - dt.timedelta(days=91)
    town.save()
    client.force_login(town)
    assert client.get("/").status_code == 302
    town.password_changed_at = timezone.now() - dt.timedelta(days=89)
    town.save()
    assert client.get("/").status_code == 200


def _me(client, key, **extra):
    return client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


def test_token_expires(users, client):
    token, key = services.api_token_create(actor=users["park"], name="对接", days=30)
    assert token.expires_at - timezone.now() > dt.timedelta(days=29)
    assert _me(client, key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, key).status_code == 401
    with pytest.raises(ValidationError):
        services.api_token_create(actor=users["park"], name="太久", days=10000)


def test_read_only_token_cannot_write(county, users, client):
    _, key = services.api_token_create(actor=users["office"], name="只读")
    payload = {
        "uscc": "91350100M000100Y43",
        "name": "新企业有限公司",
        "town_id": county["units"]["甲镇"].pk,
        "industry_code": "1311",
    }
    response = client.post(
        "/api/enterprises/", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403 and "只读" in response.json()["detail"]
    assert client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_token_refused_while_its_user_is_locked_or_inactive(users, client):
    _, key = services.api_token_create(actor=users["park"], name="对接")
    assert _me(client, key).status_code == 200
    for i in range(10):
        client.post(
            reverse("core:login"), {"username": "park", "password": "wrong-pass"}, REMOTE_ADDR=f"10.9.0.{i}"
        )
    assert _me(client, key).status_code == 401
    from axes.utils import reset

    reset(username="park")
    assert _me(client, key).status_code == 200
    users["park"].is_active = False
    users["park"].save()
    assert _me(client, key).status_code == 401


def test_idle_session_ends(users, client, settings):
    import time

    client.force_login(users["town"])
    assert client.get("/").status_code == 200
    session = client.session
    session["_qx_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
