"""Services: validation in Chinese, versions, matching, the 免申即享 and 快申快享 lifecycles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.core.concurrency import is_stale
from qiangxian.policies import services
from qiangxian.policies.choices import ApplicationStatus, MatchOutcome
from qiangxian.policies.models import Application, Clause, ClauseVersion, Match, MatchAlert, Payment
from qiangxian.policies.outcomes import enterprise_matches, materialise

from .conftest import AS_OF, version_data


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"eligibility": "研发费用@上年 >= "}, "eligibility", "无法编译"),
        ({"eligibility": "研发费用@上年 >= 3%"}, "eligibility", "无法比较"),
        ({"benefit_amount": Decimal(0)}, "benefit_amount", "不给付任何资金"),
        (
            {"benefit_kind": "rate", "benefit_rate": Decimal("0.1"), "benefit_base": ""},
            "benefit_base",
            "计算基数",
        ),
        (
            {"benefit_kind": "tiers", "benefit_tiers": "100:0", "benefit_base": "营业收入@上年"},
            "benefit_tiers",
            "不给付",
        ),
        ({"cap_per_enterprise_year": Decimal(-1)}, "cap_per_enterprise_year", "不能小于0"),
        ({"exclusion_rule": "highest"}, "exclusion_group", "互斥组"),
    ],
)
def test_bad_clause_refused_naming_the_field_and_nothing_saved(users, policy, overrides, field, words):
    with pytest.raises(ValidationError) as info:
        services.clause_save(
            actor=users["office"], policy=policy, data={"title": "条款", **version_data(**overrides)}
        )
    assert field in info.value.message_dict
    assert words in "".join(info.value.message_dict[field])
    assert not Clause.objects.exists() and not ClauseVersion.objects.exists()


def test_only_the_office_keeps_the_library(users, policy):
    with pytest.raises(PermissionDenied):
        services.clause_save(actor=users["bureau"], policy=policy, data={"title": "x", **version_data()})


def test_matching_records_met_near_unknown(run, county):
    e = county["enterprises"]
    assert not Match.objects.filter(run=run).exists()  # kept packed until a list needs the rows
    assert materialise(run) == 4  # met 2, near 1, unknown 1
    rows = {m.enterprise_id: m for m in Match.objects.filter(run=run)}
    assert rows[e["甲镇园区鞋业有限公司"].pk].outcome == MatchOutcome.MET
    assert rows[e["甲镇园区鞋业有限公司"].pk].amount == Decimal(200_000)
    near = rows[e["甲镇纺织有限公司"].pk]
    assert near.outcome == MatchOutcome.NOT_MET and near.near and "还差 50万元" in near.gap
    assert rows[e["甲镇食品有限公司"].pk].outcome == MatchOutcome.UNKNOWN
    assert "研发费用" in rows[e["甲镇食品有限公司"].pk].missing
    assert e["乙镇电子有限公司"].pk not in rows  # far from eligible: no row stored
    assert run.met_count == 2 and run.near_count == 1 and run.total_amount == Decimal(400_000)
    assert run.versions == {str(near.clause_id): near.clause_version_id}


def test_packed_results_read_as_the_written_rows(run, county):
    # The enterprise page reads the packed results; lists read the written rows: the same facts.
    materialise(run)
    fields = ("clause_id", "clause_version_id", "outcome", "near", "gross_amount", "amount", "note", "gap")
    for enterprise in county["enterprises"].values():
        packed = [
            tuple(getattr(m, f) for f in (*fields, "missing")) for m in enterprise_matches(run, enterprise.pk)
        ]
        stored = list(Match.objects.filter(run=run, enterprise=enterprise).values_list(*fields, "missing"))
        assert packed == stored
    assert materialise(run) == 0  # written once


def _notified(users, run):
    services.notify_run(actor=users["office"], run=run)
    return Application.objects.get(enterprise__name="甲镇园区鞋业有限公司")


def test_auto_grant_flow_to_payment(users, run, county):
    app = _notified(users, run)
    assert app.status == ApplicationStatus.MATCHED and app.notified_at is not None
    notices = services.match_notices(user=users["office"], run=run)
    assert any("20" in n.text and n.enterprise == "甲镇园区鞋业有限公司" for n in notices)
    services.willingness_confirm(
        actor=users["enterprise"], application=app, bank_name="县农商银行", bank_account="6228480012345678"
    )
    assert app.status == ApplicationStatus.SUBMITTED and not app.on_behalf and app.trace
    approved, excluded = services.approve_batch(actor=users["office"], applications=[app])
    assert (approved, excluded) == (1, 0)
    with pytest.raises(ValidationError) as info:
        services.payment_record(
            actor=users["office"],
            application=app,
            amount=Decimal(200_001),
            paid_on=dt.date(2026, 6, 1),
            voucher_number="PZ001",
        )
    assert "不能大于核定金额" in info.value.message_dict["amount"][0]
    assert not Payment.objects.exists()
    services.payment_record(
        actor=users["office"],
        application=app,
        amount=Decimal(200_000),
        paid_on=dt.date(2026, 6, 1),
        voucher_number="PZ001",
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PAID and app.payment.paying_unit == county["units"]["经信局"]


def test_liaison_confirms_on_behalf_recorded(users, run, county):
    from qiangxian.enterprises.models import EnterpriseLiaison

    app = _notified(users, run)
    EnterpriseLiaison.objects.create(enterprise=app.enterprise, user=users["town"], role="official")
    services.willingness_confirm(
        actor=users["town"], application=app, bank_name="县农商银行", bank_account="62284800123"
    )
    app.refresh_from_db()
    assert app.on_behalf and app.confirmed_by == users["town"]
    assert app.history.first().history_change_reason == "包联干部代企业确认享受意愿"


def test_another_enterprise_cannot_confirm(users, run, county):
    from qiangxian.policies.models import Application as A

    services.notify_run(actor=users["office"], run=run)
    other = A.objects.get(enterprise__name="乙镇机械有限公司")
    with pytest.raises(PermissionDenied):
        services.willingness_confirm(
            actor=users["enterprise"], application=other, bank_name="x", bank_account="12345678"
        )


def test_two_officers_approving_at_once_one_wins(users, run):
    app = _notified(users, run)
    services.willingness_confirm(
        actor=users["enterprise"], application=app, bank_name="银行", bank_account="12345678"
    )
    first, second = Application.objects.get(pk=app.pk), Application.objects.get(pk=app.pk)
    services.application_approve(actor=users["office"], application=first)
    with pytest.raises(ValidationError) as info:
        services.application_approve(actor=users["admin"], application=second, amount=Decimal(100_000))
    assert is_stale(info.value)
    assert Application.objects.get(pk=app.pk).approved_amount == Decimal(200_000)


def test_clause_change_after_decision_leaves_it(users, run, rd_clause, policy):
    app = _notified(users, run)
    services.willingness_confirm(
        actor=users["enterprise"], application=app, bank_name="银行", bank_account="12345678"
    )
    services.application_approve(actor=users["office"], application=app)
    old_version = app.clause_version_id
    # Same effective date: refused, the decided version cannot change.
    with pytest.raises(ValidationError) as info:
        services.clause_save(
            actor=users["office"],
            policy=policy,
            clause=rd_clause,
            data=version_data(benefit_amount=Decimal(500_000)),
        )
    assert "已有兑现决定" in info.value.message_dict["effective_from"][0]
    # A later date adds a version; the decision keeps its own version and amount.
    services.clause_save(
        actor=users["office"],
        policy=policy,
        clause=rd_clause,
        data=version_data(effective_from=dt.date(2026, 7, 1), benefit_amount=Decimal(500_000)),
    )
    app.refresh_from_db()
    assert app.clause_version_id == old_version and app.approved_amount == Decimal(200_000)
    assert app.clause_version.benefit_amount == Decimal(200_000)
    assert rd_clause.version_on(dt.date(2026, 7, 2)).benefit_amount == Decimal(500_000)


@pytest.fixture
def quick_clause(users, policy, county):
    unit = county["units"]["经信局"]
    version = services.clause_save(
        actor=users["office"],
        policy=policy,
        publish=True,
        data={
            "title": "技术改造补助",
            **version_data(
                eligibility="营业收入@上年 >= 0",
                benefit_kind="rate",
                benefit_rate=Decimal("0.1"),
                benefit_base="",
                cap_per_enterprise_year=Decimal(1_000_000),
                mode="quick_application",
                window_from=dt.date(2026, 1, 1),
                window_to=dt.date(2026, 12, 31),
                documents_required=["设备发票"],
                review_unit=unit,
                paying_unit=unit,
                review_days=10,
            ),
        },
    )
    return version.clause


def test_quick_application_returned_then_approved(users, county, quick_clause, figures):
    own = county["enterprises"]["甲镇园区鞋业有限公司"]
    app = services.quick_apply(
        actor=users["enterprise"],
        enterprise=own,
        clause=quick_clause,
        bank_name="银行",
        bank_account="12345678",
        declared_base=Decimal(20_000_000),
        on=dt.date(2026, 9, 28),
    )
    assert app.estimated_amount == Decimal(1_000_000)  # 10% of 2000万 = 200万, capped at 100万
    # 10 working days from Monday 2026-09-28: 09-29, 09-30, then the National Day holiday
    # (10-01 … 10-07), 10-08, 10-09, the adjusted working Saturday 10-10, 10-12 … 10-16.
    # Monday to Friday alone would give 10-12.
    assert app.review_deadline == dt.date(2026, 10, 16)
    services.application_return(actor=users["office"], application=app, reason="缺少设备发票")
    assert app.status == ApplicationStatus.RETURNED
    services.quick_apply(
        actor=users["enterprise"],
        enterprise=own,
        clause=quick_clause,
        application=app,
        bank_name="银行",
        bank_account="12345678",
        declared_base=Decimal(5_000_000),
        on=dt.date(2026, 10, 9),
    )
    services.application_approve(actor=users["office"], application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED and app.approved_amount == Decimal(500_000)
    reasons = [h.history_change_reason for h in app.history.all()]
    assert "退回修改" in reasons and "重新提交申报" in reasons


def test_closed_window_refused(users, county, quick_clause):
    own = county["enterprises"]["甲镇园区鞋业有限公司"]
    with pytest.raises(ValidationError) as info:
        services.quick_apply(
            actor=users["enterprise"],
            enterprise=own,
            clause=quick_clause,
            bank_name="银行",
            bank_account="12345678",
            declared_base=Decimal(1),
            on=dt.date(2027, 1, 5),
        )
    assert "申报窗口已关闭" in info.value.message_dict["clause"][0]
    assert not Application.objects.exists()


def test_evidence_type_and_size_checked(users, county, quick_clause, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = county["enterprises"]["甲镇园区鞋业有限公司"]
    app = services.quick_apply(
        actor=users["enterprise"],
        enterprise=own,
        clause=quick_clause,
        bank_name="银行",
        bank_account="12345678",
        declared_base=Decimal(1_000_000),
        on=dt.date(2026, 6, 1),
    )
    fake = SimpleUploadedFile("发票.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.evidence_add(actor=users["enterprise"], application=app, kind="设备发票", upload=fake)
    assert "不是有效的 .pdf" in info.value.message_dict["file"][0]
    exe = SimpleUploadedFile("发票.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.evidence_add(actor=users["enterprise"], application=app, kind="设备发票", upload=exe)
    big = SimpleUploadedFile("发票.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.evidence_add(actor=users["enterprise"], application=app, kind="设备发票", upload=big)
    assert "不能超过 10MB" in info.value.message_dict["file"][0]
    good = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    evidence = services.evidence_add(actor=users["enterprise"], application=app, kind="设备发票", upload=good)
    assert evidence.file.storage.exists(evidence.file.name) and evidence.original_name == "发票.pdf"
    assert app.evidence.count() == 1


def test_batch_review_excludes_with_reasons(users, run):
    services.notify_run(actor=users["office"], run=run)
    apps = list(Application.objects.order_by("pk"))
    for a in apps:
        services.willingness_confirm(
            actor=users["office"], application=a, bank_name="银行", bank_account="12345678"
        )
    approved, excluded = services.approve_batch(
        actor=users["office"], applications=apps, excluded={apps[1].pk: "已享受同类市级政策"}
    )
    assert (approved, excluded) == (1, 1)
    apps[1].refresh_from_db()
    assert apps[1].status == ApplicationStatus.EXCLUDED and apps[1].exclusion_reason == "已享受同类市级政策"
    with pytest.raises(ValidationError):
        services.application_exclude(actor=users["office"], application=apps[0], reason="")


def test_rerun_does_not_notify_twice(users, run):
    assert services.notify_run(actor=users["office"], run=run) == 2
    second = services.run_matching(actor=users["office"], as_of=AS_OF)
    assert services.notify_run(actor=users["office"], run=second) == 0


def test_sliced_read_equals_the_clause_arrays(run, county):
    # The enterprise page reads one slice; the clause arrays give the same results.
    from qiangxian.policies.outcomes import _enterprise_matches_unsliced

    fields = ("clause_id", "clause_version_id", "outcome", "near", "gross_amount", "amount", "note", "gap")
    assert run.sliced
    seen = 0
    for enterprise in county["enterprises"].values():
        sliced = [
            tuple(getattr(m, f) for f in (*fields, "missing")) for m in enterprise_matches(run, enterprise.pk)
        ]
        whole = [
            tuple(getattr(m, f) for f in (*fields, "missing"))
            for m in _enterprise_matches_unsliced(run, enterprise.pk)
        ]
        assert sliced == whole
        seen += len(sliced)
    assert seen == 4


def test_reading_a_run_writes_nothing(client, users, run, rd_clause):
    from django.urls import reverse

    for name in ("town", "bureau", "office", "enterprise"):
        client.force_login(users[name])
        assert client.get(reverse("policies:clause", args=[rd_clause.pk])).status_code == 200
        assert client.get("/api/policies/matches", {"run_id": run.pk}).status_code == 200
    client.force_login(users["town"])
    assert client.get(reverse("policies:exposure")).status_code == 200
    assert not Match.objects.exists()


def test_a_run_tells_new_matches_once(users, figures, rd_clause, county):
    from qiangxian.inbox.models import Notice

    e = county["enterprises"]
    first = services.run_matching(actor=users["office"], as_of=AS_OF)
    own = Notice.objects.visible_to(users["enterprise"]).filter(kind__startswith="policies.match")
    assert own.count() == 1 and "研发投入奖励" in own.get().body and "20" in own.get().body
    office = Notice.objects.filter(kind="policies.run.done", recipient_unit=users["office"].org_unit)
    assert office.count() == 1 and "新告知 1 家企业" in office.get().body
    assert MatchAlert.objects.filter(run=first, enterprise=e["甲镇园区鞋业有限公司"]).count() == 1
    services.run_matching(actor=users["office"], as_of=AS_OF)
    assert own.count() == 1  # not told again
    assert office.count() == 2 and "新告知 0 家企业" in office.order_by("-pk").first().body


def test_a_liaison_hears_of_the_near_miss(users, figures, rd_clause, county):
    from qiangxian.enterprises.models import EnterpriseLiaison
    from qiangxian.inbox.models import Notice

    EnterpriseLiaison.objects.create(
        enterprise=county["enterprises"]["甲镇纺织有限公司"], user=users["town"], role="official"
    )
    services.run_matching(actor=users["office"], as_of=AS_OF)
    todo = Notice.objects.get(kind="policies.match.liaison", recipient_user=users["town"])
    assert "甲镇纺织有限公司" in todo.body and "还差 50万元" in todo.body


def test_notified_benefit_reaches_the_inbox(users, run):
    from qiangxian.inbox.models import Notice

    app = _notified(users, run)
    inbox = Notice.objects.visible_to(users["enterprise"]).filter(kind="policies.grant.confirm")
    assert inbox.count() == 1 and "确认享受意愿" in inbox.get().body and str(app.pk) in inbox.get().link
