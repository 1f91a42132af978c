"""三员分立: the system, security and audit administrators each do their own job and no other's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import PASSWORD
from qiangxian.core import security, services
from qiangxian.core.choices import AuditKind, RequestStatus, Role
from qiangxian.core.models import AuditEvent, RoleChangeRequest, SecuritySettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(users, django_user_model, county):
    """The three administrators, beside the county fixture's users."""
    made = {}
    for name, role in (("sec", Role.SECURITY), ("aud", Role.AUDITOR)):
        user = django_user_model(
            username=name, display_name=f"{name}用户", role=role, org_unit=county["units"]["经信局"]
        )
        user.set_password(PASSWORD)
        user.save()
        made[name] = user
    return {**users, **made}


PAGES = {
    "core:user_list": {"admin", "office"},
    "core:orgunit_list": {"admin", "office"},
    "core:role_requests": {"admin", "office", "sec"},
    "core:security_settings": {"sec"},
    "core:login_logs": {"sec"},
    "core:token_admin": {"sec"},
    "core:audit_list": {"aud"},
}


@pytest.mark.parametrize("page", PAGES)
def test_each_administrator_reaches_only_its_own_pages(admins, client, page):
    for name in ("admin", "sec", "aud", "office", "leader", "town", "enterprise"):
        client.force_login(admins[name])
        status = client.get(reverse(page)).status_code
        # An enterprise user is refused every government page by the gate (404).
        refused = 404 if name == "enterprise" else 403
        assert status == (200 if name in PAGES[page] else refused), (name, page, status)
    client.logout()
    assert client.get(reverse(page)).status_code == 302


def test_superuser_flag_does_not_open_the_other_administrators_pages(admins, client):
    root = admins["admin"]
    root.is_superuser = True
    root.save()
    client.force_login(root)
    for page in ("core:security_settings", "core:audit_list", "core:login_logs"):
        assert client.get(reverse(page)).status_code == 403


def test_security_and_audit_administrators_see_no_business_data(admins, client):
    from qiangxian.enterprises.models import Enterprise

    for name in ("sec", "aud"):
        assert not Enterprise.objects.visible_to(admins[name]).exists()
        assert Enterprise.objects.visible_to(admins["admin"]).exists()
        client.force_login(admins[name])
        assert client.get(reverse("core:user_list")).status_code == 403


def test_role_change_is_asked_by_the_system_and_decided_by_the_security_administrator(admins, county):
    town = admins["town"]
    # Not changed directly, not even by the system administrator.
    with pytest.raises(PermissionDenied):
        services.user_update(actor=admins["admin"], user=town, role=Role.PARK)
    # The security administrator cannot ask; the auditor neither.
    for name in ("sec", "aud"):
        with pytest.raises(PermissionDenied):
            security.role_change_request(
                actor=admins[name], user=town, new_role=Role.PARK, new_unit=county["units"]["工业园"]
            )
    request = security.role_change_request(
        actor=admins["admin"],
        user=town,
        new_role=Role.PARK,
        new_unit=county["units"]["工业园"],
        reason="调岗",
    )
    town.refresh_from_db()
    assert town.role == Role.TOWN  # nothing changes before approval
    # The system administrator and the auditor cannot decide.
    for name in ("admin", "aud", "office"):
        with pytest.raises(PermissionDenied):
            security.role_change_decide(actor=admins[name], request=request, approve=True)
    security.role_change_decide(actor=admins["sec"], request=request, approve=True)
    town.refresh_from_db()
    assert (town.role, town.org_unit) == (Role.PARK, county["units"]["工业园"])
    assert RoleChangeRequest.objects.get(pk=request.pk).status == RequestStatus.APPROVED
    steps = list(
        AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGE)
        .order_by("at", "pk")
        .values_list("username", "detail")
    )
    assert [(name, detail["step"]) for name, detail in steps] == [("admin", "requested"), ("sec", "approved")]
    with pytest.raises(ValidationError):
        security.role_change_decide(actor=admins["sec"], request=request, approve=False)


def test_nobody_decides_a_change_about_themselves(admins):
    request = security.role_change_request(
        actor=admins["admin"], user=admins["sec"], new_role=Role.AUDITOR, new_unit=None
    )
    with pytest.raises(PermissionDenied):
        security.role_change_decide(actor=admins["sec"], request=request, approve=True)
    with pytest.raises(PermissionDenied):
        security.role_change_request(
            actor=admins["admin"], user=admins["admin"], new_role=Role.OFFICE, new_unit=None
        )


def test_office_cannot_ask_for_administrator_roles(admins):
    with pytest.raises(PermissionDenied):
        security.role_change_request(
            actor=admins["office"], user=admins["town"], new_role=Role.SECURITY, new_unit=None
        )


def test_role_request_and_decision_through_the_pages(admins, client, county):
    client.force_login(admins["admin"])
    url = reverse("core:role_request_create", args=[admins["bureau"].pk])
    response = client.post(
        url, {"new_role": "office", "new_unit": county["units"]["领导小组办公室"].pk, "reason": "借调"}
    )
    assert response.status_code == 302
    request = RoleChangeRequest.objects.get()
    # The system administrator's page lists it without the decision buttons; a POST is refused.
    assert "批准" not in client.get(reverse("core:role_requests")).content.decode()
    assert (
        client.post(
            reverse("core:role_request_decide", args=[request.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(admins["sec"])
    assert "批准" in client.get(reverse("core:role_requests")).content.decode()
    client.post(reverse("core:role_request_decide", args=[request.pk]), {"decision": "approve"})
    admins["bureau"].refresh_from_db()
    assert admins["bureau"].role == Role.OFFICE


def test_security_settings_only_by_the_security_administrator_and_audited(admins, client):
    for name in ("admin", "aud"):
        with pytest.raises(PermissionDenied):
            security.settings_update(actor=admins[name], password_min_length=12)
    with pytest.raises(ValidationError):
        security.settings_update(actor=admins["sec"], password_min_length=4)
    client.force_login(admins["sec"])
    data = {name: getattr(SecuritySettings.current(), name) for name in security.SETTING_FIELDS}
    data["password_min_length"] = 12
    assert client.post(reverse("core:security_settings"), data).status_code == 302
    assert SecuritySettings.current().password_min_length == 12
    event = AuditEvent.objects.get(kind=AuditKind.SECURITY_CHANGE)
    assert event.username == "sec" and event.detail["changed"] == {"password_min_length": [10, 12]}
    # The new rule applies at once.
    with pytest.raises(ValidationError, match="12"):
        services.user_set_password(actor=admins["town"], user=admins["town"], password="Abcdef-123")


def test_creating_an_administrator_is_for_the_system_administrator(admins, county):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admins["office"],
            username="s2",
            display_name="某",
            role=Role.AUDITOR,
            org_unit=None,
            password="Strong-pass-2026",
        )
    user = services.user_create(
        actor=admins["admin"],
        username="s2",
        display_name="某",
        role=Role.AUDITOR,
        org_unit=None,
        password="Strong-pass-2026",
    )
    assert user.must_change_password
    assert AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGE, target__contains="s2").exists()


def test_navigation_of_the_security_and_audit_administrators(admins, client):
    expected = {
        "sec": {"home", "security"},
        "aud": {"home", "audit"},
        "admin": {"home", "admin", "enterprises"},
    }
    for name, wanted in expected.items():
        client.force_login(admins[name])
        nav = {item["key"] for item in client.get("/").context["nav_items"]}
        assert wanted <= nav, (name, nav)
        if name != "admin":
            assert nav == wanted, (name, nav)


def test_audit_details_are_in_chinese(admins, client):
    from qiangxian.core.views_security import _detail

    services.api_token_create(actor=admins["office"], name="对接", scope="write")
    security.settings_update(actor=admins["sec"], lockout_minutes=45)
    details = [_detail(e) for e in AuditEvent.objects.order_by("pk")]
    assert "权限：读写" in details[0]
    assert "锁定时长（分钟） 30→45" in details[1]
