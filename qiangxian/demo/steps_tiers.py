"""Demo step: assessment data and judgements for the cultivation pool (梯度培育库).

The office has assessed the county's cultivation candidates: the larger manufacturers and a
sample of the rest (about half of the enterprises). For them it recorded what no statistical
return carries (years in the niche market, technical staff, sales revenue, high-tech income,
the SRDI quality score, market shares...), checked the credit lists and made the judgements the
criteria ask for. The others have no assessment data, so the pool shows them as "cannot be
judged". A few enterprises are prepared as the county's candidates for this year's targets
(one little giant, one provincial SRDI, one single champion): their data is complete, so they
appear as met or close. Everything derives from the statistics already generated, so each
enterprise's figures tell one story.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qiangxian.enterprises.choices import DesignationLevel
from qiangxian.enterprises.models import Designation
from qiangxian.statistics.snapshot import build_snapshot
from qiangxian.tiers import tiers as tier_defs
from qiangxian.tiers.models import (
    AssessmentAward,
    AssessmentDesignation,
    AssessmentJudgement,
    AssessmentValue,
)

from .context import DemoContext

LABEL = "梯度评价数据（评价数据、资质核查、人工判断）"
ASSESSED_TOP = 0.45  # the largest enterprises are all assessed
ASSESSED_SAMPLE = 0.12  # and a sample of the rest

# Judgements about legal compliance: nearly always satisfied after the credit and safety checks.
COMPLIANCE_WORDS = ("违法", "事故", "居民企业", "禁止")
RARE_QUALIFICATIONS = (
    "国家级技术创新示范企业",
    "知识产权优势企业",
    "知识产权示范企业",
    "近五年主导制定国际、国家或行业标准",
)
# Awards are records with a level, a rank and a date; "近三年…" is worked out on the evaluation date.
AWARD_NAMES = {"provincial": "省科学技术进步奖", "national": "国家科学技术进步奖"}


def _col(snap, ident: str, period: str) -> np.ndarray:
    return snap.column(ident, period)


def generate(ctx: DemoContext) -> None:
    """Assessment values, qualifications and judgements for the assessed enterprises."""
    if not ctx.enterprise_ids:
        return
    rng = np.random.default_rng(ctx.seed + 31)
    as_of = timezone.localdate()
    y = as_of.year
    office = ctx.users.get("office")
    snap = build_snapshot(as_of=as_of)
    ids = snap.enterprise_ids
    n = len(ids)
    revenue = np.nan_to_num(_col(snap, "revenue", "last_year"))
    order = np.argsort(-revenue, kind="stable")
    assessed = np.zeros(n, dtype=bool)
    assessed[order[: int(n * ASSESSED_TOP)]] = True
    assessed |= rng.random(n) < ASSESSED_SAMPLE
    rank_of = np.empty(n, dtype=np.int64)
    rank_of[order] = np.arange(n)

    employees = np.nan_to_num(_col(snap, "employees", "last_year"))
    rd = {k: np.nan_to_num(_col(snap, "rd_expense", k)) for k in ("last_year", "year_minus_2")}
    rev = {k: np.nan_to_num(_col(snap, "revenue", k)) for k in ("last_year", "year_minus_2")}
    main_rev = {k: np.nan_to_num(_col(snap, "main_revenue", k)) for k in ("last_year", "year_minus_2")}
    years = np.nan_to_num(snap.years_since_established(), nan=5.0)
    srdi_holders = snap.designation("专精特新中小企业")[0]
    rd_share = np.divide(rd["last_year"], rev["last_year"], out=np.zeros(n), where=rev["last_year"] > 0)

    values: list[AssessmentValue] = []
    quals: list[AssessmentDesignation] = []
    awards: list[AssessmentAward] = []
    judgements: list[AssessmentJudgement] = []
    texts = [t for t, _ in tier_defs.judgement_texts()]
    compliance = [t for t in texts if any(w in t for w in COMPLIANCE_WORDS)]
    others = [t for t in texts if t not in compliance]

    def value(i: int, ident: str, year: int, amount: float, note: str) -> None:
        values.append(
            AssessmentValue(
                enterprise_id=int(ids[i]),
                indicator=ident,
                year=year,
                value=Decimal(str(round(float(amount), 2))),
                source_note=note,
                entered_by=office,
            )
        )

    def qual(i: int, name: str, held: bool, evidence: str) -> None:
        quals.append(
            AssessmentDesignation(
                enterprise_id=int(ids[i]), name=name, held=held, evidence=evidence, recorded_by=office
            )
        )

    def judge(i: int, text: str, ok: bool, reason: str) -> None:
        judgements.append(
            AssessmentJudgement(
                enterprise_id=int(ids[i]),
                criterion=text,
                satisfied=ok,
                reason=reason,
                judged_on=as_of - dt.timedelta(days=int(rng.integers(5, 120))),
                judged_by=office,
            )
        )

    # The candidates for this year's targets: complete data, favourable judgements. The little
    # giant candidates are the SRDI firms (or large firms given the SRDI title two years ago)
    # whose R&D comes closest to 3% and 1200万 over two years; the SRDI candidates hold the
    # innovative-SME title and spend close to 3% on R&D.
    big = order[:6]
    rd_sum = rd["last_year"] + rd["year_minus_2"]
    rd_low = np.minimum(
        rd_share,
        np.divide(rd["year_minus_2"], rev["year_minus_2"], out=np.zeros(n), where=rev["year_minus_2"] > 0),
    )
    closeness = np.minimum(rd_low / 0.03, rd_sum / 1.2e7)
    pool = [
        i
        for i in np.argsort(-closeness, kind="stable").tolist()
        if rev["last_year"][i] >= 5.0e7 and i not in set(big[:3].tolist())
    ]
    giant_candidates = pool[:3]
    innovative = snap.designation("创新型中小企业")[0] | snap.designation("科技型中小企业")[0]
    srdi_candidates = [
        i
        for i in order[:400].tolist()
        if not srdi_holders[i]
        and rd_low[i] >= 0.024
        and rd["year_minus_2"][i] >= 1.0e6
        and i not in giant_candidates
    ][:4]
    titles = [(i, "srdi_sme") for i in giant_candidates if not srdi_holders[i]]
    titles += [(i, "innovative_sme") for i in srdi_candidates if not innovative[i]]
    _titles(titles, ids, as_of, office)
    big_set = set(big.tolist())
    favoured = big_set | set(giant_candidates) | set(srdi_candidates)

    for i in np.flatnonzero(assessed).tolist():
        strong = i in favoured or rank_of[i] < n * 0.08
        credit = "信用中国、国家企业信用信息公示系统查询"
        qual(i, "经营异常名录", bool(rng.random() < 0.01), credit)
        qual(i, "严重失信主体名单", False, credit)
        for text in compliance:
            ok = bool(rng.random() < 0.97) or i in favoured
            judge(i, text, ok, "经安全、环保、税务部门核查" if ok else "近三年有环保行政处罚记录")
        niche = min(years[i], float(rng.integers(3, 22)))
        if i in big_set:
            niche = max(niche, 12.0)
        value(i, "niche_market_years", y, max(1.0, niche), "企业申报材料")
        value(i, "niche_market_years", y - 1, max(0.0, niche - 1), "企业申报材料")
        tech_share = rng.uniform(0.12, 0.35) if strong else rng.uniform(0.04, 0.3)
        value(i, "tech_staff", y - 1, round(employees[i] * tech_share), "企业人员花名册")
        for k, key in ((1, "last_year"), (2, "year_minus_2")):
            if rev[key][i] > 0:
                value(
                    i,
                    "sales_revenue",
                    y - k,
                    rev[key][i] * rng.uniform(0.97, 1.0),
                    "企业所得税年度纳税申报表",
                )
        value(i, "total_cost_expense", y - 1, rev["last_year"][i] * rng.uniform(0.82, 0.95), "企业财务报表")
        # The year before the statistics' window, from the enterprise's audit report.
        g = rng.uniform(1.03, 1.16)
        value(i, "revenue", y - 3, rev["year_minus_2"][i] / g, "审计报告")
        value(i, "main_revenue", y - 3, main_rev["year_minus_2"][i] / g, "审计报告")
        value(i, "sales_revenue", y - 3, rev["year_minus_2"][i] / g * 0.98, "企业所得税年度纳税申报表")
        value(i, "rd_expense", y - 3, rd["year_minus_2"][i] / rng.uniform(1.0, 1.2), "研发费用辅助账")
        for k, key in ((1, "last_year"), (2, "year_minus_2")):
            value(i, "domestic_rd_expense", y - k, rd[key][i] * rng.uniform(0.85, 1.0), "研发费用辅助账")
        value(i, "domestic_rd_expense", y - 3, rd["year_minus_2"][i] / 1.1 * 0.9, "研发费用辅助账")
        value(
            i,
            "strategic_emerging_product",
            y,
            1.0 if rng.random() < 0.45 or strong else 0.0,
            "对照《战略性新兴产业分类》",
        )
        ip_share = rng.uniform(0.3, 1.0)
        value(
            i,
            "ip_class1_self_developed",
            y,
            round(rng.integers(0, 4) + (6 if strong else 0) * ip_share),
            "知识产权局查询",
        )
        value(
            i, "ip_class1_high_value", y, round(rng.integers(0, 2) + (2 if strong else 0)), "知识产权局查询"
        )
        if rd_share[i] >= 0.02 or strong:
            value(
                i,
                "high_tech_income",
                y - 1,
                rev["last_year"][i] * rng.uniform(0.45, 0.85),
                "高新技术产品（服务）收入专项审计",
            )
            value(i, "innovation_score", y, rng.uniform(62, 88), "专家评审意见")
            value(
                i,
                "srdi_quality_score",
                y,
                rng.uniform(45, 80) if strong else rng.uniform(30, 62),
                "优质中小企业梯度培育平台",
            )
        if strong or srdi_holders[i]:
            value(i, "niche_market_share_domestic", y - 1, rng.uniform(0.04, 0.22), "行业协会统计")
            value(i, "niche_market_rank_domestic", y - 1, float(rng.integers(1, 9)), "行业协会统计")
        for text in others:
            # Qualitative criteria the office has examined for the stronger firms only.
            if strong or rng.random() < 0.35:
                ok = bool(rng.random() < (0.8 if strong else 0.45))
                judge(i, text, ok, "现场走访并查阅相关材料" if ok else "经走访，暂不具备")
        if rng.random() < 0.06 or i in big_set:
            qual(i, "省部级以上研发机构", True, "省级企业技术中心认定文件")
        else:
            qual(i, "省部级以上研发机构", False, "经核查暂无省级以上研发机构")
        # Awards, honours and standards: checked against the published lists; few hold them.
        for name in RARE_QUALIFICATIONS:
            qual(i, name, bool(rng.random() < 0.02), "对照历年公布名单核查")
        qual(i, tier_defs.AWARDS_COMPLETE, True, "对照历年科技奖励公布名单核查")
        if rng.random() < 0.05 or (strong and rng.random() < 0.15):
            level = "national" if rng.random() < 0.2 else "provincial"
            # Some within the last three years, some just out of it: the window moves with the date.
            days = int(rng.integers(60, 365 * 5))
            awards.append(
                AssessmentAward(
                    enterprise_id=int(ids[i]),
                    name=AWARD_NAMES[level] + ("一等奖" if rng.random() < 0.3 else "二等奖"),
                    level=level,
                    rank=int(rng.integers(1, 7)),
                    awarded_on=as_of - dt.timedelta(days=days),
                    evidence="授奖文件",
                    recorded_by=office,
                )
            )
        value(i, "ip_class1_transferred_in", y, float(rng.random() < 0.15), "知识产权局查询（转让登记）")

    # The single champion candidates: the three largest, ranked in the world market.
    for place, i in enumerate(big[:3].tolist()):
        value(i, "niche_market_rank_global", y - 1, float([2, 3, 5][place]), "行业协会出具的市场占有率证明")
        value(i, "applied_product_is_new", y, 0.0, "企业申报材料")
    # The little giant candidates: data complete, the market and IP checked.
    for i in giant_candidates:
        value(i, "ip_class1_self_developed", y, 5.0, "知识产权局查询")
        value(i, "ip_class1", y, 6.0, "知识产权局查询")
        value(i, "ip_class1_transferred_in", y, 1.0, "知识产权局查询（转让登记）")
        value(i, "srdi_quality_score", y, rng.uniform(60, 72), "优质中小企业梯度培育平台")
        value(i, "niche_market_share_domestic", y - 1, rng.uniform(0.11, 0.18), "行业协会统计")
    # Leave the story open: one candidate waits for a judgement, one for its platform score,
    # one scores just under the bar.
    open_items: set[tuple[int, str]] = set()
    if len(giant_candidates) >= 2:
        chain = next((t for t in texts if "产业链关键环节" in t), None)
        if chain:
            open_items.add((int(ids[giant_candidates[1]]), chain))
    if len(giant_candidates) >= 3:
        value(giant_candidates[2], "srdi_quality_score", y, 55.0, "优质中小企业梯度培育平台")
    if srdi_candidates:
        open_items.add((int(ids[srdi_candidates[0]]), "srdi_quality_score"))
    values = [v for v in values if (v.enterprise_id, v.indicator) not in open_items]
    judgements = [j for j in judgements if (j.enterprise_id, j.criterion) not in open_items]
    _dedupe_and_save(values, quals, judgements, office)
    bulk_create_with_history(awards, AssessmentAward, batch_size=2000, default_user=office)


def _titles(titles, ids, as_of: dt.date, office) -> None:
    rows = [
        Designation(
            enterprise_id=int(ids[i]),
            kind=kind,
            level=DesignationLevel.PROVINCIAL,
            year=as_of.year - 2 if kind == "srdi_sme" else as_of.year - 1,
            valid_from=dt.date(as_of.year - 2 if kind == "srdi_sme" else as_of.year - 1, 7, 1),
            valid_to=dt.date(as_of.year + 1 if kind == "srdi_sme" else as_of.year + 2, 6, 30),
            note="演示数据：梯度培育候选企业",
        )
        for i, kind in titles
    ]
    bulk_create_with_history(rows, Designation, default_user=office)


def _dedupe_and_save(values, quals, judgements, office) -> None:
    # Later entries (the candidates' corrections) win over the general pass.
    def last(items, key):
        found = {}
        for item in items:
            found[key(item)] = item
        return list(found.values())

    values = last(values, lambda v: (v.enterprise_id, v.indicator, v.year))
    quals = last(quals, lambda q: (q.enterprise_id, q.name))
    judgements = last(judgements, lambda j: (j.enterprise_id, j.criterion))
    bulk_create_with_history(values, AssessmentValue, batch_size=2000, default_user=office)
    bulk_create_with_history(quals, AssessmentDesignation, batch_size=2000, default_user=office)
    bulk_create_with_history(judgements, AssessmentJudgement, batch_size=2000, default_user=office)
