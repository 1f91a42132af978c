"""Drafting clauses from a policy's pasted text: proposals an officer corrects and confirms.

What real texts do and how it is handled:

- full-width digits and signs (１０００万元, ５％): NFKC normalisation;
- Chinese numerals (二十万元, 百分之五十): ``cn2an.transform`` (pinned) on a normalised copy,
  while the quote stays the exact substring of the source;
- a number broken by a line break (10\\n00万元): line breaks inside a sentence are joined;
- units 万元 / 亿元 / 元 / 亩 / %, and comparators 以上 / 不低于 / 达到 / 超过 / 以内 / 以下 / 不超过;
- tiered lists ("1000万元以上的，奖励50万元；500万元以上的，奖励20万元", and "首次突破5亿元、10亿元的，
  分别奖励50万元、100万元" where thresholds and sums pair up) become one clause with tiers;
- thresholds listed under one comparator ("总投资1亿元和2亿元以上") give the lowest as the condition;
- a range of sums as the benefit ("分档给予20-500万元的奖励") is an up-to sum, its upper end the cap;
- per-year schedules ("第一年…，第二年…") become a schedule benefit; 一事一议 is flagged;
- （责任单位：县经信局、县财政局） is attached to the clauses of its paragraph.

Nothing here is published: :func:`save_draft` stores a draft policy whose clauses need confirming.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import warnings
from dataclasses import asdict, dataclass, field

import cn2an
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import BenefitKind, GrantMode, PolicyStatus
from .models import Clause, ClauseVersion, Policy

UNITS = {"亿元": 1e8, "万元": 1e4, "元": 1.0, "亿": 1e8, "万": 1e4}
NUMBER = r"(\d+(?:\.\d+)?)"
MONEY = NUMBER + r"\s*(亿元|万元|元|亿|万)"
BENEFIT_VERBS = r"(?:一次性)?(?:给予|奖励|补助|补贴|资助|扶持|贴息|奖补)"
# Phrase -> rule-language indicator (the last completed year, as the county's measures read it).
INDICATORS = [
    (("研发费用", "研发投入", "研发经费"), "研发费用@上年"),
    (("主营业务收入",), "主营业务收入@上年"),
    (("营业收入", "销售收入"), "营业收入@上年"),
    (("税收", "纳税", "实缴税金", "入库税金"), "实缴税金@上年"),
    (("工业总产值", "产值"), "工业总产值@上年"),
    (("用电量",), "用电量@上年"),
    (("从业人员", "职工人数", "用工"), "从业人员@上年"),
]
COMPARATORS = [
    ("不低于", ">="),
    ("不少于", ">="),
    ("达到", ">="),
    ("超过", ">"),
    ("突破", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("不超过", "<="),
    ("不高于", "<="),
    ("低于", "<"),
    ("小于", "<"),
    ("不足", "<"),
]
CAP_WORDS = r"(?:最高|最多|不超过|封顶|上限为?)"
# "20-500万元" / "20—50万元" as the sum given.
SUM_RANGE_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:亿元|万元|元|亿|万)?\s*(?:-|—|－|~|～|至|到)\s*" + MONEY)
# "200万元至500万元" / "150万—500万元": at least the first, below the second.
RANGE_RE = re.compile(
    r"(?P<phrase>[\u4e00-\u9fa5A-Za-z（）()]{2,16}?)(?P<lo>\d+(?:\.\d+)?)\s*(?P<lo_unit>亿元|万元|元|亿|万)?"
    r"\s*(?:至|到|—|－|-|~|～)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|亿|万|%|亩|人)"
    r"(?!\s*(?:及以上|以上))"
)
SUFFIX_COMPARATORS = [("及以上", ">="), ("以上", ">="), ("以内", "<="), ("及以下", "<="), ("以下", "<=")]
UNIT_RE = re.compile(r"责任单位[:：]\s*([^）)\n]+)[）)]?")
SPLIT_RE = re.compile(
    r"[。；;]|\n(?=\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|第[一二三四五六七八九十\d]+条))"
)


@dataclass
class Condition:
    indicator: str | None
    phrase: str
    comparator: str
    value: float
    unit: str


@dataclass
class Benefit:
    kind: str  # fixed | rate | tiers | schedule | case_by_case
    amount: float | None = None
    rate: float | None = None
    unit: str = "元"
    cap: float | None = None
    tiers: list[list[float]] = field(default_factory=list)
    schedule: list[dict] = field(default_factory=list)
    base: str = ""


@dataclass
class Proposal:
    quote: str
    start: int
    end: int
    conditions: list[Condition]
    benefit: Benefit
    responsible_units: list[str] = field(default_factory=list)
    title: str = ""

    def as_dict(self) -> dict:
        out = asdict(self)
        out["eligibility"] = eligibility_text(self)
        return out


def normalise(text: str) -> str:
    """Full-width to half-width, Chinese numerals to digits, numbers split by line breaks joined."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*\n\s*(?=[\d.])", "", text)
    text = re.sub(r"(?<=\d)\s*\n\s*(?=[万亿元%亩])", "", text)
    text = text.replace("\n", "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(ValueError, KeyError):
            text = cn2an.transform(text, "cn2an")
    # cn2an writes 二十万元 as 200000元 (the unit table converts), but also 一事一议 as 1事1议.
    return text.replace("1事1议", "一事一议").replace("1次性", "一次性")


def _money(number: str, unit: str) -> float:
    return float(number) * UNITS[unit]


def _clean_phrase(phrase: str) -> str:
    return re.sub(r"^(对|凡|年|上年度?|当年|企业|的|且|和|、)+", "", phrase).strip("，,的")


def _indicator(phrase: str) -> str | None:
    for words, indicator in INDICATORS:
        if any(w in phrase for w in words):
            return indicator
    return None


COND_RE = re.compile(
    r"(?P<phrase>[\u4e00-\u9fa5A-Za-z（）()]{2,16}?)"
    r"(?P<pre>不低于|不少于|达到|超过|突破|大于|高于|不超过|不高于|低于|小于|不足)?\s*"
    + r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|亿|万|%|亩|人)(?P<post>及以上|以上|以内|及以下|以下)?"
)


# A list of sums ("1亿元和2亿元", "5000、1亿元").
_MONEY_ITEM = r"\d+(?:\.\d+)?\s*(?:亿元|万元|元|亿|万)?"
_MONEY_LIST = _MONEY_ITEM + r"(?:\s*[、和或]\s*" + _MONEY_ITEM + ")+"
# "总投资1亿元和2亿元以上": several thresholds under one comparator; the lowest is the condition.
LIST_COND_RE = re.compile(
    r"(?P<phrase>[\u4e00-\u9fa5A-Za-z（）()]{2,16}?)(?P<items>"
    + _MONEY_LIST
    + r")(?<=[元亿万])\s*(?P<post>及以上|以上)"
)
LIST_ITEM_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|万元|元|亿|万)?")


def _listed_money(items: str) -> list[float]:
    """The sums of a list ("5000、1亿元"), an item without a unit taking the next one's."""
    found = LIST_ITEM_RE.findall(items)
    out, unit = [], None
    for number, u in reversed(found):
        unit = u or unit
        if unit is None:
            return []
        out.append(_money(number, unit))
    return out[::-1]


def _conditions(sentence: str) -> tuple[list[Condition], str]:
    """Threshold conditions before the benefit verb; returns them and the rest of the sentence."""
    m = re.search(BENEFIT_VERBS, sentence)
    head, tail = (sentence[: m.start()], sentence[m.start() :]) if m else (sentence, "")
    out = []
    for r in RANGE_RE.finditer(head):
        unit = r.group("unit")
        lo_unit = r.group("lo_unit") or unit
        phrase = _clean_phrase(r.group("phrase"))
        for raw, u, comparator in ((r.group("lo"), lo_unit, ">="), (r.group("hi"), unit, "<")):
            value = _money(raw, u) if u in UNITS else float(raw) / (100 if u == "%" else 1)
            out.append(Condition(_indicator(phrase), phrase, comparator, value, "元" if u in UNITS else u))
    head = RANGE_RE.sub(lambda r: r.group("phrase"), head)
    for r in LIST_COND_RE.finditer(head):
        values = _listed_money(r.group("items"))
        if values:
            phrase = _clean_phrase(r.group("phrase"))
            comparator = dict(SUFFIX_COMPARATORS)[r.group("post")]
            out.append(Condition(_indicator(phrase), phrase, comparator, min(values), "元"))
    head = LIST_COND_RE.sub(lambda r: r.group("phrase"), head)
    for c in COND_RE.finditer(head):
        pre, post = c.group("pre"), c.group("post")
        if not pre and not post:
            continue
        comparator = dict(COMPARATORS).get(pre or "", None) or dict(SUFFIX_COMPARATORS).get(post or "", ">=")
        unit = c.group("unit")
        value = _money(c.group("num"), unit) if unit in UNITS else float(c.group("num"))
        if unit == "%":
            value = float(c.group("num")) / 100
        phrase = _clean_phrase(c.group("phrase"))
        out.append(
            Condition(
                indicator=_indicator(phrase),
                phrase=phrase,
                comparator=comparator,
                value=value,
                unit="元" if unit in UNITS else unit,
            )
        )
    return out, tail


def _cap(text: str) -> float | None:
    """The cap of the benefit: the first "最高…万元", preferring one that names the benefit
    ("贷款规模上限为5000万元，最多可享受贴息150万元" caps the subsidy at 150万, not the loan)."""
    caps = list(re.finditer(CAP_WORDS + r"([^，,。；]{0,12}?)" + MONEY, text))
    if not caps:
        return None
    named = [m for m in caps if re.search(r"贴息|奖励|补助|补贴|资助|奖补|享受", m.group(1))]
    m = (named or caps)[0]
    return _money(m.group(2), m.group(3))


def _benefit(tail: str, sentence: str) -> Benefit | None:
    if "一事一议" in sentence:
        return Benefit(kind="case_by_case", cap=_cap(sentence))
    cap = _cap(tail or sentence)
    years = re.findall(
        r"第(\d+)(?:至(\d+))?年[^，,；;]*?(?:按|给予|补贴|减免)?[^\d，,；;]*?(\d+(?:\.\d+)?)\s*%", sentence
    )
    if len(years) >= 2:
        schedule = [
            {"from_year": int(a), "to_year": int(b or a), "rate": float(r) / 100} for a, b, r in years
        ]
        return Benefit(kind="schedule", schedule=schedule, cap=cap, unit="%")
    rate = re.search(r"(?:按|给予)[^，,。；]{0,20}?(\d+(?:\.\d+)?)\s*(?:%|个百分点)", sentence)
    if rate:
        base_phrase = re.search(r"按([^，,。；]{1,20}?)的?\s*\d", sentence)
        base = _indicator(base_phrase.group(1)) if base_phrase else None
        return Benefit(kind="rate", rate=float(rate.group(1)) / 100, cap=cap, unit="%", base=base or "")
    sum_range = SUM_RANGE_RE.search(tail)
    if sum_range:
        # "分档给予20-500万元的奖励": decided within the range, up to its upper end.
        return Benefit(kind="fixed", cap=_money(sum_range.group(1), sum_range.group(2)))
    amounts = _amounts(tail, sentence)
    if amounts:
        return Benefit(kind="fixed", amount=amounts[0], cap=cap)
    if cap is not None and re.search(r"奖励|补助|补贴|资助|奖补", tail) and not re.search("享受", tail):
        # "给予最高不超过30万元的奖励": up to a sum, the amount decided case by case.
        return Benefit(kind="fixed", cap=cap)
    return None


def _amounts(tail: str, sentence: str = "") -> list[float]:
    """Sums given (not caps) after the benefit verb, in order; a cap word before the verb counts
    ("最多可享受贴息150万元")."""
    before = sentence[: len(sentence) - len(tail)] if sentence.endswith(tail) else ""
    out = []
    for m in re.finditer(MONEY, tail):
        if not re.search(CAP_WORDS + r"[^，,]{0,12}$", before + tail[: m.start()]):
            out.append(_money(m.group(1), m.group(2)))
    return out


def eligibility_text(p: Proposal) -> str:
    """A rule-language condition for the proposal (人工判断 for what no indicator covers)."""
    parts = []
    for c in p.conditions:
        if c.indicator and c.unit == "元":
            parts.append(f"{c.indicator} {c.comparator} {c.value / 1e4:g}万")
        else:
            shown = f"{c.value / 1e4:g}万元" if c.unit == "元" else f"{c.value:g}{c.unit}"
            parts.append(f'人工判断("{c.phrase}{c.comparator}{shown}")')
    if not parts:
        summary = re.sub(r'["“”\s]', "", p.quote)[:60]
        parts.append(f'人工判断("{summary}")')
    return " 且 ".join(parts)


def _sentences(text: str):
    start = 0
    for m in SPLIT_RE.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


TIER_RE = re.compile(MONEY + r"\s*(?:及以上|以上)[^，,；;。]*?[，,]?\s*" + BENEFIT_VERBS + r"\s*" + MONEY)
# "收入首次突破5亿元、10亿元的，分别奖励50万元、100万元": thresholds and sums paired in order.
LIST_TIER_RE = re.compile(
    r"(?P<phrase>[\u4e00-\u9fa5]{2,12}?)(?P<pre>不低于|达到|超过|突破|大于|高于)\s*(?P<values>"
    + _MONEY_LIST
    + r")(?P<post>及以上|以上)?[^；;。]*?分别[^；;。\d]*?(?P<sums>"
    + _MONEY_LIST
    + r")"
)


def _list_tiers(norm: str) -> tuple[Condition, list[list[float]], list[float]] | None:
    """A threshold list paired with a 分别 list of sums: the lowest threshold and the tiers."""
    m = LIST_TIER_RE.search(norm)
    if not m:
        return None
    values, sums = _listed_money(m.group("values")), _listed_money(m.group("sums"))
    if len(values) < 2 or len(values) != len(sums) or values != sorted(values):
        return None
    phrase = _clean_phrase(re.sub(r"首次$", "", m.group("phrase")))
    comparator = dict(COMPARATORS)[m.group("pre")]
    cond = Condition(_indicator(phrase), phrase, comparator, values[0], "元")
    return cond, [[v, a] for v, a in zip(values, sums, strict=True)], values


def propose(text: str) -> list[Proposal]:
    """Proposed clauses of a policy text, each linked to its exact quote in the source."""
    text = text or ""
    proposals: list[Proposal] = []
    pending: list[Proposal] = []
    spans = list(_sentences(text))
    i = 0
    while i < len(spans):
        s, e = spans[i]
        quote = text[s:e].strip()
        i += 1
        if not quote:
            continue
        lead = len(text[s:e]) - len(text[s:e].lstrip())
        s, e = s + lead, s + lead + len(quote)
        norm = normalise(quote)
        units = UNIT_RE.search(norm)
        if units:
            names = [u.strip() for u in re.split(r"[、,，及和]", units.group(1)) if u.strip()]
            for p in pending:
                p.responsible_units = names
            pending = []
        if not re.search(BENEFIT_VERBS + r"|一事一议|减免|减半", norm):
            continue
        tiers = TIER_RE.findall(norm)
        # A tiered list runs over the following sentences: gather them into one clause.
        j = i
        while tiers and j < len(spans):
            ns, ne = spans[j]
            more = TIER_RE.findall(normalise(text[ns:ne]))
            if not more or len(more) != 1:
                break
            tiers += more
            e = ne
            j += 1
        if len(tiers) >= 2:
            i = j
            quote = text[s:e].strip()
            rows = sorted([[_money(a, b), _money(c, d)] for a, b, c, d in tiers])
            phrase_m = re.search(r"([\u4e00-\u9fa5]{2,10}?)(?:达到|超过)?\s*\d", norm)
            phrase = phrase_m.group(1) if phrase_m else ""
            lowest = rows[0][0]
            cond = Condition(_indicator(phrase), phrase, ">=", lowest, "元")
            benefit = Benefit(kind="tiers", tiers=rows, cap=_cap(norm), base=_indicator(phrase) or "")
            proposal = Proposal(quote=quote, start=s, end=e, conditions=[cond], benefit=benefit)
        elif listed := _list_tiers(norm):
            cond, rows, values = listed
            others = [c for c in _conditions(norm)[0] if not (c.unit == "元" and c.value in values)]
            benefit = Benefit(kind="tiers", tiers=rows, cap=_cap(norm), base=cond.indicator or "")
            proposal = Proposal(quote=quote, start=s, end=e, conditions=[cond, *others], benefit=benefit)
        else:
            conditions, tail = _conditions(norm)
            benefit = _benefit(tail, norm)
            if benefit is None:
                # "单户最多可享受贴息150万元": a limit of the clause before it.
                cap = _cap(norm)
                if cap is not None and proposals and proposals[-1].benefit.cap is None:
                    proposals[-1].benefit.cap = cap
                continue
            proposal = Proposal(quote=quote, start=s, end=e, conditions=conditions, benefit=benefit)
        found = [proposal]
        sums = _amounts(tail, norm) if proposal.benefit.kind == "fixed" and len(tiers) < 2 else []
        # "分别给予15万元、25万元" / "新升规每家奖励7万元，小升规每家奖励5万元": one clause per sum.
        for amount in sums[1:]:
            b = Benefit(kind="fixed", amount=amount, cap=proposal.benefit.cap)
            conditions = list(proposal.conditions)
            found.append(Proposal(quote=quote, start=s, end=e, conditions=conditions, benefit=b))
        for p in found:
            p.title = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*", "", quote)[:30]
            proposals.append(p)
            pending.append(p)
    return proposals


def _version_data(p: Proposal, day) -> dict:
    b = p.benefit
    data = {
        "effective_from": day,
        "quote": p.quote,
        "eligibility": eligibility_text(p),
        "mode": GrantMode.QUICK_APPLICATION,
        "review_days": 15,
    }
    if b.kind == "fixed":
        # Up to a sum only ("最高不超过30万元"): the sum stands in for the officer to correct.
        amount = b.amount if b.amount is not None else b.cap
        data.update(benefit_kind=BenefitKind.FIXED, benefit_amount=amount)
    elif b.kind == "rate":
        data.update(benefit_kind=BenefitKind.RATE, benefit_rate=b.rate, benefit_base=b.base)
    elif b.kind == "tiers":
        data.update(benefit_kind=BenefitKind.TIERS, benefit_tiers=b.tiers, benefit_base=b.base)
    elif b.kind == "schedule" and b.schedule:
        data.update(benefit_kind=BenefitKind.RATE, benefit_rate=b.schedule[0]["rate"], benefit_base="")
    else:
        data.update(benefit_kind=BenefitKind.FIXED, benefit_amount=b.cap or 1)
    data["cap_per_enterprise_year"] = b.cap
    return data


@transaction.atomic
def save_draft(*, actor, title: str, text: str) -> Policy:
    """Store the proposals as a draft policy (unpublished clauses) for an officer to correct."""
    from qiangxian.core.access import issuing_unit_id

    from .services.library import _require_manager

    _require_manager(actor)
    proposals = propose(text)
    if not proposals:
        raise ValidationError("未能从原文中识别出条款，请检查原文或手工录入。")
    today = timezone.localdate()
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    policy = Policy.objects.create(
        title=(title or first_line or "未命名政策")[:200],
        effective_from=today,
        full_text=text,
        status=PolicyStatus.DRAFT,
        created_by=actor,
        # Issued in the actor's name, as policy_save does: unissued, a county's draft would be
        # read in a tree of counties as shared by all of them.
        issuer_id=issuing_unit_id(actor),
    )
    for n, p in enumerate(proposals, start=1):
        clause = Clause.objects.create(
            policy=policy, number=str(n), title=p.title or f"条款{n}", sort_order=n
        )
        ClauseVersion.objects.create(
            clause=clause, created_by=actor, note="由原文起草，待核对", **_version_data(p, today)
        )
    return policy
