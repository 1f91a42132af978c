"""Accounts, registration, record corrections and data requests: who may, what changes, what waits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.core.models import User
from qiangxian.portal import services
from qiangxian.portal.models import EnterpriseAccount, Registration
from qiangxian.tiers.models import AssessmentValue

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Qx-firm-pass-2026"


def _register(enterprise, **overrides):
    data = {
        "uscc": enterprise.uscc,
        "contact_name": "王经理",
        "phone": "13905551234",
        "username": "fangzhi",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return services.registration_submit(**data)


def test_registration_checks_the_code_phone_and_name_in_chinese(county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    wrong = firm.uscc[:17] + ("0" if firm.uscc[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        _register(firm, uscc=wrong, phone="123", username="a")
    errors = error.value.message_dict
    assert "第18位校验码" in errors["uscc"][0]
    assert "11 位手机号码" in errors["phone"][0]
    assert "用户名" in errors["username"][0]
    assert not Registration.objects.exists()


def test_registration_refuses_an_unknown_enterprise_and_a_second_pending_one(county):
    from qiangxian.enterprises.uscc import make_uscc

    with pytest.raises(ValidationError) as error:
        _register(county["enterprises"]["甲镇纺织有限公司"], uscc=make_uscc("9", "1", "361129", "Y0000001"))
    assert "企业名录中没有" in error.value.message_dict["uscc"][0]
    _register(county["enterprises"]["甲镇纺织有限公司"])
    with pytest.raises(ValidationError) as error:
        _register(county["enterprises"]["甲镇纺织有限公司"], username="other1")
    assert "审核中" in error.value.message_dict["uscc"][0]


def test_only_its_town_or_the_office_approves_and_the_account_keeps_the_chosen_password(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    registration = _register(firm)
    other_town = User.objects.create(
        username="yitown", role="town", org_unit=county["units"]["乙镇"], display_name="乙镇"
    )
    for outsider in (other_town, users["bureau"], users["enterprise"]):
        with pytest.raises(PermissionDenied):
            services.registration_decide(actor=outsider, registration=registration, approve=True)
    services.registration_decide(actor=users["town"], registration=registration, approve=True)
    registration.refresh_from_db()
    user = registration.user
    assert registration.state == "approved" and user.role == "enterprise"
    assert user.check_password(GOOD_PASSWORD) and not user.must_change_password
    firm.refresh_from_db()
    assert user.org_unit_id == firm.org_unit_id and services.own_enterprise(user) == firm
    assert EnterpriseAccount.objects.get(user=user).is_admin
    with pytest.raises(ValidationError):  # decided once
        services.registration_decide(
            actor=users["office"], registration=registration, approve=False, note="x"
        )


def test_rejection_needs_a_reason(county, users):
    registration = _register(county["enterprises"]["甲镇纺织有限公司"])
    with pytest.raises(ValidationError):
        services.registration_decide(actor=users["town"], registration=registration, approve=False)
    services.registration_decide(
        actor=users["town"], registration=registration, approve=False, note="非本企业人员"
    )
    registration.refresh_from_db()
    assert registration.state == "rejected" and registration.user is None


def test_the_enterprise_administrator_adds_and_removes_only_its_own_ordinary_users(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    admin = services.account_create(
        actor=users["town"],
        enterprise=firm,
        username="fz_admin",
        display_name="管理员",
        phone="13905550000",
        password=GOOD_PASSWORD,
    )
    assert admin.is_admin and admin.user.must_change_password
    staff = services.account_create(
        actor=admin.user,
        enterprise=firm,
        username="fz_staff",
        display_name="会计",
        phone="13905550001",
        password=GOOD_PASSWORD,
    )
    assert not staff.is_admin
    with pytest.raises(PermissionDenied):
        services.account_create(
            actor=admin.user,
            enterprise=county["enterprises"]["乙镇机械有限公司"],
            username="x_other",
            display_name="x",
            phone="13905550002",
            password=GOOD_PASSWORD,
        )
    with pytest.raises(PermissionDenied):
        services.account_remove(actor=staff.user, account=admin)
    services.account_remove(actor=admin.user, account=staff)
    staff.user.refresh_from_db()
    assert not staff.user.is_active


def test_a_correction_changes_the_record_only_when_the_office_approves(county, users):
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    request = services.correction_submit(
        actor=users["enterprise"],
        enterprise=firm,
        changes={"legal_representative": "李四", "name": firm.name},
        reason="法定代表人变更",
    )
    assert request.changes == {"legal_representative": "李四"}
    firm.refresh_from_db()
    assert firm.legal_representative != "李四"
    with pytest.raises(PermissionDenied):
        services.correction_decide(actor=users["town"], request=request, approve=True)
    services.correction_decide(actor=users["office"], request=request, approve=True)
    firm.refresh_from_db()
    assert firm.legal_representative == "李四"
    assert firm.history.first().history_user == users["office"]


def test_a_correction_of_another_enterprise_is_refused(county, users):
    with pytest.raises(PermissionDenied):
        services.correction_submit(
            actor=users["enterprise"],
            enterprise=county["enterprises"]["乙镇机械有限公司"],
            changes={"short_name": "乙机"},
            reason="x",
        )


def _pdf():
    return SimpleUploadedFile("审计报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")


def test_data_values_wait_for_the_office_then_go_through_the_assessment_service(county, users):
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    request = services.data_request_create(
        actor=users["office"],
        enterprise=firm,
        title="专精特新申报",
        year=2025,
        indicators=["ip_class1", "rd_expense"],
    )
    items = {i.indicator: i for i in request.items.all()}
    assert items["rd_expense"].unit == "万元"
    values = {f"item_{items['ip_class1'].pk}": "3", f"item_{items['rd_expense'].pk}": "120.5"}
    with pytest.raises(ValidationError) as error:  # evidence required to submit
        services.data_request_fill(actor=users["enterprise"], request=request, values=values)
    assert "证明材料" in error.value.message_dict["evidence"][0]
    with pytest.raises(PermissionDenied):
        services.data_request_fill(actor=users["town"], request=request, values=values, evidence=_pdf())
    services.data_request_fill(actor=users["enterprise"], request=request, values=values, evidence=_pdf())
    request.refresh_from_db()
    assert request.state == "submitted"
    assert not AssessmentValue.objects.filter(enterprise=firm).exists()
    services.data_request_decide(actor=users["office"], request=request, approve=True)
    saved = AssessmentValue.objects.get(enterprise=firm, indicator="ip_class1", year=2025)
    assert saved.value == Decimal(3) and "专精特新申报" in saved.source_note
    assert saved.entered_by == users["office"]
    # Typed in 万元, stored in the engine's yuan.
    rd = AssessmentValue.objects.get(enterprise=firm, indicator="rd_expense", year=2025)
    assert rd.value == Decimal("1205000")


def test_a_returned_request_needs_a_reason_and_opens_again(county, users):
    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    indicator = "ip_class2"
    request = services.data_request_create(
        actor=users["office"],
        enterprise=firm,
        title="补充数据",
        year=2025,
        indicators=[indicator],
        due_on=dt.date.today(),
    )
    values = {f"item_{request.items.get().pk}": "abc"}
    with pytest.raises(ValidationError) as error:
        services.data_request_fill(actor=users["enterprise"], request=request, values=values, evidence=_pdf())
    assert "数值" in next(iter(error.value.message_dict.values()))[0]
    values = {f"item_{request.items.get().pk}": "1"}
    services.data_request_fill(actor=users["enterprise"], request=request, values=values, evidence=_pdf())
    with pytest.raises(ValidationError):
        services.data_request_decide(actor=users["office"], request=request, approve=False)
    services.data_request_decide(actor=users["office"], request=request, approve=False, note="材料不清晰")
    request.refresh_from_db()
    assert request.state == "returned"
    services.data_request_fill(actor=users["enterprise"], request=request, values=values)
    request.refresh_from_db()
    assert request.state == "submitted"
