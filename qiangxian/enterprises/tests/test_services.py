"""Services of the registry: every rule the pages and the API rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.enterprises import services
from qiangxian.enterprises.choices import DesignationKind, LiaisonRole, MeasureStatus, PlanStatus
from qiangxian.enterprises.models import ClusterMembership, Designation, Enterprise, EnterpriseLiaison
from qiangxian.enterprises.uscc import make_uscc


def _fields(county, **extra):
    town = county["units"]["甲镇"]
    data = {
        "uscc": make_uscc("9", "1", "361129", "N0000001"),
        "name": "甲镇新登记有限公司",
        "town": town,
        "industry_code": "1952",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "name",
    [
        "青山鞋业有限公司",
        "重庆长安汽车股份有限公司",
        "银行街行政服务中心",
        "青山（江西）ABC科技有限公司",
        "A&B 电子 123 厂",
        "乐乐音乐有限公司",
        "",
        "１２３",
    ],
)
def test_pinyin_initials_match_pypinyin(name):
    from pypinyin import Style, lazy_pinyin

    expected = "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()[:200]
    assert services.pinyin_initials(name) == expected


# --- enterprises -------------------------------------------------------------------------------


def test_create_normalises_code_and_sets_pinyin(county, users):
    code = make_uscc("9", "1", "361129", "N0000001")
    e = services.enterprise_create(
        actor=users["office"],
        **_fields(county, uscc=" " + code.lower() + " ", former_names="旧名甲；旧名乙；旧名甲"),
    )
    assert e.uscc == code
    assert e.pinyin_initials == "jzxdjyxgs"
    assert e.former_names == "旧名甲；旧名乙"
    assert e.history.count() == 1 and e.history.first().history_user == users["office"]


def test_wrong_check_character_names_position_and_expected(county, users):
    good = make_uscc("9", "1", "361129", "N0000001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=users["office"], **_fields(county, uscc=bad))
    message = exc.value.message_dict["uscc"][0]
    assert "第18位" in message and f"应为“{good[17]}”" in message


def test_duplicate_code_refused_with_existing_record(county, users):
    existing = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=users["office"], **_fields(county, uscc=existing.uscc))
    item = exc.value.error_dict["uscc"][0]
    assert item.code == "duplicate" and item.params["pk"] == existing.pk


def test_unknown_first_character_is_a_warning_not_a_rejection(county, users):
    code = make_uscc("A", "1", "361129", "N0000002")
    e = services.enterprise_create(actor=users["office"], **_fields(county, uscc=code))
    assert Enterprise.objects.filter(uscc=code).exists()
    assert any("第1位" in w for w in e.code_warnings)


def test_registration_number_validated(county, users):
    from qiangxian.enterprises.uscc import compute_registration_number_check_digit

    good = "36112900000123" + compute_registration_number_check_digit("36112900000123")
    bad = good[:14] + str((int(good[14]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=users["office"], **_fields(county, registration_number=bad))
    assert "第15位" in exc.value.message_dict["registration_number"][0]
    e = services.enterprise_create(actor=users["office"], **_fields(county, registration_number=good))
    assert e.registration_number == good


def test_above_scale_cannot_be_set_directly(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError):
        services.enterprise_update(actor=users["office"], enterprise=e, above_scale=True)


def test_rename_keeps_old_name_as_former_name_and_searchable(county, users):
    from qiangxian.enterprises.selectors import enterprise_list

    e = county["enterprises"]["甲镇纺织有限公司"]
    services.enterprise_update(actor=users["office"], enterprise=e, name="甲镇新纺有限公司")
    e.refresh_from_db()
    assert "甲镇纺织有限公司" in e.former_name_list
    assert list(enterprise_list(user=users["office"], query="甲镇纺织")) == [e]


def test_town_user_cannot_edit_other_town(county, users):
    other = county["enterprises"]["乙镇机械有限公司"]
    with pytest.raises(PermissionDenied):
        services.enterprise_update(actor=users["town"], enterprise=other, short_name="x")
    with pytest.raises(ValidationError):
        services.enterprise_create(actor=users["town"], **_fields(county, town=county["units"]["乙镇"]))


def test_leader_cannot_write(county, users):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=users["leader"], **_fields(county))


def test_contact_phone_must_be_digits(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError):
        services.contact_save(actor=users["office"], enterprise=e, name="张三", phone="电话一三八")
    c = services.contact_save(actor=users["office"], enterprise=e, name="张三", phone="13812345678")
    assert c.history.count() == 1


def test_can_see_contacts_matrix(county, users):
    e = county["enterprises"]["甲镇园区鞋业有限公司"]  # 甲镇, 工业园, 东片区, own account
    allowed = {name for name in users if services.can_see_contacts(users[name], e)}
    assert allowed == {"admin", "office", "park", "zone", "town", "enterprise"}
    services.liaisons_set(actor=users["office"], enterprise=e, officials=[users["bureau"]])
    assert services.can_see_contacts(users["bureau"], e)


# --- designations ------------------------------------------------------------------------------


def test_scale_entry_and_exit_keep_above_scale_in_line(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    assert not e.above_scale
    services.scale_entry_record(actor=users["office"], enterprise=e, entry_month=dt.date(2025, 3, 17))
    e.refresh_from_db()
    assert e.above_scale
    d = e.designations.get(kind=DesignationKind.ABOVE_SCALE)
    assert d.entry_month == dt.date(2025, 3, 1)
    with pytest.raises(ValidationError):
        services.scale_entry_record(actor=users["office"], enterprise=e, entry_month=dt.date(2025, 6, 1))
    services.scale_exit_record(actor=users["office"], enterprise=e, exit_month=dt.date(2026, 1, 1))
    e.refresh_from_db()
    assert not e.above_scale
    reasons = list(e.history.values_list("history_change_reason", flat=True))
    assert "2026年01月退规" in reasons and "2025年03月入规" in reasons


def test_scale_exit_requires_being_above_scale(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError):
        services.scale_exit_record(actor=users["office"], enterprise=e, exit_month=dt.date(2026, 1, 1))


def test_deleting_the_open_scale_record_clears_flag(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    d = services.scale_entry_record(actor=users["office"], enterprise=e, entry_month=dt.date(2025, 3, 1))
    services.designation_delete(actor=users["office"], designation=d)
    e.refresh_from_db()
    assert not e.above_scale


def test_designation_default_term(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    d = services.designation_save(
        actor=users["office"], enterprise=e, kind=DesignationKind.SRDI_SME, valid_from=dt.date(2024, 7, 1)
    )
    assert d.valid_to == dt.date(2027, 6, 30) and d.year == 2024
    t = services.designation_save(
        actor=users["office"], enterprise=e, kind=DesignationKind.TECH_SME, valid_from=dt.date(2026, 4, 1)
    )
    assert t.valid_to == dt.date(2027, 3, 31)


def test_single_champion_needs_type_and_product(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError) as exc:
        services.designation_save(actor=users["office"], enterprise=e, kind=DesignationKind.SINGLE_CHAMPION)
    assert "champion_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.designation_save(
            actor=users["office"], enterprise=e, kind=DesignationKind.SINGLE_CHAMPION, champion_type="product"
        )
    assert "product_name" in exc.value.message_dict


def test_above_scale_not_recordable_as_plain_title(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    with pytest.raises(ValidationError):
        services.designation_save(actor=users["office"], enterprise=e, kind=DesignationKind.ABOVE_SCALE)
    assert not Designation.objects.exists()


# --- liaisons, task forces, clusters ----------------------------------------------------------------


def test_liaisons_set_replaces_assignments(county, users):
    e = county["enterprises"]["乙镇机械有限公司"]
    tf = services.task_force_save(actor=users["office"], name="重点企业专班", leader=users["office"])
    services.liaisons_set(
        actor=users["office"],
        enterprise=e,
        leader=users["leader"],
        officials=[users["bureau"], users["admin"]],
        task_force=tf,
    )
    assert {(a.user.username, a.role) for a in e.liaisons.all()} == {
        ("leader", LiaisonRole.LEADER),
        ("bureau", LiaisonRole.OFFICIAL),
        ("admin", LiaisonRole.OFFICIAL),
    }
    services.liaisons_set(actor=users["office"], enterprise=e, officials=[users["bureau"]])
    assert list(e.liaisons.values_list("user__username", flat=True)) == ["bureau"]
    e.refresh_from_db()
    assert e.task_force is None
    assert EnterpriseLiaison.history.filter(history_type="-").count() == 2
    with pytest.raises(PermissionDenied):
        services.liaisons_set(actor=users["town"], enterprise=e, officials=[])


def test_cluster_classes_and_manual_members(county, users):
    shoes = county["enterprises"]["甲镇园区鞋业有限公司"]  # 1952
    food = county["enterprises"]["甲镇食品有限公司"]  # 1431
    cluster = services.cluster_save(actor=users["office"], name="鞋服", industry_codes="1952，1953")
    assert cluster.industry_codes == ["1952", "1953"]
    assert set(cluster.enterprises.all()) == {shoes}
    services.cluster_member_add(actor=users["office"], cluster=cluster, enterprise=food)
    assert ClusterMembership.objects.get(cluster=cluster, enterprise=food).manual
    with pytest.raises(ValidationError):
        services.cluster_member_remove(actor=users["office"], cluster=cluster, enterprise=shoes)
    services.cluster_member_remove(actor=users["office"], cluster=cluster, enterprise=food)
    assert set(cluster.enterprises.all()) == {shoes}
    # Dropping a class drops its class-based members.
    services.cluster_save(actor=users["office"], cluster=cluster, name="鞋服", industry_codes=["1953"])
    assert not cluster.enterprises.exists()
    assert cluster.history.count() == 2
    with pytest.raises(ValidationError):
        services.cluster_save(actor=users["office"], name="坏", industry_codes="19")
    with pytest.raises(PermissionDenied):
        services.cluster_save(actor=users["town"], name="x", industry_codes="")


# --- plans ---------------------------------------------------------------------------------------


def test_plan_create_with_measures(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    bureau = county["units"]["经信局"]
    plan = services.plan_create(
        actor=users["office"],
        enterprise=e,
        target_tier=DesignationKind.ABOVE_SCALE,
        target_year=2026,
        measures=[
            {"content": "协调用电", "responsible_unit": bureau, "deadline": dt.date(2026, 6, 30)},
            {"content": "辅导入规", "responsible_unit": "经信局", "status": MeasureStatus.DONE},
            {"content": "对接银行", "responsible_unit": bureau.pk},
        ],
    )
    measures = list(plan.measures.all())
    assert [m.content for m in measures] == ["协调用电", "辅导入规", "对接银行"]
    assert all(m.responsible_unit == bureau for m in measures)
    assert measures[1].completed_on is not None
    assert plan.status == PlanStatus.ACTIVE and plan.created_by == users["office"]
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=users["office"],
            enterprise=e,
            target_tier=DesignationKind.ABOVE_SCALE,
            target_year=2027,
            measures=[],
        )
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=users["office"],
            enterprise=e,
            target_tier=DesignationKind.SRDI_SME,
            target_year=2027,
            measures=[{"content": "x", "responsible_unit": "不存在的单位"}],
        )


def test_plan_editable_by_liaison_not_by_other_bureau(county, users):
    e = county["enterprises"]["乙镇机械有限公司"]
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users["bureau"], enterprise=e, target_tier="srdi_sme", target_year=2027)
    services.liaisons_set(actor=users["office"], enterprise=e, officials=[users["bureau"]])
    plan = services.plan_create(actor=users["bureau"], enterprise=e, target_tier="srdi_sme", target_year=2027)
    m = services.measure_save(
        actor=users["bureau"], plan=plan, content="申报省级技术中心", deadline=dt.date(2020, 1, 1)
    )
    assert m.is_overdue
    services.measure_save(
        actor=users["bureau"], plan=plan, measure=m, content=m.content, status="done", progress_notes="已获批"
    )
    m.refresh_from_db()
    assert not m.is_overdue and m.history.count() == 2


def test_bulk_contact_visibility_agrees_with_the_single_check(county, users):
    """The list form (exports) answers exactly as the per-enterprise check, liaisons included."""
    firms = list(Enterprise.objects.all())
    EnterpriseLiaison.objects.create(user=users["bureau"], enterprise=firms[-1])
    for user in users.values():
        expected = {e.pk for e in firms if services.can_see_contacts(user, e)}
        assert services.contacts_visible_ids(user, [e.pk for e in firms]) == expected
    # Neither everything nor nothing for the bureau: only the enterprise it is liaison of.
    assert services.contacts_visible_ids(users["bureau"], [e.pk for e in firms]) == {firms[-1].pk}
