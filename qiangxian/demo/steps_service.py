"""Demo step: serving the enterprises: routing rules, a visit campaign, and a year of demands.

The office routes each category to the bureau that holds the lever (labour to 人社局, finance
to 财政局, land to 自然资源局, power to 供电公司...). A visit campaign covers the above-scale
enterprises and the cultivation pool; the liaison officials visit most of them. Demands arrive
over the last year from visits, the enterprises themselves, the office and the 12345 line, and
go through the real services with realistic handling times: most are signed the same or the
next working day and answered within the deadline, some late, a few reopened after an
unsatisfied rating, a few returned to the office as the wrong unit, and the last weeks' still
open (some of them overdue). Three problems recur across enterprises (the same road, the same
power line, sewing workers) so the grouping has something to find.

Who visits whom is planned from the liaison assignments when the campaign is set up; the visits
made fulfil those plans, the enterprises not yet visited keep theirs open. Bureau officials plan
visits for the coming weeks: where another unit has just been, "无事不扰" refuses the plan, and
some officials confirm it anyway after reading who came and why, others drop it. Each lead
bureau has a leader (单位负责人) to whom its overdue demands are escalated.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from qiangxian.core import workdays
from qiangxian.core.choices import Role
from qiangxian.core.models import User
from qiangxian.enterprises.models import Enterprise, EnterpriseLiaison
from qiangxian.service import services
from qiangxian.service.models import Visit, VisitPlan

from .context import DemoContext

LABEL = "服务企业（分办规则、走访活动、一年的企业诉求）"
TZ = ZoneInfo("Asia/Shanghai")

RULES = {
    # category: (lead, supporting, sign, response, complete)
    "labour": ("人社局", ["经信局"], 1, 5, 10),
    "finance": ("财政局", ["经信局"], 1, 5, 15),
    "land": ("自然资源局", ["投促局"], 1, 10, 30),
    "utilities": ("供电公司", [], 1, 3, 10),
    "approval": ("发改局", ["市场监管局"], 1, 5, 15),
    "policy": ("经信局", ["财政局"], 1, 5, 10),
    "market": ("投促局", [], 1, 5, 15),
    "other": ("经信局", [], 1, 5, 10),
}
STAFF = {
    "人社局": ("renshe", "孙科长"),
    "财政局": ("caizheng", "周科长"),
    "自然资源局": ("ziran", "吴科长"),
    "供电公司": ("gongdian", "郑经理"),
    "发改局": ("fagai", "冯科长"),
    "经信局": ("jingxin", "陈科长"),
    "投促局": ("bureau", None),  # the demo's existing 投促局 account
}
# The leaders (单位负责人) of the bureaus that lead most demands: escalations reach them by name.
LEADERS = {
    "人社局": ("renshe_lead", "刘局长"),
    "财政局": ("caizheng_lead", "何局长"),
    "自然资源局": ("ziran_lead", "高局长"),
    "供电公司": ("gongdian_lead", "林总经理"),
}
# Bureaus whose officials plan visits of their own in the coming weeks.
PLANNERS = ["人社局", "财政局", "供电公司", "经信局"]
TEXTS = {
    "labour": [
        ("招不到熟练缝纫工", "旺季订单增加，缝纫车间缺熟练工约{n}人，希望协助招聘"),
        ("技术工人短缺", "数控机床操作工缺{n}人，本地职业学校毕业生不足"),
        ("希望开展员工技能培训", "新上生产线，需要为{n}名员工开展技能培训"),
    ],
    "finance": [
        ("流动资金贷款到期需应急转贷", "{n}00万元贷款下月到期，申请应急转贷资金周转"),
        ("申请小额信贷", "购置设备资金缺口约{n}0万元，希望对接银行小额信贷"),
        ("融资担保费率偏高", "担保费率偏高，希望政府性融资担保支持"),
    ],
    "land": [
        ("扩产需新增工业用地", "计划扩产，需新增工业用地约{n}0亩"),
        ("希望租用标准厂房", "订单增长，需租用标准厂房约{n}000平方米"),
        ("厂房不动产证办理缓慢", "新建厂房已竣工验收，不动产登记迟迟未办结"),
    ],
    "utilities": [
        ("变压器容量不足需增容", "新增设备后用电负荷增加，需增容{n}00千伏安"),
        ("天然气管道未接通", "新厂区天然气管道尚未接通，影响投产"),
    ],
    "approval": [
        ("环评审批进度慢", "技改项目环评报告已提交{n}周，尚未批复"),
        ("消防验收排队时间长", "新厂房消防验收排队时间较长，影响投产"),
    ],
    "policy": [
        ("技改奖补资金未兑现", "去年技改项目奖补资金尚未拨付"),
        ("咨询专精特新申报政策", "希望了解专精特新企业申报条件和奖补标准"),
    ],
    "market": [("希望参加产销对接会", "产品需开拓省外市场，希望参加产销对接活动")],
    "other": [("厂区周边治安需加强", "厂区周边夜间有偷盗现象，希望加强巡逻")],
}
# Three problems that recur across enterprises: the grouping should find each as one.
RECURRING = [
    (
        "utilities",
        "工业园区三号路停电频繁",
        "园区三号路沿线本月又停电{n}次，每次影响连续生产，请供电公司检修线路",
    ),
    (
        "other",
        "园区三号路路面破损货车进出困难",
        "园区三号路路面破损严重，重型货车进出困难，雨天积水，请尽快修复道路",
    ),
    ("labour", "缝纫工招聘难", "缝纫车间招不到熟练缝纫工，缺口{n}人，请人社局组织专场招聘"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, (hour * 7) % 60), tzinfo=TZ)


def _after(start: dt.datetime, working_days: int, hour: int) -> dt.datetime:
    day = workdays.add_working_days(timezone.localtime(start, TZ).date(), working_days)
    moment = _at(day, hour)
    return moment if moment > start else start + dt.timedelta(hours=1)


def _staff(ctx: DemoContext) -> dict[str, User]:
    staff = {}
    for unit_name, (username, display_name) in STAFF.items():
        if display_name is None:
            staff[unit_name] = ctx.users[username]
            continue
        user = User(
            username=username, display_name=display_name, role=Role.BUREAU, org_unit=ctx.bureaus[unit_name]
        )
        user.set_password(ctx.password)
        user.save()
        ctx.users[username] = user
        staff[unit_name] = user
    for unit_name, (username, display_name) in LEADERS.items():
        leader = User(
            username=username,
            display_name=display_name,
            role=Role.BUREAU,
            org_unit=ctx.bureaus[unit_name],
            is_unit_leader=True,
            password=staff[unit_name].password,  # the same demo password, hashed once
        )
        leader.save()
        ctx.users[username] = leader
    return staff


def generate(ctx: DemoContext) -> None:
    """Routing rules, the campaign with its visits, and a year of demands through the services."""
    rng = ctx.rng
    office = ctx.users["office"]
    today = timezone.localdate()
    staff = _staff(ctx)
    # In a city of several counties the city office issues the rules, naming the bureaus as each
    # county names them, so every county's demands go to its own bureaus.
    city_office = ctx.users.get("city_office")
    for category, (lead, supporting, sign, response, complete) in RULES.items():
        units = (
            {"lead_name": lead, "supporting_names": list(supporting)}
            if city_office
            else {"lead_unit": ctx.bureaus[lead], "supporting_units": [ctx.bureaus[s] for s in supporting]}
        )
        services.routing_rule_save(
            actor=city_office or office,
            category=category,
            sign_days=sign,
            response_days=response,
            complete_days=complete,
            **units,
        )

    campaign_enterprises = list(
        Enterprise.objects.filter(pk__in=ctx.enterprise_ids)
        .filter(Q(above_scale=True) | Q(task_force__isnull=False))
        .select_related("town", "park", "org_unit")
        .order_by("pk")
    )
    start = dt.date(today.year, 3, 1) if today.month >= 4 else dt.date(today.year - 1, 9, 1)
    campaign = services.campaign_create(
        actor=office,
        name=f"{start.year}年企业一线大走访",
        starts_on=start,
        ends_on=today + dt.timedelta(days=30),  # still running: officials plan the coming weeks
        enterprises=campaign_enterprises,
        targets={
            ctx.units[t.name]: max(1, int(sum(1 for e in campaign_enterprises if e.town_id == t.pk) * 0.9))
            for t in ctx.towns
        },
        description="企业一线大走访，服务企业大提升：规上企业和培育库企业全覆盖，收集的诉求当场登记、按类交办。",
        plan_from_liaisons=True,
    )

    # Visits: the liaison officials first, then each town's own official for the rest (the demo
    # "town" account for 城关镇, the office for the other towns).
    liaisons = dict(
        EnterpriseLiaison.objects.filter(enterprise__in=campaign_enterprises, role="official").values_list(
            "enterprise_id", "user_id"
        )
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=set(liaisons.values()))}
    visits: list[tuple[Visit, object]] = []
    span = max(1, (min(campaign.ends_on, today) - start).days)
    for enterprise in campaign_enterprises:
        if rng.random() > 0.8:
            continue  # about one in five not visited yet
        visitor = users.get(liaisons.get(enterprise.pk)) or (
            ctx.users["town"] if enterprise.town.name == "城关镇" else office
        )
        # The campaign is still running: some of the visits were made in the last three weeks.
        recent = rng.random() < 0.15
        day = (
            today - dt.timedelta(days=rng.randrange(21))
            if recent
            else start + dt.timedelta(days=rng.randrange(span))
        )
        visit = Visit(
            campaign=campaign,
            enterprise=enterprise,
            visited_on=day,
            unit=visitor.org_unit,
            created_by=visitor,
            purpose=rng.choice(["一线大走访", "了解生产经营", "政策宣讲", "诉求回访"]),
            people_met=rng.choice(["总经理", "生产副总", "办公室主任", "财务总监"]),
            by_phone=rng.random() < 0.1,
            production=rng.choice(
                ["生产正常，产能利用率约八成", "订单饱满，满负荷生产", "淡季，部分产线停产检修"]
            ),
            orders=rng.choice(["订单排到下季度", "外贸订单同比下降", "新开拓两家大客户"]),
            labour=rng.choice(["", "缺熟练工", "用工基本稳定"]),
            plans=rng.choice(["", "计划明年技改扩产", "拟申报专精特新"]),
        )
        visit._history_user = visitor
        visit.save()
        visit.visitors.add(visitor)
        visits.append((visit, visitor))
    _fulfil_plans(campaign, [v for v, _ in visits])
    _plan_ahead(ctx, rng, campaign, [v for v, _ in visits], staff, today)

    n = min(300, ctx.n_enterprises // 4 + 40)
    enterprises = campaign_enterprises or list(Enterprise.objects.filter(pk__in=ctx.enterprise_ids[:200]))
    park_enterprises = [e for e in enterprises if e.park_id] or enterprises
    first_day = today - dt.timedelta(days=360)
    for i in range(n):
        recurring = i % 15 == 0
        if recurring:
            category, title, text = RECURRING[(i // 15) % len(RECURRING)]
            enterprise = rng.choice(park_enterprises)
        else:
            category = rng.choices(list(TEXTS), weights=[24, 20, 12, 12, 10, 10, 6, 6])[0]
            title, text = rng.choice(TEXTS[category])
            enterprise = rng.choice(enterprises)
        accepted = _at(
            workdays.next_working_day(first_day + dt.timedelta(days=int(360 * i / n) + rng.randrange(3))),
            rng.randrange(9, 17),
        )
        if accepted.date() > today:
            continue
        visit_pair = (
            next(((v, u) for v, u in visits if v.enterprise_id == enterprise.pk), None)
            if rng.random() < 0.45
            else None
        )
        if visit_pair:
            actor, channel, visit = visit_pair[1], "visit", visit_pair[0]
        elif enterprise.org_unit_id and rng.random() < 0.5:
            actor, channel, visit = ctx.users["enterprise"], "portal", None
        else:
            actor, channel, visit = office, rng.choice(["office", "hotline"]), None
        if actor.role == Role.ENTERPRISE and actor.org_unit_id != enterprise.org_unit_id:
            actor, channel = office, "office"
        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            actor, channel = office, "office"
        demand = services.demand_create(
            actor=actor,
            enterprise=enterprise,
            category=category,
            title=title,
            description=text.format(n=rng.randrange(2, 9)),
            channel=channel,
            visit=visit,
            at=accepted,
            external_no=f"12345-{accepted:%Y%m%d}-{i:04d}" if channel == "hotline" else "",
        )
        _handle(ctx, rng, demand, staff, office, today)
    services.demands_escalate(today=today)


def _fulfil_plans(campaign, visits: list[Visit]) -> None:
    """A visit fulfils its unit's open plan for the enterprise (as recording a visit does)."""
    made = {(v.enterprise_id, v.unit_id): v for v in sorted(visits, key=lambda v: v.visited_on)}
    plans = list(campaign.plans.filter(visit__isnull=True))
    for plan in plans:
        plan.visit = made.get((plan.enterprise_id, plan.unit_id))
    VisitPlan.objects.bulk_update([p for p in plans if p.visit is not None], ["visit"])


def _plan_ahead(ctx, rng, campaign, visits: list[Visit], staff, today) -> None:
    """Bureau officials plan visits for the coming weeks through the "无事不扰" check: half of them
    to enterprises another unit visited in the last weeks, where the plan is refused until the
    official confirms it (about half do; the others drop the plan)."""
    recent = sorted({v.enterprise for v in visits if (today - v.visited_on).days <= 21}, key=lambda e: e.pk)
    others = sorted({v.enterprise for v in visits} - set(recent), key=lambda e: e.pk)
    chosen = [(e, rng.randrange(1, 8)) for e in rng.sample(recent, min(10, len(recent)))]
    chosen += [(e, rng.randrange(1, 28)) for e in rng.sample(others, min(10, len(others)))]
    refused_count = 0
    for enterprise, days_ahead in chosen:
        official = staff[rng.choice(PLANNERS)]
        planned = {
            "actor": official,
            "enterprise": enterprise,
            "planned_on": today + dt.timedelta(days=days_ahead),
            "purpose": rng.choice(["用工需求对接", "融资需求摸底", "用电保障走访", "政策宣讲"]),
            "campaign": campaign,
        }
        try:
            services.visit_plan_create(**planned)
        except ValidationError as refused:
            if getattr(refused, "error_dict", {}).get("acknowledged"):
                refused_count += 1
                if refused_count % 2:  # every other official confirms after reading the warning
                    services.visit_plan_create(**planned, acknowledged=True)
        except PermissionDenied:
            continue


def _handle(ctx, rng, demand, staff, office, today) -> None:
    """Walk one demand through its life with realistic times; recent ones stay open."""
    age = workdays.working_days_between(timezone.localtime(demand.accepted_at, TZ).date(), today)
    if rng.random() < 0.04 and age > 3:
        wrong = staff[demand.lead_unit.name]
        returned_at = _after(demand.accepted_at, 0, 16)
        services.demand_return(
            actor=wrong, demand=demand, reason="不属于本单位职责，建议交经信局协调", at=returned_at
        )
        demand = services.demand_route(
            actor=office, demand=demand, lead_unit=ctx.bureaus["经信局"], at=_after(returned_at, 1, 9)
        )
    handler = staff[demand.lead_unit.name]
    start = demand.assigned_at
    if age < 1 and rng.random() < 0.5:
        return
    late_sign = rng.random() < 0.08
    signed_at = _after(
        start, rng.choice([2, 3]) if late_sign else rng.choice([0, 0, 1]), rng.randrange(9, 18)
    )
    if timezone.localtime(signed_at, TZ).date() > today:
        return
    services.demand_sign(actor=handler, demand=demand, at=signed_at)
    total = (
        demand.complete_due
        and workdays.working_days_between(timezone.localtime(start, TZ).date(), demand.complete_due)
    ) or 10
    late = rng.random() < 0.12
    days = total + rng.randrange(1, 8) if late else max(1, int(total * rng.uniform(0.2, 0.95)))
    if rng.random() < 0.5:
        note_at = _after(signed_at, max(1, days // 3), 10)
        if timezone.localtime(note_at, TZ).date() <= today:
            services.demand_note(
                actor=handler, demand=demand, text="已与企业对接，正在协调办理", interim=True, at=note_at
            )
            signed_at = note_at
    answered_at = _after(start, days, rng.randrange(9, 18))
    if timezone.localtime(answered_at, TZ).date() > today or (rng.random() < 0.03 and age > 20):
        return  # still in hand (a few long overdue)
    services.demand_answer(actor=handler, demand=demand, answer="已协调解决，详见办理记录", at=answered_at)
    rated_at = _after(answered_at, rng.choice([1, 2, 3]), 11)
    if timezone.localtime(rated_at, TZ).date() > today or rng.random() < 0.1:
        return
    rater = (
        ctx.users["enterprise"]
        if demand.enterprise.org_unit_id == ctx.users["enterprise"].org_unit_id
        else office
    )
    on_behalf = rater.role != Role.ENTERPRISE
    rating = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[75, 15, 10])[0]
    comment = "问题没有根本解决" if rating == "unsatisfied" else ""
    services.demand_rate(
        actor=rater, demand=demand, rating=rating, comment=comment, on_behalf=on_behalf, at=rated_at
    )
    if rating == "unsatisfied" and rng.random() < 0.75:
        reopened = services.demand_reopen(actor=office, demand=demand, at=_after(rated_at, 0, 16))
        again = _after(rated_at, rng.randrange(2, 8), 15)
        if timezone.localtime(again, TZ).date() > today:
            return
        services.demand_answer(actor=handler, demand=reopened, answer="重新协调，已解决", at=again)
        final = _after(again, 1, 11)
        if timezone.localtime(final, TZ).date() <= today:
            second = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[60, 30, 10])[0]
            services.demand_rate(
                actor=rater,
                demand=reopened,
                rating=second,
                comment="仍未完全解决" if second == "unsatisfied" else "",
                on_behalf=on_behalf,
                at=final,
            )
    elif rating != "unsatisfied" and timezone.localtime(rated_at, TZ).date() < today - dt.timedelta(days=60):
        services.demand_archive(actor=office, demand=demand, at=_after(rated_at, 5, 10))
