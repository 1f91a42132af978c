"""Demo step: titles, contacts, liaisons, task forces and cultivation plans for the registry.

Titles are laid out around the day the demo is generated, so the "expiring within 90 days" and
"expired, awaiting re-review" lists always have entries; the same seed on the same day gives the
same data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from qiangxian.enterprises.choices import (
    ChampionType,
    DesignationKind,
    DesignationLevel,
    LiaisonRole,
    MeasureStatus,
    PlanStatus,
    ReviewRating,
)
from qiangxian.enterprises.models import (
    Designation,
    Enterprise,
    EnterpriseContact,
    EnterpriseLiaison,
    PlanMilestone,
    PlanReview,
    TaskForce,
)
from qiangxian.enterprises.services import plan_create

from .context import DemoContext
from .names import GIVEN, SURNAMES

LABEL = "称号、包联与一企一策"
REASON = "演示数据生成"

# (kind, how many, level) from the largest enterprises down; the ladder thins out at the top.
TITLES = [
    (DesignationKind.HIGH_TECH, 36, DesignationLevel.NATIONAL),
    (DesignationKind.TECH_SME, 30, DesignationLevel.PROVINCIAL),
    (DesignationKind.INNOVATIVE_SME, 24, DesignationLevel.PROVINCIAL),
    (DesignationKind.SRDI_SME, 12, DesignationLevel.PROVINCIAL),
    (DesignationKind.LITTLE_GIANT, 3, DesignationLevel.NATIONAL),
    (DesignationKind.SINGLE_CHAMPION, 1, DesignationLevel.NATIONAL),
]
MEASURES = {
    DesignationKind.ABOVE_SCALE: [
        "帮助企业梳理月度产值和主营业务收入",
        "协调新增生产线用电扩容",
        "指导企业做好入规申报材料和联网直报",
    ],
    DesignationKind.INNOVATIVE_SME: ["辅导申请发明专利 2 件", "建立研发费用辅助账", "对接高校共建研发中心"],
    DesignationKind.SRDI_SME: ["研发费用占比提高到 3% 以上", "申报省级企业技术中心", "完成数字化改造诊断"],
    DesignationKind.LITTLE_GIANT: ["主导产品细分市场占有率测算", "新增Ⅰ类知识产权 2 件", "引进股权投资"],
    DesignationKind.HIGH_TECH: ["科技人员占比提高到 10% 以上", "高新技术产品收入归集", "知识产权布局"],
}


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _titles(ctx: DemoContext, today: dt.date) -> list[Designation]:
    rng = ctx.rng
    rows: list[Designation] = []
    ranked = ctx.enterprise_ids  # largest first
    above = dict(
        Enterprise.objects.filter(pk__in=ranked, above_scale=True).values_list("pk", "established_on")
    )
    for pk in ranked:
        if pk not in above:
            continue
        start = max(above[pk] or dt.date(2012, 1, 1), dt.date(2012, 1, 1))
        year = rng.randint(start.year, 2025)
        month = dt.date(year, rng.randint(1, 12), 1)
        rows.append(
            Designation(
                enterprise_id=pk,
                kind=DesignationKind.ABOVE_SCALE,
                entry_month=month,
                valid_from=month,
                year=year,
                document_no=f"青统字〔{year}〕{rng.randint(1, 40)}号",
            )
        )
    pool = ranked[: max(60, len(ranked) // 10)]
    counter = 0
    for kind, count, level in TITLES:
        for index in range(min(count, len(pool))):
            pk = pool[(index * 7 + counter) % len(pool)]
            counter += 1
            # Every fifth title ends within 90 days, every seventh has already expired.
            if index % 5 == 0:
                valid_to = today + dt.timedelta(days=rng.randint(5, 85))
            elif index % 7 == 3:
                valid_to = today - dt.timedelta(days=rng.randint(10, 120))
            else:
                valid_to = today + dt.timedelta(days=rng.randint(120, 900))
            issuer = "工信部" if level == DesignationLevel.NATIONAL else "赣工信"
            years = 1 if kind == DesignationKind.TECH_SME else 3
            valid_from = valid_to - dt.timedelta(days=365 * years - 1)
            rows.append(
                Designation(
                    enterprise_id=pk,
                    kind=kind,
                    level=level,
                    year=valid_from.year,
                    batch=f"第{rng.choice('一二三四五六七')}批" if kind != DesignationKind.TECH_SME else "",
                    document_no=f"{issuer}企业〔{valid_from.year}〕{rng.randint(10, 300)}号",
                    valid_from=valid_from,
                    valid_to=valid_to,
                    champion_type=ChampionType.PRODUCT if kind == DesignationKind.SINGLE_CHAMPION else "",
                    product_name="高强度运动鞋底" if kind == DesignationKind.SINGLE_CHAMPION else "",
                )
            )
    return rows


def generate(ctx: DemoContext) -> None:
    """Titles across the tiers, contacts, liaisons and task forces, and about 20 cultivation plans."""
    rng = ctx.rng
    today = dt.date.today()
    if not ctx.enterprise_ids:
        return
    bulk_create_with_history(_titles(ctx, today), Designation, batch_size=2000, default_change_reason=REASON)

    # Contacts for the enterprises officials deal with most (all of them in a county-size demo).
    contacts = [
        EnterpriseContact(
            enterprise_id=pk,
            name=_person(rng),
            post=rng.choice(["总经理", "办公室主任", "财务负责人"]),
            phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        )
        for pk in ctx.enterprise_ids[:3000]
    ]
    bulk_create_with_history(contacts, EnterpriseContact, batch_size=2000, default_change_reason=REASON)

    # The demo accounts double as liaisons, so each role's "my enterprises" page has content.
    officials = [ctx.users[name] for name in ("office", "bureau", "town", "park")]

    task_forces = [
        TaskForce(
            name="重点企业服务专班",
            lead_unit=ctx.bureaus["经信局"],
            leader=ctx.users["office"],
            description="服务产值亿元以上重点企业，协调要素保障",
        ),
        TaskForce(
            name="专精特新培育专班",
            lead_unit=ctx.bureaus["科技局"],
            leader=ctx.users["bureau"],
            description="推动创新型、专精特新企业梯度培育",
        ),
        TaskForce(
            name="小升规培育专班",
            lead_unit=ctx.bureaus["统计局"],
            leader=ctx.users["town"],
            description="跟踪临规企业，推动小升规",
        ),
    ]
    for task_force in task_forces:
        task_force._history_user = ctx.users["office"]
        task_force.save()

    liaisons: list[EnterpriseLiaison] = []
    assigned_on = dt.date(2026, 1, 15)
    top = ctx.enterprise_ids[:60]
    for index, pk in enumerate(top):
        if index < 12:
            liaisons.append(
                EnterpriseLiaison(
                    enterprise_id=pk,
                    user=ctx.users["leader"],
                    role=LiaisonRole.LEADER,
                    assigned_on=assigned_on,
                )
            )
        liaisons.append(
            EnterpriseLiaison(
                enterprise_id=pk,
                user=officials[index % len(officials)],
                role=LiaisonRole.OFFICIAL,
                assigned_on=assigned_on,
            )
        )
    bulk_create_with_history(liaisons, EnterpriseLiaison, batch_size=2000, default_change_reason=REASON)
    Enterprise.objects.filter(pk__in=top[:25]).update(task_force=task_forces[0])
    Enterprise.objects.filter(pk__in=top[25:45]).update(task_force=task_forces[1])
    # Below-scale firms closest to the threshold are the 小升规 candidates.
    n_above = Enterprise.objects.filter(above_scale=True).count()
    near = ctx.enterprise_ids[n_above : n_above + 20]
    Enterprise.objects.filter(pk__in=near).update(task_force=task_forces[2])

    _plans(ctx, today, top, near)


def _plans(ctx: DemoContext, today: dt.date, top: list[int], near: list[int]) -> None:
    rng = ctx.rng
    office = ctx.users["office"]
    units = [ctx.bureaus[name] for name in ("经信局", "科技局", "统计局", "财政局", "市场监管局", "供电公司")]
    targets = (
        [(pk, DesignationKind.ABOVE_SCALE) for pk in near[:8]]
        + [(pk, DesignationKind.INNOVATIVE_SME) for pk in top[40:45]]
        + [(pk, DesignationKind.SRDI_SME) for pk in top[20:25]]
        + [(pk, DesignationKind.LITTLE_GIANT) for pk in top[3:5]]
    )
    statuses = (
        [PlanStatus.ACTIVE] * 12
        + [PlanStatus.DRAFT] * 3
        + [PlanStatus.ACHIEVED] * 3
        + [PlanStatus.CLOSED] * 2
    )
    enterprises = Enterprise.objects.in_bulk([pk for pk, _ in targets])
    for index, (pk, tier) in enumerate(targets):
        enterprise = enterprises[pk]
        industry = enterprise.industry_label.split(" ")[-1]
        revenue = Decimal(str(round(ctx.latent_revenue.get(pk, 1.5e7), -4)))
        measures = []
        for j, content in enumerate(MEASURES[tier]):
            deadline = today + dt.timedelta(days=rng.randint(-75, 200))
            status = (
                MeasureStatus.IN_PROGRESS
                if deadline < today and j % 2 == 0
                else rng.choice([MeasureStatus.PENDING, MeasureStatus.IN_PROGRESS, MeasureStatus.DONE])
            )
            measures.append(
                {
                    "content": content,
                    "responsible_unit": units[(index + j) % len(units)],
                    "deadline": deadline,
                    "status": status,
                    "progress_notes": "已对接企业，正在推进" if status != MeasureStatus.PENDING else "",
                }
            )
        plan = plan_create(
            actor=office,
            enterprise=enterprise,
            target_tier=tier,
            target_year=2026 + index % 3,
            measures=measures,
            status=statuses[index % len(statuses)],
            baseline_year=2025,
            baseline_revenue=revenue,
            baseline_rd_expense=(revenue * Decimal("0.025")).quantize(Decimal("1")),
            baseline_employees=rng.randint(30, 600),
            baseline_ip_count=rng.randint(0, 6),
            summary=f"围绕{industry}主业，补齐{DesignationKind(tier).label}认定短板。",
        )
        for k, title in enumerate(["完成年度目标分解", "中期评估", "提交认定申报"]):
            milestone = PlanMilestone(
                plan=plan,
                title=title,
                due_on=dt.date(plan.target_year, 3 + 4 * k, 28),
                achieved_on=dt.date(plan.target_year, 3, 20) if k == 0 and index % 2 else None,
            )
            milestone._history_user = office
            milestone.save()
        if plan.status != PlanStatus.DRAFT:
            review = PlanReview(
                plan=plan,
                reviewed_on=dt.date(2026, 7, 5),
                period="2026年二季度",
                rating=[ReviewRating.ON_TRACK, ReviewRating.AT_RISK, ReviewRating.OFF_TRACK][index % 3],
                conclusion="措施总体按计划推进，研发投入仍需加强。",
                reviewer=office,
            )
            review._history_user = office
            review.save()
