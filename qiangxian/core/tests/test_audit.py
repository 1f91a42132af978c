"""The audit trail: exports, views, logins and tokens recorded; nothing can change a record."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import PASSWORD
from qiangxian.core import audit, services
from qiangxian.core.choices import AuditKind, Role
from qiangxian.core.models import AuditEvent, AuditLocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(django_user_model, county):
    user = django_user_model(
        username="aud", display_name="审计员", role=Role.AUDITOR, org_unit=county["units"]["经信局"]
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _sheets(response) -> dict[str, list[list]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_an_export_is_recorded_with_its_filters_and_row_count(county, users, client):
    client.force_login(users["town"])
    response = client.get(reverse("enterprises:list"), {"export": "xlsx", "above_scale": "true", "page": "2"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    sheets = _sheets(response)
    data_rows = len(next(iter(sheets.values()))) - 1
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.username == "town"
    assert event.rows == data_rows == 2  # 甲镇's above-scale enterprises
    assert event.detail["filters"] == {"above_scale": ["true"]}
    assert event.detail["path"] == reverse("enterprises:list")
    assert event.target.startswith("企业名录") and event.target.endswith(".xlsx")
    assert event.ip == "127.0.0.1" and len(event.request_id) == 16
    # The file names the person who took it and when.
    notes = [row[0] for row in sheets["说明"]]
    assert any("town用户（town）" in str(line) and "导出时间" in str(line) for line in notes)


def test_a_record_cannot_be_changed_or_deleted(county, users, client, auditor):
    client.force_login(users["office"])
    client.get(reverse("core:user_list"), {"export": "xlsx"})
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    rows = event.rows
    event.rows = 0
    with pytest.raises(AuditLocked):
        event.save()
    with pytest.raises(AuditLocked):
        event.delete()
    with pytest.raises(AuditLocked):
        AuditEvent.objects.filter(pk=event.pk).update(rows=0)
    with pytest.raises(AuditLocked):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # No page or API writes it: the audit page answers POST, PUT and DELETE with nothing changed,
    # the API has no audit route, and the admin site does not offer the model.
    client.force_login(auditor)
    for method in ("post", "put", "delete"):
        getattr(client, method)(reverse("core:audit_list"), {"rows": 0, "id": event.pk})
    assert not [p for p in client.get("/api/openapi.json").json()["paths"] if "audit" in p]
    root = users["admin"]
    root.is_superuser = root.is_staff = True
    root.save()
    client.force_login(root)
    assert client.get("/django-admin/core/auditevent/").status_code == 404
    assert AuditEvent.objects.get(pk=event.pk).rows == rows


def test_auditor_searches_and_exports_the_trail(county, users, client, auditor):
    client.force_login(users["town"])
    client.get(reverse("enterprises:list"), {"export": "xlsx"})
    client.force_login(auditor)
    html = client.get(reverse("core:audit_list"), {"kind": "export", "username": "town"}).content.decode()
    assert "导出" in html and "town" in html
    response = client.get(reverse("core:audit_list"), {"kind": "export", "export": "xlsx"})
    assert response["Cache-Control"] == "no-store"
    rows = next(iter(_sheets(response).values()))
    assert rows[1][1] == "导出" and rows[1][2] == "town"
    # The auditor's own export is recorded too.
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, username="aud").count() == 1


def test_enterprise_views_from_outside_its_town_are_recorded(county, users, client):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    client.force_login(users["town"])
    assert client.get(reverse("enterprises:detail", args=[firm.pk])).status_code == 200
    assert not AuditEvent.objects.filter(kind=AuditKind.VIEW_OUTSIDE).exists()
    client.force_login(users["bureau"])
    assert client.get(reverse("enterprises:detail", args=[firm.pk])).status_code == 200
    event = AuditEvent.objects.get(kind=AuditKind.VIEW_OUTSIDE)
    assert event.username == "bureau" and firm.name in event.target


def test_logins_and_failures_are_recorded(users, client):
    client.post(reverse("core:login"), {"username": "park", "password": "wrong-password"})
    client.post(reverse("core:login"), {"username": "park", "password": PASSWORD})
    kinds = list(
        AuditEvent.objects.filter(username="park").order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds == [AuditKind.LOGIN_FAILED, AuditKind.LOGIN]


def test_token_created_and_used_from_a_new_address(users, client):
    _, key = services.api_token_create(actor=users["park"], name="对接")
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_CREATED, username="park").count() == 1
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get("/api/core/me", REMOTE_ADDR="10.1.0.1", **auth)
    client.get("/api/core/me", REMOTE_ADDR="10.1.0.1", **auth)
    client.get("/api/core/me", REMOTE_ADDR="10.1.0.2", **auth)
    used = AuditEvent.objects.filter(kind=AuditKind.TOKEN_NEW_ADDRESS).order_by("at", "pk")
    assert list(used.values_list("ip", flat=True)) == ["10.1.0.1", "10.1.0.2"]


def _age(event: AuditEvent, days: int) -> None:
    # Time passing, written below the model (which refuses any change).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=days), event.pk],
        )


def test_purge_keeps_six_months(users):
    old = audit.record(AuditKind.LOGIN, user=users["town"])
    recent = audit.record(AuditKind.LOGIN, user=users["park"])
    _age(old, 200)
    _age(recent, 100)
    with pytest.raises(ValidationError, match="180"):
        audit.purge(before=timezone.now() - dt.timedelta(days=90))
    assert audit.purge(before=timezone.now() - dt.timedelta(days=181)) == 1
    assert list(AuditEvent.objects.exclude(kind=AuditKind.PURGE).values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.get(kind=AuditKind.PURGE).rows == 1


def test_purge_command_refuses_a_short_retention(users):
    from django.core.management import CommandError, call_command

    _age(audit.record(AuditKind.LOGIN, user=users["town"]), 400)
    with pytest.raises(CommandError, match="180"):
        call_command("purge_audit", older_than_days=30)
    call_command("purge_audit")
    assert not AuditEvent.objects.filter(kind=AuditKind.LOGIN).exists()
