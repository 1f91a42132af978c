"""Demo step: the county's "推动工业企业高质量发展十四条硬措施" and a year of fulfilment.

Fourteen policies with 34 clauses of the usual kinds (above-scale entry reward, R&D subsidy by
intensity, technical-upgrade subsidy by investment tier with a cap, standard-building rent cut for
the first three years, SRDI and little-giant rewards, loan-interest subsidy, a 免申即享 list),
published; one matching run over the county; the 免申即享 items notified, most confirmed,
reviewed and paid with realistic delays; a few 快申快享 applications, one returned for correction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qiangxian.core.workdays import add_working_days
from qiangxian.policies import services
from qiangxian.policies.choices import ApplicationStatus
from qiangxian.policies.models import Application, Payment

from .context import DemoContext

LABEL = "惠企政策（十四条硬措施、政策找人、兑现记录）"
W = 10_000

# (policy title, lead bureau, [(clause title, quote, eligibility, benefit, mode, extra)])
# benefit: ("fixed", yuan) | ("rate", rate, base) | ("tiers", [(threshold, amount)], base)
MEASURES = [
    (
        "支持企业升规入统",
        "经信局",
        [
            (
                "首次入规奖励",
                "对首次纳入规模以上工业企业统计的企业，一次性奖励10万元。",
                '持有("规模以上工业企业") 且 主营业务收入@前年 < 2000万',
                ("fixed", 10 * W),
                "auto_grant",
                {},
            ),
            (
                "入规次年稳规奖励",
                "入规后次年仍在库且营业收入增长10%以上的，再奖励5万元。",
                '持有("规模以上工业企业") 且 增长率(营业收入@近2年) >= 10% 且 营业收入@上年 < 5000万',
                ("fixed", 5 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "鼓励企业加大研发投入",
        "科技局",
        [
            (
                "研发费用补助",
                "上年度研发费用100万元以上且占营业收入3%以上的，按研发费用的10%给予补助，最高100万元。",
                "研发费用@上年 >= 100万 且 研发费用@上年 / 营业收入@上年 >= 3%",
                ("rate", "0.1", "研发费用@上年"),
                "auto_grant",
                {"cap": 100 * W, "group": "研发", "rule": "highest", "budget": 800 * W},
            ),
            (
                "研发投入大户奖励",
                "上年度研发费用1000万元以上的，奖励50万元，与研发费用补助就高不重复。",
                "研发费用@上年 >= 1000万",
                ("fixed", 50 * W),
                "auto_grant",
                {"group": "研发", "rule": "highest"},
            ),
            (
                "研发费用增长奖励",
                "研发费用较上年增长20%以上且达到300万元的，奖励10万元。",
                "增长率(研发费用@近2年) >= 20% 且 研发费用@上年 >= 300万",
                ("fixed", 10 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "支持企业技术改造",
        "经信局",
        [
            (
                "技术改造设备投资补助",
                "技改设备投资200万元以上的按档补助：1000万元以上60万元，500万元以上30万元，200万元以上10万元，最高100万元。",
                '持有("规模以上工业企业")',
                ("tiers", [(200 * W, 10 * W), (500 * W, 30 * W), (1000 * W, 60 * W)], ""),
                "quick_application",
                {"cap": 100 * W, "docs": ["设备购置发票", "项目备案证明"]},
            ),
            (
                "智能化改造补助",
                "实施智能化改造的，按设备投资的8%给予补助，最高50万元。",
                '持有("规模以上工业企业")',
                ("rate", "0.08", ""),
                "quick_application",
                {"cap": 50 * W, "docs": ["智能化改造方案", "设备购置发票"]},
            ),
            (
                "数字化车间奖励",
                "新认定为市级数字化车间的，奖励20万元。",
                '人工判断("新认定为市级数字化车间")',
                ("fixed", 20 * W),
                "quick_application",
                {"docs": ["认定文件"]},
            ),
        ],
    ),
    (
        "标准厂房租金减免",
        "投促局",
        [
            (
                "标准厂房租金减免（前三年）",
                "入驻标准厂房的工业企业，前三年按实际租金给予全额补贴，每年最高20万元。",
                "成立年限 <= 3年",
                ("rate", "1", ""),
                "quick_application",
                {"cap": 20 * W, "docs": ["租赁合同", "租金缴纳凭证"]},
            ),
            (
                "厂房租金减半（第四至五年）",
                "第四至五年按实际租金的50%给予补贴，每年最高10万元。",
                "成立年限 >= 4年 且 成立年限 <= 5年",
                ("rate", "0.5", ""),
                "quick_application",
                {"cap": 10 * W, "docs": ["租赁合同", "租金缴纳凭证"]},
            ),
        ],
    ),
    (
        "推进优质中小企业梯度培育",
        "经信局",
        [
            (
                "创新型中小企业奖励",
                "新认定为创新型中小企业的，奖励3万元。",
                '持有("创新型中小企业")',
                ("fixed", 3 * W),
                "auto_grant",
                {"group": "梯度", "rule": "highest"},
            ),
            (
                "专精特新中小企业奖励",
                "新认定为省级专精特新中小企业的，奖励20万元。",
                '持有("专精特新中小企业")',
                ("fixed", 20 * W),
                "auto_grant",
                {"group": "梯度", "rule": "highest"},
            ),
            (
                "专精特新小巨人奖励",
                "新认定为国家级专精特新“小巨人”企业的，奖励100万元（含已享受的省级奖励差额）。",
                '持有("专精特新小巨人")',
                ("fixed", 100 * W),
                "auto_grant",
                {"group": "梯度", "rule": "highest"},
            ),
        ],
    ),
    (
        "支持高新技术企业发展",
        "科技局",
        [
            (
                "高新技术企业认定奖励",
                "首次认定为高新技术企业的，奖励10万元。",
                '持有("高新技术企业")',
                ("fixed", 10 * W),
                "auto_grant",
                {},
            ),
            (
                "科技型中小企业奖励",
                "入库科技型中小企业的，奖励1万元。",
                '持有("科技型中小企业")',
                ("fixed", 1 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "缓解企业融资难题",
        "财政局",
        [
            (
                "流动资金贷款贴息",
                "对企业流动资金贷款，按实际支付利息的50%给予贴息，每家企业每年最高50万元。",
                '持有("规模以上工业企业")',
                ("rate", "0.5", ""),
                "quick_application",
                {"cap": 50 * W, "docs": ["借款合同", "付息凭证"]},
            ),
            (
                "转贷应急资金费用补助",
                "使用县转贷应急资金的，按实际费用的全额给予补助，最高5万元。",
                '持有("规模以上工业企业")',
                ("rate", "1", ""),
                "quick_application",
                {"cap": 5 * W, "docs": ["转贷协议"]},
            ),
        ],
    ),
    (
        "鼓励企业做大做强",
        "经信局",
        [
            (
                "亿元企业奖励",
                "上年度营业收入首次突破1亿元的，奖励10万元。",
                "营业收入@上年 >= 1亿 且 营业收入@前年 < 1亿",
                ("fixed", 10 * W),
                "auto_grant",
                {"group": "规模", "rule": "highest"},
            ),
            (
                "十亿元企业奖励",
                "上年度营业收入首次突破10亿元的，奖励50万元。",
                "营业收入@上年 >= 10亿 且 营业收入@前年 < 10亿",
                ("fixed", 50 * W),
                "auto_grant",
                {"group": "规模", "rule": "highest"},
            ),
            (
                "营业收入增长奖励",
                "上年度营业收入5000万元以上且增长15%以上的，奖励20万元。",
                "营业收入@上年 >= 5000万 且 增长率(营业收入@近2年) >= 15%",
                ("fixed", 20 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "表彰纳税贡献",
        "税务局",
        [
            (
                "纳税贡献奖",
                "上年度实缴税金按档奖励：2000万元以上50万元，1000万元以上20万元，500万元以上10万元。",
                "实缴税金@上年 >= 500万",
                ("tiers", [(500 * W, 10 * W), (1000 * W, 20 * W), (2000 * W, 50 * W)], "实缴税金@上年"),
                "auto_grant",
                {},
            ),
            (
                "纳税增长奖",
                "上年度实缴税金增长20%以上且达到200万元的，奖励5万元。",
                "实缴税金@上年 >= 200万 且 增长率(实缴税金@近2年) >= 20%",
                ("fixed", 5 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "稳定和扩大就业",
        "人社局",
        [
            (
                "稳岗奖励",
                "上年度从业人员300人以上的，奖励5万元。",
                "从业人员@上年 >= 300人",
                ("fixed", 5 * W),
                "auto_grant",
                {},
            ),
            (
                "新增就业奖励",
                "从业人员较上年增加50人以上的，奖励3万元。",
                "从业人员@上年 - 从业人员@前年 >= 50人",
                ("fixed", 3 * W),
                "auto_grant",
                {},
            ),
        ],
    ),
    (
        "支持企业开拓市场",
        "商务和投促局",
        [
            (
                "参展补助",
                "参加省级以上展会的，按展位费的50%补助，最高5万元。",
                '持有("规模以上工业企业")',
                ("rate", "0.5", ""),
                "quick_application",
                {"cap": 5 * W, "docs": ["参展合同", "付款凭证"]},
            ),
            (
                "品牌建设奖励",
                "新获得中国驰名商标的，奖励30万元。",
                '人工判断("新获得中国驰名商标")',
                ("fixed", 30 * W),
                "quick_application",
                {"docs": ["认定文件"]},
            ),
        ],
    ),
    (
        "推动绿色低碳发展",
        "发改局",
        [
            (
                "绿色工厂奖励",
                "新认定为省级以上绿色工厂的，奖励20万元。",
                '人工判断("新认定为省级以上绿色工厂")',
                ("fixed", 20 * W),
                "quick_application",
                {"docs": ["认定文件"]},
            ),
            (
                "节能改造补助",
                "节能改造项目按投资额的10%补助，最高30万元。",
                '持有("规模以上工业企业")',
                ("rate", "0.1", ""),
                "quick_application",
                {"cap": 30 * W, "docs": ["节能审查意见"]},
            ),
        ],
    ),
    (
        "强化企业人才支撑",
        "人社局",
        [
            (
                "研发人员引进补助",
                "上年度研发人员30人以上的，奖励5万元。",
                "研发人员@上年 >= 30人",
                ("fixed", 5 * W),
                "auto_grant",
                {},
            ),
            (
                "技能人才培训补助",
                "开展职工技能培训的，按培训费用的50%补助，最高10万元。",
                '持有("规模以上工业企业")',
                ("rate", "0.5", ""),
                "quick_application",
                {"cap": 10 * W, "docs": ["培训名单", "费用凭证"]},
            ),
        ],
    ),
    (
        "重大项目一事一议",
        "发改局",
        [
            (
                "重大产业项目奖励",
                "固定资产投资10亿元以上的重大产业项目，实行一事一议，最高奖励500万元。",
                '人工判断("固定资产投资10亿元以上的重大产业项目")',
                ("fixed", 500 * W),
                "on_notice",
                {},
            ),
            (
                "总部经济奖励",
                "企业总部新迁入本县且年纳税1000万元以上的，奖励100万元。",
                '实缴税金@上年 >= 1000万 且 人工判断("总部新迁入本县")',
                ("fixed", 100 * W),
                "on_notice",
                {},
            ),
        ],
    ),
]


def _version(quote, eligibility, benefit, mode, extra, unit, finance, start) -> dict:
    data = {
        "effective_from": start,
        "quote": quote,
        "eligibility": eligibility,
        "mode": mode,
        "review_unit": unit,
        "paying_unit": finance,
        "review_days": 10 if mode == "quick_application" else 5,
        "cap_per_enterprise_year": Decimal(extra["cap"]) if "cap" in extra else None,
        "budget": Decimal(extra["budget"]) if "budget" in extra else None,
        "exclusion_group": extra.get("group", ""),
        "exclusion_rule": extra.get("rule", "stack"),
        "documents_required": extra.get("docs", []),
    }
    if mode == "quick_application":
        data["window_from"], data["window_to"] = start, dt.date(start.year, 12, 31)
    kind = benefit[0]
    if kind == "fixed":
        data.update(benefit_kind="fixed", benefit_amount=Decimal(benefit[1]))
    elif kind == "rate":
        data.update(benefit_kind="rate", benefit_rate=Decimal(benefit[1]), benefit_base=benefit[2])
    else:
        data.update(
            benefit_kind="tiers", benefit_tiers=[[t, a] for t, a in benefit[1]], benefit_base=benefit[2]
        )
    return data


def generate(ctx: DemoContext) -> None:
    """Publish the measures, run the matching, and play a year of fulfilment."""
    office = ctx.users["office"]
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    finance = ctx.bureaus.get("财政局")
    for number, (title, lead, clauses) in enumerate(MEASURES, start=1):
        unit = ctx.bureaus.get(lead) or ctx.bureaus["经信局"]
        policy = services.policy_save(
            actor=office,
            data={
                "title": f"{title}（十四条硬措施第{number}条）",
                "issuer_name": "县人民政府办公室",
                "doc_number": f"县政办发〔{today.year}〕{number + 2}号",
                "level": "county",
                "effective_from": start,
                "effective_to": dt.date(today.year + 2, 12, 31),
                "guide_who": "在本县登记注册、依法纳税的工业企业",
                "guide_what": "；".join(c[0] for c in clauses),
                "guide_when": "免申即享事项按季度推送；快申快享事项全年受理，10个工作日内办结",
                "guide_where": "县政务服务中心惠企政策窗口，或工业强县平台线上办理",
                "guide_contact": "0000-1234567",
                "full_text": "\n".join(c[1] for c in clauses),
            },
            responsible_units=[u for u in (unit, finance) if u is not None],
        )
        for order, (name, quote, eligibility, benefit, mode, extra) in enumerate(clauses, start=1):
            services.clause_save(
                actor=office,
                policy=policy,
                data={
                    "title": name,
                    "number": f"第{number}条第{order}款",
                    "sort_order": order,
                    **_version(quote, eligibility, benefit, mode, extra, unit, finance or unit, start),
                },
            )
        services.policy_publish(actor=office, policy=policy)
    run = services.run_matching(actor=office, as_of=today)
    services.notify_run(actor=office, run=run)
    _play_year(ctx, today, finance or ctx.bureaus["经信局"])


def _play_year(ctx: DemoContext, today: dt.date, finance) -> None:
    """Most notified items confirmed, reviewed and paid over the year, with realistic delays."""
    rng = ctx.rng
    office = ctx.users["office"]
    year_start = dt.date(today.year, 1, 1)
    span = max(1, (today - year_start).days)
    apps = list(Application.objects.order_by("pk"))
    payments = []
    for app in apps:
        notified = year_start + dt.timedelta(days=rng.randrange(0, max(1, span - 40)))
        roll = rng.random()
        fields = {"notified_at": _at(notified)}
        if roll < 0.85:
            confirmed = notified + dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 15]))
            fields.update(
                read_at=_at(notified),
                confirmed_at=_at(confirmed),
                confirmed_by=office if rng.random() < 0.2 else None,
                on_behalf=False,
                bank_name="县农村商业银行",
                bank_account=f"6228{rng.randrange(10**11, 10**12)}",
                status=ApplicationStatus.SUBMITTED,
                review_deadline=add_working_days(confirmed, 5),
            )
            if roll < 0.75:
                reviewed = add_working_days(confirmed, rng.choice([1, 2, 3, 5, 8]))
                fields.update(
                    status=ApplicationStatus.APPROVED,
                    approved_amount=app.estimated_amount,
                    reviewed_at=_at(reviewed),
                    reviewed_by=office,
                )
                paid_on = add_working_days(reviewed, rng.choice([1, 3, 5, 10, 20]))
                if roll < 0.65 and paid_on < today:
                    fields["status"] = ApplicationStatus.PAID
                    payments.append(
                        Payment(
                            application=app,
                            amount=app.estimated_amount,
                            paid_on=paid_on,
                            voucher_number=f"CZ{today.year}{app.pk:06d}",
                            paying_unit=finance,
                            recorded_by=office,
                        )
                    )
        elif roll < 0.9:
            fields.update(read_at=_at(notified + dt.timedelta(days=2)))
        Application.objects.filter(pk=app.pk).update(**fields)
    Payment.objects.bulk_create(payments, batch_size=2000)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
