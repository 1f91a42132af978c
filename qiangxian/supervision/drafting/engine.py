"""Proposing targets and tasks from a speech, a work plan or a task-breakdown notice.

Nothing here writes: ``draft(text, doc_date)`` returns proposals, each with the exact quote it
comes from, for an officer to confirm, edit or drop. The reading is rule-based (regular
expressions over a cleaned copy of the text) so that every proposal can be explained and the
benchmark under ``benchmarks/`` measures it on documents its rules were not written for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from . import dates, tense
from .figures import (
    ANNUAL,
    COUNT_UNITS,
    COUNT_VERB,
    HIT,
    MONEY,
    RATE_UNITS,
    TARGET_VERBS,
    hits_in,
    listed_count,
)
from .text import Sentence, Text, prepare, sentences

STRENGTHS = ("确保", "力争", "奋斗", "争取")
_BEFORE = [
    (re.compile(r"(?:不少于|不低于)$"), "≥"),
    # "翻一番、过500亿元": 过 alone after a pause is 超过.
    # "实现工业园区过百亿": 过 right after what passes the level is 超过 too ("通过", "经过" are not).
    (re.compile(r"(?:超过|突破|高于|(?:^|[、，,])过|(?<=[\u4e00-\u9fa5])(?<![通经超越路穿度])过)$"), ">"),
    (re.compile(r"(?:控制在|不超过|不高于)$"), "≤"),
    (re.compile(r"(?:达到|提高到|提升到)$"), "≥"),
    (re.compile(r"(?:约|大约)$"), "≈"),
]
_AFTER = [("以上", "≥"), ("以内", "≤"), ("以下", "≤"), ("左右", "≈"), ("内", "≤")]
_LEAD_WORDS = re.compile(
    r"^(?:全县|全州|全市|全区|[、，,和及与并且]|同时|其中|全年|今年|明年|年底前|年底|年内|(?:\d{4}年(?:底前|底)?)|[一二三四1-4]季度|[上下]半年|\d{1,2}月底前|到|力争|确保|奋斗|争取|目标|要|将|实现|完成|全县|全州|全市|我们|我县|我市|我区|各地|主要目标)+"
)
_TRAIL_WORDS = re.compile(
    r"(?:分别|比上年|比去年|较上年|同比|达到|完成|实现|突破|超过|不少于|不低于|控制在|提高到|提升到|增长|提高|提升|为|在|要|力争|确保)+$"
)
UNIT_NAME = (
    r"(?:县|州|市|区|XX|××|xx)?[\u4e00-\u9fa5A-Za-z]{0,10}?"
    r"(?:局|委员会|委|办公室|办|中心|管委会|公司|集团|银行|支行|分局|镇|乡|街道|园区|工业园|联社|协会)"
)
_NOTE = re.compile(r"[（(]([^（）()]*?(?:责任单位|牵头单位|配合单位|责任领导|牵头领导)[^（）()]*)[）)]")
_NOTE_PART = re.compile(
    r"(责任单位|牵头单位|配合单位|责任领导|牵头领导)\s*[：:]\s*([^；;，,。）)]*(?:[，,](?![^；;]*[：:])[^；;，,。）)]*)*)"
)
_BY = re.compile(rf"由((?:{UNIT_NAME}[、，,和及与]?)+?)(?:牵头|负责|承担)")
_SUBJECT = re.compile(
    rf"^(?:\d+[.、．]|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)])?\s*({UNIT_NAME}(?:[、和及与]{UNIT_NAME})*)(?:要|会同|牵头|负责|牵好头|抓好|继续|进一步|全力|积极|加快|做好)"
)
TASK_VERBS = re.compile(
    r"加快|推进|推动|开展|落实|梳理|组织|建立|完善|实施|做好|抓好|强化|加强|牵好头|牵头|协调|启动|召开|出台|制定|督促|"
    r"解决|帮助|引导|支持|打造|优化|深化|提升|进行|谋划|储备|申报|对接|摸排|排查|清理|整治|盘活|招聘|保障|服务"
)
INDICATORS = [
    ("技改投资", "upgrade_investment"),
    ("工业投资", "industrial_investment"),
    ("主营业务收入", "main_revenue"),
    ("营业收入", "revenue"),
    ("销售产值", "sales_output"),
    ("出口交货值", "export_delivery"),
    ("工业总产值", "gross_output"),
    ("总产值", "gross_output"),
    ("利润", "profit"),
    ("税收", "tax_paid"),
    ("税金", "tax_paid"),
    ("用电量", "electricity_kwh"),
    ("研发费用", "rd_expense"),
    ("研发经费", "rd_expense"),
    ("研发投入", "rd_expense"),
]


@dataclass
class TargetDraft:
    metric: str
    value: str
    unit: str
    comparator: str
    kind: str
    period: str
    deadline: str | None
    quote: str
    upper_value: str | None = None
    indicator: str | None = None
    above_only: bool = False
    strength: str = ""
    lead_units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)
    leader: str = ""
    scope: str = "全县"


@dataclass
class TaskDraft:
    action: str
    deadline: str | None
    quote: str
    lead_units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)
    leader: str = ""


@dataclass
class Draft:
    targets: list[TargetDraft]
    tasks: list[TaskDraft]

    def as_dict(self) -> dict:
        return {"targets": [asdict(t) for t in self.targets], "tasks": [asdict(t) for t in self.tasks]}


@dataclass
class _Owners:
    lead: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    leader: str = ""

    def merged(self, other: _Owners) -> _Owners:
        return _Owners(
            self.lead or other.lead, self.supporting or other.supporting, self.leader or other.leader
        )


def _split_units(raw: str) -> list[str]:
    parts = re.split(r"[、，,和及与/]", raw)
    return [p.strip(" ：:") for p in parts if p.strip(" ：:") and len(p.strip()) <= 20]


def _owners(sentence: str) -> _Owners:
    owners = _Owners()
    for note in _NOTE.finditer(sentence):
        for kind, value in _NOTE_PART.findall(note.group(1)):
            if kind in ("责任领导", "牵头领导"):
                owners.leader = value.strip()
            elif kind == "配合单位":
                owners.supporting = _split_units(value)
            else:
                owners.lead = _split_units(value)
    if not owners.lead:
        by = _BY.search(sentence)
        if by:
            owners.lead = _split_units(by.group(1))
    if not owners.lead:
        subject = _SUBJECT.search(sentence)
        if subject:
            owners.lead = _split_units(subject.group(1))
    return owners


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


# A concentration given alone ("PM2.5浓度37微克/立方米") is a ceiling.
CEILING_UNITS = ("微克/立方米",)


def _comparator(before: str, after: str, unit: str = "") -> str:
    for word, symbol in _AFTER:
        if after.startswith(word):
            return symbol
    for pattern, symbol in _BEFORE:
        if pattern.search(before):
            return symbol
    return "≤" if unit in CEILING_UNITS else "≥"


def _kind(metric: str, unit: str, before: str) -> str:
    if unit in RATE_UNITS:
        if re.search(r"增长|增速|提高|提升|下降|降低", before[-6:] + metric[-4:]):
            return "growth"
        return "ratio"
    if unit in COUNT_UNITS:
        return "count"
    return "level"


def _indicator(metric: str, kind: str, unit: str) -> str | None:
    if kind != "level" or (unit not in MONEY and unit not in ("千瓦时", "万千瓦时", "亿千瓦时")):
        return None
    if metric.startswith("新增") or "增加值" in metric:
        return None
    for word, code in INDICATORS:
        if word in metric:
            return code
    return None


def _clean_metric(raw: str) -> str:
    metric = re.sub(r"[（(][^）)]*[）)]", "", raw).strip(" ，,、：:")
    for _ in range(3):
        metric = _LEAD_WORDS.sub("", metric)
        metric = _TRAIL_WORDS.sub("", metric).strip(" ，,、：:")
    return metric


# "高于全省平均水平4个百分点以上", "快于全国增速3.1个百分点": the margin over another place's figure
# compares; "全省经济增速平均要达到13%" is the average of the places above, not the place's own aim.
_MARGIN = re.compile(
    r"(?:高于|低于|快于|慢于|超过|超出|滞后于?|领先)(?:全国|全省|全市|全州|国家|省|市)(?:[、和](?:省|市))?"
    r"(?:的)?(?:平均)?(?:水平|增速|增幅|平均水平|平均增速)?\s*$"
)
_AVERAGE = re.compile(r"(?:全国|全省|省上|省里)[^，,；;。、]{0,12}平均")


def _compared(clause: str, hit: re.Match) -> bool:
    """Whether ``hit`` is the figure of other places or the margin over it, not the place's own."""
    before = clause[: hit.start()]
    if hit.group(4) == "个百分点" and _MARGIN.search(before):
        return True
    return bool(_AVERAGE.search(before))


PROJECTS_INVEST = re.compile(r"(?:计划)?(?:总投资|年度计划投资|计划投资)(?:额)?(?:约|达|超)?\s*\d")


def _clauses(sentence: str) -> list[tuple[int, str]]:
    result, start = [], 0
    for match in re.finditer(r"[，,：:]", sentence + "，"):
        result.append((start, sentence[start : match.start()]))
        start = match.end()
    return result


# "张工表示，五年来，…", "报告显示，": who speaks, before the clause that opens what is said.
_ATTRIBUTION = re.compile(r"^[\u4e00-\u9fa5《》“”]{1,24}?(?:表示|指出|强调|介绍|说|显示|提出|透露)$")


def _opening_index(parts: list[tuple[int, str]]) -> int:
    """The index of the clause that opens what a sentence says, past an attribution."""
    if len(parts) > 1 and _ATTRIBUTION.match(parts[0][1].strip()):
        return 1
    return 0


class _Reader:
    def __init__(self, text: Text, doc_date: dt.date) -> None:
        self.text = text
        self.doc_date = doc_date
        self.year = dates.default_year(text.clean, doc_date)
        # A document that never looks ahead (no 力争, 确保, 目标, 计划, 到2025年…) and reports results
        # somewhere is a report: a figure with only a verb ("新引进亿元项目18个") is one more result.
        self.reports_only = not tense.looks_ahead(text.clean) and bool(
            tense.RESULT.search(text.clean) or tense.ACTUAL.search(text.clean)
        )
        self.targets: list[TargetDraft] = []
        self.tasks: list[TaskDraft] = []

    def read(self) -> Draft:
        section = tense.UNKNOWN
        for para_sentences, para_owners in self._paragraphs():
            if len(para_sentences) == 1:
                marked = tense.heading_state(para_sentences[0].text, self.year)
                if marked is not None and tense.is_heading(para_sentences[0].text, True):
                    section = marked
                    continue
            # A paragraph opened by a period already over ("2023年，…") reports throughout, and so does
            # the rest of one once a sentence reports and sets nothing ("20xx年，全县…保持了经济持续增长",
            # "实现增加值404.6亿元，位居全省第8位"), until a sentence opens with a period still to come.
            paragraph = state = section
            previous = None
            for sentence in para_sentences:
                parts = _clauses(sentence.text)
                period = tense.opening(parts[_opening_index(parts)][1], self.doc_date, self.year)
                reports = tense.sentence_state(sentence.text, tense.UNKNOWN) == tense.PAST
                if period == tense.PAST or (reports and section != tense.FUTURE):
                    paragraph = tense.PAST
                elif period == tense.FUTURE and paragraph == tense.PAST:
                    paragraph = state = section if section != tense.PAST else tense.UNKNOWN
                # "…力争实现“六提升”。即强优企业提升：…": a sentence opened by 即 spells out the aim before.
                if sentence.text.startswith("即") and previous is not None and tense.STRONG.search(previous):
                    state = tense.FUTURE
                previous = sentence.text
                owners = _owners(sentence.text).merged(para_owners)
                found, end_state = self._targets(sentence, owners, state, section == tense.FUTURE)
                if not found:
                    self._task(sentence, owners)
                # A sentence ended by "；" hands its reading to the next one of the list; a list of targets
                # ended by "。" goes on in the next sentence of its paragraph ("…增长5%。生态指标方面，…").
                if found and end_state == tense.FUTURE and paragraph == tense.UNKNOWN:
                    paragraph = tense.FUTURE
                # A sentence that reviews a year already over and sets nothing turns the rest of its
                # paragraph to that review.
                elif (
                    not found
                    and section != tense.FUTURE
                    and tense.reviews_a_year_over(sentence.text, self.year)
                ):
                    paragraph = tense.PAST
                ended = self.text.clean[sentence.end : sentence.end + 1]
                state = end_state if ended in ("；", ";") else paragraph
            # A paragraph ending by announcing what follows ("2021年重点做好以下工作。") heads a plan.
            if tense.ANNOUNCES.search(para_sentences[-1].text) and section != tense.PAST:
                section = tense.FUTURE
        return Draft(self.targets, self.tasks)

    def _paragraphs(self) -> list[tuple[list[Sentence], _Owners]]:
        all_sentences = sentences(self.text)
        groups: list[list[Sentence]] = []
        last_para_end = -1
        for s in all_sentences:
            # A paragraph break between two sentences starts a new group.
            note_only = s.text.startswith(("（", "(")) and _NOTE.fullmatch(s.text.rstrip("。；;"))
            if not groups or ("\n" in self.text.clean[last_para_end : s.start] and not note_only):
                groups.append([])
            groups[-1].append(s)
            last_para_end = s.end
        result = []
        for group in groups:
            note_owners = _Owners()
            for s in group:
                if _NOTE.search(s.text):
                    note_owners = _owners(_NOTE.search(s.text).group(0))
            result.append((group, note_owners))
        return result

    def _quote(self, sentence: Sentence) -> str:
        return self.text.quote(sentence.start, sentence.end)

    def _targets(
        self, sentence: Sentence, owners: _Owners, state: str, planned: bool = False
    ) -> tuple[bool, str]:
        text = sentence.text
        if "XX亿" in text or ("××" in text and not HIT.search(text)):
            return False, state
        found = self._annual(sentence, owners)
        state = tense.sentence_state(text, state)
        period_context = ""
        # The reading after the sentence's first clause is what a list continued after "；" inherits.
        opening = None
        counted = False
        verb_before = False
        first = _opening_index(_clauses(text))
        for index, (_offset, clause) in enumerate(_clauses(text)):
            carried, verb_before = verb_before, verb_before or bool(TARGET_VERBS.search(clause))
            if index < first:
                continue
            if index == first:
                period = tense.opening(clause, self.doc_date, self.year)
                if period == tense.PAST:
                    state = opening = tense.PAST
                    continue
                # In a report, a sentence opened by a year still mostly to come ("2024年，" in April)
                # looks ahead; "今年，" in a mid-year report does not.
                if period == tense.FUTURE and self.reports_only and self._coming(clause):
                    state = tense.FUTURE
            # "…情况下，上半年我市工业经济保持平稳：全部工业增加值实现89.58亿元" reports from there on.
            if tense.leads_with_period_over(clause, self.doc_date, self.year):
                state = tense.PAST
                if not found:
                    opening = tense.PAST
            state = tense.clause_state(clause, state, self.year, self.reports_only, planned)
            if opening is None:
                opening = state
            if dates.has_date(clause):
                period_context = clause
            hits = [h for h in hits_in(clause, counted) if not ANNUAL.search(clause[: h.end() + 1][-40:])]
            counted = any(h.group(4) in COUNT_UNITS for h in hits)
            hits = [h for h in hits if not _compared(clause, h)]
            # "项目100个以上，总投资500亿元以上", "项目7个，总投资61.4亿元，年度计划投资10.3亿元": the
            # investment of the projects counted just before.
            if PROJECTS_INVEST.match(clause) and self._counts_projects(_clauses(text)[:index]):
                hits = []
            if not hits or state == tense.PAST:
                continue
            # "签约总投资80亿元的…等12个项目": a count a verb sets, the projects' names between them.
            # "重点打造1个千亿级产业园区": a count right after the verb that sets it.
            sets_count = TARGET_VERBS.search(clause) or any(
                listed_count(clause[: h.start()], clause[h.end() :]) or COUNT_VERB.search(clause[: h.start()])
                for h in hits
                if h.group(4) in COUNT_UNITS
            )
            # "实现村村通标准柏油路，80%以上的自然村用上自来水": a share of what is to be done, after a
            # clause whose verb opens the list.
            sets_count = sets_count or (
                carried and any(h.group(4) == "%" and clause[h.end() :].startswith("以上的") for h in hits)
            )
            if state == tense.UNKNOWN and (self.reports_only or not sets_count):
                continue
            found |= self._clause_targets(sentence, clause, hits, owners, period_context or text)
        # A list item read as targets without a marker ("规模工业总产值达到240亿元；") makes the items
        # after it targets too ("工业税收2.2亿元；").
        if found and opening == tense.UNKNOWN and state != tense.PAST:
            opening = tense.FUTURE
        return found, opening or state

    @staticmethod
    def _counts_projects(before: list[tuple[int, str]]) -> bool:
        for _offset, clause in reversed(before):
            if not PROJECTS_INVEST.match(clause):
                return "项目" in clause and bool(HIT.search(clause))
        return False

    def _coming(self, clause: str) -> bool:
        year = re.fullmatch(r"\s*(\d{4})年\s*", clause)
        if clause.strip() == "明年" or (year and int(year.group(1)) > self.doc_date.year):
            return True
        return bool(year) and int(year.group(1)) == self.doc_date.year and self.doc_date.month <= 6

    def _annual(self, sentence: Sentence, owners: _Owners) -> bool:
        """A year's target quoted beside an actual: "完成年度任务（111.3亿元）的38.7%"."""
        made = False
        for match in ANNUAL.finditer(sentence.text):
            value, unit = next(match.group(i, i + 1) for i in (1, 3, 5, 7, 9) if match.group(i))
            first = HIT.search(sentence.text)
            head = sentence.text[: first.start()] if first else ""
            metric = _clean_metric(re.split(r"[，,：:]", head)[-1]) or "（未识别指标）"
            kind = _kind(metric, unit, head)
            period, deadline = dates.resolve("", self.doc_date, self.year)
            self.targets.append(
                TargetDraft(
                    metric=metric,
                    value=str(Decimal(value)),
                    unit=unit,
                    comparator="≥",
                    kind=kind,
                    period=period,
                    deadline=deadline.isoformat() if deadline else None,
                    quote=self._quote(sentence),
                    indicator=_indicator(metric, kind, unit),
                    above_only="规上" in metric or "规模以上" in metric,
                    lead_units=owners.lead,
                    supporting_units=owners.supporting,
                    leader=owners.leader,
                )
            )
            made = True
        return made

    def _clause_targets(self, sentence, clause, hits, owners, period_context) -> bool:
        strength = next((w for w in STRENGTHS if w in sentence.text), "")
        period, deadline = dates.resolve(period_context, self.doc_date, self.year)
        together = "分别" in clause
        metrics: list[str] = []
        if together:
            head = clause[: clause.index("分别")]
            metrics = [_clean_metric(m) for m in re.split(r"[、和及与]", head) if _clean_metric(m)]
            if len(metrics) != len(hits):
                metrics = []
        # "分别增长7%、8%左右": the word closing a shared list holds for each figure of it.
        closing = ""
        if together and len(hits) > 1:
            tail = clause[hits[-1].end() :]
            closing = next((word for word, _ in _AFTER if tail.startswith(word)), "")
        previous_end = 0
        made = False
        for i, hit in enumerate(hits):
            before = clause[previous_end : hit.start()]
            after = clause[hit.end() :]
            previous_end = hit.end()
            metric = (
                metrics[i] if metrics else _clean_metric(before.split("、")[-1] if "、" in before else before)
            )
            if not metric and self.targets and together:
                metric = self.targets[-1].metric
            if not metric:
                metric = _clean_metric(clause[: hit.start()].split("，")[-1])
            unit = hit.group(4)
            value = _decimal(hit.group(1))
            upper = _decimal(hit.group(3)) if hit.group(3) else None
            if value is None:
                continue
            kind = _kind(metric, unit, clause[: hit.start()])
            scope = "园区" if "园区" in metric or "园区" in clause[: hit.start()] else "全县"
            self.targets.append(
                TargetDraft(
                    metric=metric or "（未识别指标）",
                    value=str(value),
                    upper_value=str(upper) if upper is not None else None,
                    unit=unit,
                    comparator=_comparator(
                        before.rstrip(),
                        closing if closing and re.match(r"[、和及与]", after) else after,
                        unit,
                    ),
                    kind=kind,
                    period=period,
                    deadline=deadline.isoformat() if deadline else None,
                    quote=self._quote(sentence),
                    indicator=_indicator(metric, kind, unit),
                    above_only="规上" in metric or "规模以上" in metric,
                    strength=strength,
                    lead_units=owners.lead,
                    supporting_units=owners.supporting,
                    leader=owners.leader,
                    scope=scope,
                )
            )
            made = True
        return made

    def _task(self, sentence: Sentence, owners: _Owners) -> None:
        text = sentence.text
        body = _NOTE.sub("", text).strip()
        if len(body) < 8 or not TASK_VERBS.search(body):
            return
        future = tense.STRONG.search(body) or tense.WEAK.search(body)
        if tense.ACTUAL.search(body) and not future:
            return
        if re.search(r"[了过]", body[:12]) and not future:
            return
        _, deadline = dates.resolve(body, self.doc_date, self.year)
        if not dates.has_date(body):
            deadline = None
        action = re.sub(
            r"^(?:\d+[.、．]|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)])\s*", "", body
        )
        self.tasks.append(
            TaskDraft(
                action=action[:300],
                deadline=deadline.isoformat() if deadline else None,
                quote=self._quote(sentence),
                lead_units=owners.lead,
                supporting_units=owners.supporting,
                leader=owners.leader,
            )
        )


def draft(text: str, doc_date: dt.date) -> Draft:
    """Targets and tasks proposed from ``text`` (a document dated ``doc_date``)."""
    return _Reader(prepare(text), doc_date).read()


def to_yuan(value: str, unit: str) -> Decimal | None:
    """A money figure in yuan (亿元, 万元); None for other units."""
    number = _decimal(value)
    if number is None or unit not in MONEY:
        return None
    return number * MONEY[unit]
