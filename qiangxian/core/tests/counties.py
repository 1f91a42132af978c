"""A city of two counties for the county-boundary tests: every kind of record in both.

County B's records carry names and codes found nowhere in county A ("乙县", "QXB", its credit
codes), so a page or an answer that shows any of them to a county-A user has leaked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from qiangxian.core.choices import OrgUnitKind, Role

PASSWORD = "Qx-test-pass-2026"
# Strings that exist only in county B's data.
B_MARKERS = ("乙县", "QXB2026001")


def build_city(django_user_model) -> dict:
    """A city (测试市) with counties 甲县 and 乙县, their units, users and records; rollups filled.

    County A's records are made first so that county B's ids are the largest of each table.
    """
    from qiangxian.core.models import OrgUnit

    city = OrgUnit.objects.create(name="测试市", kind=OrgUnitKind.CITY)
    city_office = OrgUnit.objects.create(name="测试市工业强市办公室", kind=OrgUnitKind.OFFICE, parent=city)
    data = {"city": city, "counties": {}, "users": {}}
    for key, name, code in (("a", "甲县", "QXA"), ("b", "乙县", "QXB")):
        data["counties"][key] = _county(key, name, code, city, django_user_model, data["users"])
    users = data["users"]
    users["city_leader"] = _user(django_user_model, "city_leader", "市领导", Role.LEADER, city)
    users["city_office"] = _user(django_user_model, "city_office", "市办公室", Role.OFFICE, city_office)

    from qiangxian.statistics import rollup

    rollup.refresh_months([dt.date(y, m, 1) for y in (2025, 2026) for m in (1, 2, 3)], follow=False)
    return data


def _user(model, username, display, role, unit):
    user = model(username=username, display_name=display, role=role, org_unit=unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def _county(key: str, name: str, code: str, city, user_model, users: dict) -> dict:
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import (
        Cluster,
        ClusterMembership,
        CultivationPlan,
        Designation,
        Enterprise,
        EnterpriseContact,
        TaskForce,
    )
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.projects.models import Problem, Project, ProjectProgress, ProjectTarget
    from qiangxian.statistics.models import ImportBatch, ImportProfile, MonthlyFact, OfficialFigure, Target

    def unit(suffix, kind, parent):
        return OrgUnit.objects.create(
            name=f"{name}{suffix}", kind=kind, parent=parent, code=f"{code}-{suffix}"
        )

    county = OrgUnit.objects.create(name=name, kind=OrgUnitKind.COUNTY, parent=city, code=code)
    bureau = unit("经信局", OrgUnitKind.BUREAU, county)
    stats = unit("统计局", OrgUnitKind.BUREAU, county)
    office = unit("工业强县办公室", OrgUnitKind.OFFICE, bureau)
    town = unit("城关镇", OrgUnitKind.TOWN, county)
    park = unit("工业园", OrgUnitKind.PARK, county)
    zone = unit("东片区", OrgUnitKind.ZONE, park)
    region = "361129" if key == "a" else "361130"
    firms = []
    for i, (suffix, above) in enumerate((("鞋业有限公司", True), ("电子有限公司", False))):
        firms.append(
            Enterprise.objects.create(
                uscc=make_uscc("9", "1", region, f"{code}{i:05d}"),
                name=f"{name}{suffix}",
                town=town,
                park=park if i == 0 else None,
                zone=zone if i == 0 else None,
                above_scale=above,
                industry_code="1952" if i == 0 else "3911",
            )
        )
    own_unit = OrgUnit.objects.create(name=firms[0].name, kind=OrgUnitKind.ENTERPRISE, parent=town)
    firms[0].org_unit = own_unit
    firms[0].save()
    for role_key, role, at in (
        ("admin", Role.ADMIN, bureau),
        ("leader", Role.LEADER, county),
        ("office", Role.OFFICE, office),
        ("bureau", Role.BUREAU, stats),
        ("town", Role.TOWN, town),
        ("park", Role.PARK, park),
        ("enterprise", Role.ENTERPRISE, own_unit),
    ):
        users[f"{key}_{role_key}"] = _user(user_model, f"{key}_{role_key}", f"{name}{role_key}用户", role, at)
    office_user = users[f"{key}_office"]

    for firm in firms:
        EnterpriseContact.objects.create(enterprise=firm, name=f"{name}联系人", phone="13800000000")
        Designation.objects.create(enterprise=firm, kind="high_tech", document_no=f"{code}-GX-1")
        CultivationPlan.objects.create(enterprise=firm, target_tier="high_tech", target_year=2027)
        for year, factor in ((2025, D(1)), (2026, D("1.5") if key == "b" else D("1.1"))):
            for m in (1, 2, 3):
                base = D(7_000_000 if key == "b" else 1_000_000)
                MonthlyFact.objects.create(
                    enterprise=firm,
                    month=dt.date(year, m, 1),
                    source="stats",
                    above_scale=firm.above_scale,
                    gross_output_ytd=base * factor * m,
                    gross_output_month=base * factor,
                    gross_output_ytd_ly=base * m if year == 2026 else None,
                    gross_output_month_ly=base if year == 2026 else None,
                )
    cluster = Cluster.objects.create(name=f"{name}鞋业集群", industry_codes=["1952"], issuer=county)
    ClusterMembership.objects.create(cluster=cluster, enterprise=firms[0])
    task_force = TaskForce.objects.create(name=f"{name}重点企业专班", lead_unit=bureau, issuer=county)
    firms[1].task_force = task_force
    firms[1].save()
    project = Project.objects.create(
        code=f"{code}2026001",
        name=f"{name}智能制造项目",
        investor_name=f"{name}投资有限公司",
        town=town,
        park=park,
        responsible_unit=bureau,
        total_investment=D(600_000_000),
        fixed_asset_investment=D(500_000_000),
        lead_received_on=dt.date(2026, 1, 5),
        stage_on=dt.date(2026, 1, 5),
    )
    ProjectProgress.objects.create(project=project, month=dt.date(2026, 2, 1), notes=f"{name}进度说明")
    Problem.objects.create(
        project=project,
        title=f"{name}用地指标问题",
        owner_unit=bureau,
        raised_on=dt.date(2026, 2, 1),
        deadline=dt.date(2026, 3, 1),
    )
    ProjectTarget.objects.create(
        year=2026, county=county, industrial_investment=D(1_000_000_000), note=f"{name}项目目标"
    )
    Target.objects.create(
        indicator="gross_output",
        year=2026,
        scope_kind="county",
        scope_id=county.pk,
        value=D(100_000_000),
        note=f"{name}产值目标",
        issuer=county,
    )
    OfficialFigure.objects.create(
        indicator="gross_output",
        month=dt.date(2026, 3, 1),
        scope_id=county.pk,
        value=D(1),
        note=f"{name}发布数",
    )
    profile = ImportProfile.objects.filter(name="测试导入方案").first() or ImportProfile.objects.create(
        name="测试导入方案"
    )
    ImportBatch.objects.create(
        profile=profile,
        source="stats",
        file_name=f"{name}{code}月报.xlsx",
        created_by=office_user,
        county=county,
        month=dt.date(2026, 3, 1),
    )
    from qiangxian.rules.models import CustomRule

    CustomRule.objects.create(
        name=f"{name}高成长企业规则",
        expression="营业收入@上年 >= 2000万",
        created_by=office_user,
        updated_by=office_user,
        issuer=county,
    )
    _new_apps(name, code, county, bureau, park, zone, firms, cluster, users, key)
    _reports(name, code, county, town, users, key)
    return {
        "county": county,
        "bureau": bureau,
        "town": town,
        "park": park,
        "zone": zone,
        "enterprises": firms,
        "project": project,
        "cluster": cluster,
    }


def _new_apps(name, code, county, bureau, park, zone, firms, cluster, users, key) -> None:
    """One small record of each later app (policies, service, inbox, land, supervision, chains)."""
    from django.utils import timezone

    from qiangxian.chains.models import Chain, ChainLink, LinkPlacement
    from qiangxian.inbox.models import Notice
    from qiangxian.land.defaults import create_default_scheme
    from qiangxian.land.models import Building, Parcel, SpaceProfile
    from qiangxian.policies.models import (
        Clause,
        ClauseVersion,
        EnterpriseSlice,
        MatchAlert,
        MatchRun,
        Policy,
    )
    from qiangxian.projects.models import ProjectSettings
    from qiangxian.service.models import Demand, DemandStep, RoutingRule, VisitCampaign
    from qiangxian.statistics.models import MonitorSettings
    from qiangxian.supervision.models import Meeting, SourceDocument, SupervisionSettings, Task

    office_user = users[f"{key}_office"]
    policy = Policy.objects.create(
        title=f"{name}惠企政策", issuer=county, effective_from=dt.date(2026, 1, 1), status="published"
    )
    clause = Clause.objects.create(policy=policy, title=f"{name}技改奖励条款", is_published=True)
    ClauseVersion.objects.create(
        clause=clause,
        effective_from=dt.date(2026, 1, 1),
        quote=f"{name}条款原文",
        eligibility="营业收入@上年 >= 2000万",
        benefit_kind="fixed",
        benefit_amount=D(10_000),
        review_unit=bureau,
    )
    run = MatchRun.objects.create(as_of=dt.date(2026, 3, 31), county=county, started_by=office_user)
    MatchAlert.objects.create(enterprise=firms[0], clause=clause, kind="met", run=run)
    EnterpriseSlice.objects.create(run=run, block=firms[0].pk >> 10, layout=[], data=b"")
    now = timezone.now()
    demand = Demand.objects.create(
        code=f"{code}SQ001",
        enterprise=firms[0],
        title=f"{name}用工诉求",
        category="labour",
        lead_unit=bureau,
        accepted_at=now,
        created_by=office_user,
    )
    DemandStep.objects.create(
        demand=demand, kind="accept", actor=office_user, unit=bureau, at=now, text=f"{name}受理"
    )
    Notice.objects.create(recipient_user=users[f"{key}_bureau"], kind="test", title=f"{name}待办消息")
    Notice.objects.create(recipient_unit=bureau, kind="test", title=f"{name}单位消息")
    SpaceProfile.objects.create(unit=park, park=park, utilities=f"{name}园区配套")
    parcel = Parcel.objects.create(
        code=f"{code}-DK1", name=f"{name}一号地块", park=park, zone=zone, area_mu=D(50), holder=firms[0]
    )
    Building.objects.create(
        code=f"{code}-LD1",
        name=f"{name}一号厂房",
        park=park,
        zone=zone,
        parcel=parcel,
        floor_area_sqm=D(5000),
    )
    Task.objects.create(
        title=f"{name}督办事项", lead_unit=bureau, deadline=dt.date(2026, 12, 31), created_by=office_user
    )
    # The tables each county keeps for itself: schemes, meetings, documents, campaigns, routing
    # rules and the settings rows.
    create_default_scheme(year=2025, county=county, name=f"{name}2025年度亩均评价办法")
    meeting = Meeting.objects.create(
        title=f"{name}工业强县推进会", held_on=dt.date(2026, 2, 1), county=county, created_by=office_user
    )
    SourceDocument.objects.create(
        title=f"{name}政府工作报告",
        doc_date=dt.date(2026, 1, 10),
        text=f"{name}全年规上工业增加值增长8%。",
        meeting=meeting,
        county=county,
        created_by=office_user,
    )
    campaign = VisitCampaign.objects.create(
        name=f"{name}春季大走访",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 5, 31),
        county=county,
        created_by=office_user,
    )
    campaign.enterprises.set(firms)
    RoutingRule.objects.create(category="labour", lead_unit=bureau, county=county)
    MonitorSettings.objects.create(county=county, jump_pct=D(40) if key == "b" else D(50))
    ProjectSettings.objects.create(county=county, pace_yellow_pp=D(12) if key == "b" else D(10))
    SupervisionSettings.objects.create(county=county, report_day=20 if key == "b" else 25)
    chain = Chain.objects.create(cluster=cluster, name=f"{name}鞋业产业链")
    link = ChainLink.objects.create(chain=chain, segment="midstream", name=f"{name}成鞋制造")
    LinkPlacement.objects.create(link=link, enterprise=firms[0])
    _portal(name, code, firms, users, key)


def _portal(name, code, firms, users, key) -> None:
    """The enterprise portal's records: an account, a registration, a correction, a data request."""
    from qiangxian.portal.models import (
        CorrectionRequest,
        DataRequest,
        DataRequestItem,
        EnterpriseAccount,
        Registration,
    )

    office_user = users[f"{key}_office"]
    firm = firms[0]
    EnterpriseAccount.objects.create(user=users[f"{key}_enterprise"], enterprise=firm, is_admin=True)
    Registration.objects.create(
        enterprise=firm,
        uscc=firm.uscc,
        contact_name=f"{name}联系人",
        phone="13900000000",
        username=f"{code.lower()}_firm",
        password="!",
    )
    CorrectionRequest.objects.create(
        enterprise=firm,
        changes={"short_name": f"{name}简称"},
        reason=f"{name}更正理由",
        requested_by=office_user,
    )
    request = DataRequest.objects.create(
        enterprise=firm, title=f"{name}数据填报", year=2025, requested_by=office_user
    )
    DataRequestItem.objects.create(request=request, indicator="ip_class1", label=f"{name}知识产权", unit="项")


def _reports(name, code, county, town, users, key) -> None:
    """An archived report of the county and of a town, a closing text, an upward template."""
    from django.core.files.base import ContentFile

    from qiangxian.reports.models import GeneratedReport, ReportNote, ReportTemplate

    for scope_kind, scope_id, label in (("county", county.pk, name), ("town", town.pk, f"{name}一镇")):
        report = GeneratedReport(
            kind="monthly",
            month=dt.date(2026, 3, 1),
            scope_kind=scope_kind,
            scope_id=scope_id,
            scope_label=label,
            county=county,
            title=f"{label}{code}运行分析",
            figures={"meta": {"scope_label": label}, "headlines": []},
            created_by=users[f"{key}_office"],
        )
        report.file.save(f"{code}-{scope_kind}.docx", ContentFile(f"{label}{code}".encode()), save=False)
        report.save()
    ReportNote.objects.create(
        month=dt.date(2026, 3, 1),
        scope_kind="county",
        scope_id=county.pk,
        county=county,
        text=f"{name}下一步工作",
    )
    template = ReportTemplate(name=f"{name}{code}上报表", file_name=f"{name}.xlsx", county=county, mapping=[])
    template.file.save(f"{code}-template.xlsx", ContentFile(b"PK"), save=False)
    template.save()
