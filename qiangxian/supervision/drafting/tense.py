"""Whether a clause sets a figure for a coming period or reports one already reached.

A document mixes both: "1-5月，…完成43亿元，同比增长9%" is a result, "力争完成51亿元" a target.
The reading goes clause by clause and carries a state ("future", "past" or "unknown"):

- a strong future marker (力争, 确保, 目标, 计划, 到2025年…) makes a clause a target, unless an actual
  marker comes before it in the same clause ("预测上半年将完成…");
- an actual marker (同比, 完成了, 累计, 预计/预测, "1-5月", a year before the plan year…) makes it a
  result, and the sentence's later clauses stay results unless a strong marker follows;
- a weak marker (要, 将, 新增, 突破, a figure followed by 以上…) makes a clause a target only when the
  sentence has not already turned to results.

A section heading ("回顾2023年工作", "一、1-11月指标完成情况", "三、2022年工作计划") sets the default
state of the sentences under it, and a sentence ended by "；" passes its state to the next.
"""

from __future__ import annotations

import datetime as dt
import re

from . import dates
from .figures import HIT
from .text import numbered_heading

FUTURE = "future"
PAST = "past"
UNKNOWN = "unknown"

STRONG = re.compile(
    # "争取开工项目" and "力争竣工项目" name a class of projects, not an aim.
    r"力争(?![\u4e00-\u9fa5]{0,4}项目)|确保|奋斗"
    r"|争取(?![^，,；;。]{0,20}?(?:资金|奖补|补助|贷款|债券))(?![\u4e00-\u9fa5]{0,4}项目)"
    r"|目标|预期|到\d{4}年|明年|年底前|年内"
    # The end of a five-year plan ("到“十四五”末", "到十五五期末") is a year to come.
    r"|到[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期)?期?末"
    # A project's planned investment ("签约项目13个，计划投资9.4亿元", "…总投资7亿元，年度计划投资1.2亿元")
    # describes it; a year's plan ("年度计划投资80亿元。") sets one.
    r"|(?:年度|全年)计划(?!投资)|(?<![，,])(?:年度|全年)计划投资|计划(?!总?投资)"
)
# A target named as the object of what has been done ("完成全年总量目标的107%", "高于全年增速目标7.5个
# 百分点", "实现了预期目标", "占年计划的127.6%"): a report on the target, no target set.
ACHIEVED = re.compile(
    r"(?:完成|实现|达到|超过|高于|低于|快于|慢于|占)[^，,；;。、\d]{0,8}?(?:目标|计划|任务)数?(?=的?\s*\d)"
    r"|(?:完成了|实现了|达到了|超额完成|达到)[^，,；;。、\d]{0,8}?(?:目标|计划|任务)(?:要求)?(?=$|[，,；;。])"
    # Pace measured against a target ("欠目标进度8.3个百分点", "超时序进度6.6个百分点").
    r"|(?:欠|落后|超|超过|快于|慢于|低于|高于)(?:目标|序时|时序|时间)进度"
    # "超确保目标9个百分点": the margin by which a target was beaten.
    r"|超(?:出|额)?(?:确保|力争|预期|年度|全年)?(?:目标|计划|任务)(?=\s*\d)"
    # "目标完成进度73.3%", "任务完成率85%": how far a target has been reached.
    r"|(?:目标|计划|任务)(?:完成)?(?:进度|率)(?=\s*\d)"
)
WEAK = re.compile(
    # "我们也要清醒看到" looks at what is, not ahead.
    r"(?<![主重需只必])要(?!求|清醒|看到|认识到|注意到|正视)|(?<!即)将(?!近)|全年|以上(?=$|[，,、；;。])"
    r"|不少于|不低于|控制在|以内|突破|超过|新增|培育"
)
# Results, forecasts and the previous year; a comparison base ("比上年增长", "与上年持平") is not a
# result, while "比增" (grown over last year) reports one.
ACTUAL = re.compile(
    r"(?<![比较与同于和])(?:去年|上年|前年)(?:同期)?|比增|今年以来|过去|截至|截止|以来|已经|已[有达完实建经]|累计|预计(?!到\d{4}年)|预测|同比"
    r"|(?<!项)目前|现有|实缴|完成了|实现了|达到了"
    # "超额完成69个省市重点项目年度投资计划": a plan beaten is a plan gone by.
    r"|超额完成|\d{1,2}-\d{1,2}月|[1元]至\d{1,2}月|元月至|一至[一二三四五六七八九十]+月"
    r"|前[一二三]季度"
    r"|上半年[，,]?全县"
    # Forecasts, what a place has now, and the years just past ("五年来", "近三年").
    r"|有望|可望|共有|拥有|近年来|[一二三四五六七八九十两\d]+年来|近[一二三四五两\d]年"
    # A first reached ("工业总产值首次突破10亿元") is news of a result.
    r"|首次"
    # A forecast made elsewhere and revised ("国际货币基金组织调高全球经济增速至3.7%").
    r"|调高|调低|上调|下调|国际货币基金组织|世界银行|IMF"
    # "15个项目已开工建设", "已下达项目20项"; not a class of projects ("已签约未开工的项目").
    r"|已(?:开工|竣工|投产|签约|下达)(?![^，,；;。]{0,4}?(?:的|项目))"
)
# Words that make a whole sentence a report when nothing in it looks ahead: "全县工业税收完成1.96亿元，
# 同比增长31.7%" states a result from its first clause on.
RESULT = re.compile(
    r"同比|比增|累计|完成了|实现了|达到了|保持了|取得了|迈出了|已[经有达完实建]|超额完成"
    # A news lead ("本报讯 …销售收入突破600亿元……记者从会上获悉") tells what happened unless it says
    # what is aimed at.
    r"|本报讯|获悉"
    # A record set or a place among the first ("均创历史新高", "居全国市州前列") is measured, never set.
    r"|创(?:历史|近年|同期)?(?:新高|最高|最好|最优)|(?<!进)(?:居|位居|位列|处于)[^，,；;。]{0,8}前列"
    # A place in a ranking is measured, never set, unless a strong marker says so ("力争进入全省前三").
    r"|(?:全市|全省|全国|全州|排名|排位|位居|位列|居)"
    r"(?:第[\d一二三四五六七八九十]+(?![\d方梯])|[\d一二三四五六七八九十]+(?:名|位))"
)
_YEAR = re.compile(r"(?<![到至比较\-~])(\d{4})年(?!底前|前)")
# A sentence opening with a period alone ("上半年，" "一季度，" "2024年，"): a result when it is over.
_PERIOD = re.compile(r"^(?:\d{4}年|今年|本年)?(?:[上下]半年|前?[一二三四1-4]季度|\d{1,2}月份?|全年)?$")
# "一年来，我们主要做了以下六个方面工作：" heads what was done.
PAST_HEADING = re.compile(
    r"回顾|完成情况|运行情况|进展情况|总结|成果|成绩|成效|情况通报"
    r"|^(?:一年来|过去一年|[一二三四五两]年来)|做了以下|主要做了"
    r"|(?:推进|落实|执行|进度|督查)情况"
)
# The last sentence of a paragraph announcing the plan under it: "2021年重点做好以下工作".
ANNOUNCES = re.compile(r"(?:做好|抓好|突出|推进|开展|落实)(?:好)?以下[\u4e00-\u9fa5]{0,8}(?:工作|任务|方面)$")
# "招引目标明确，重点突出" says the aims were clear: a heading of a report.
FUTURE_HEADING = re.compile(
    r"目标(?!明确|清晰)|打算|计划|思路|要点|重点工作|做好以下|展望|任务|举措|措施|安排|工作要求|下一?步"
)


def heading_state(line: str, plan_year: int | None = None) -> str | None:
    """The state a heading sets for the sentences under it; None when it names neither.

    A heading naming only a year before the plan year ("一、2022年工作") heads a report on it.
    """
    past, future = PAST_HEADING.search(line), FUTURE_HEADING.search(line)
    # The last word names what a heading heads: "计划执行情况", "目标任务完成情况" report on a plan
    # ("任务进展情况" of a progress notice still names the tasks behind).
    if re.search(r"(?:完成|执行)情况[）)]?[：:]?$", line):
        return PAST
    if not past and plan_year is not None and _YEAR.search(line) and _past_year(line, plan_year):
        past = not any(int(m.group(1)) >= plan_year for m in _YEAR.finditer(line))
    if past and future:
        return UNKNOWN
    if past:
        return PAST
    if future:
        return FUTURE
    return None


def is_heading(sentence: str, whole_paragraph: bool) -> bool:
    """A paragraph of one short line without a comma, one ending with a colon, or a numbered heading."""
    if not whole_paragraph:
        return False
    # A line stating a figure ("年度计划投资80亿元。") says something of its own; the count of the items
    # a heading heads ("主要预期目标（11项）") does not.
    if HIT.search(re.sub(r"[（(][^（）()]*[）)]$", "", sentence)) and not sentence.endswith(("：", ":")):
        return False
    if numbered_heading(sentence):
        return True
    return sentence.endswith(("：", ":")) or (len(sentence) <= 40 and not re.search(r"[，,；;]", sentence))


# A span of years ("2014-2019年", "2016至2020年"): over when it ends before the plan year.
_YEARS = re.compile(r"(?<!\d)(\d{4})\s*(?:-|~|至|到)\s*(\d{4})年")


def _past_year(clause: str, plan_year: int) -> bool:
    if any(int(m.group(2)) < plan_year for m in _YEARS.finditer(clause)):
        return True
    return any(int(m.group(1)) < plan_year for m in _YEAR.finditer(clause))


def reviews_a_year_over(sentence: str, plan_year: int) -> bool:
    """Whether a sentence reports on a year before the plan year and sets nothing.

    "据报告，2024年扬州经开区工业开票销售增长7%" in a 2025 report: the sentences after it in its
    paragraph ("全年新签约…项目达到127个") go on reviewing that year.
    """
    reported = _reported(sentence)
    if STRONG.search(reported) or SAYS_AHEAD.search(reported):
        return False
    # "在2020年基础上翻一番" names a base, not the year reported on.
    reported = re.sub(r"(?:在|以)\d{4}年(?:为)?基[础数期]", "", reported)
    return any(int(m.group(1)) < plan_year for m in _YEAR.finditer(reported))


def period_over(clause: str, doc_date: dt.date, plan_year: int) -> bool:
    """Whether a clause that is only a period ("上半年", "2024年") names one ended by the document date."""
    stripped = clause.strip()
    if not stripped or not _PERIOD.match(stripped):
        return False
    year_match = re.match(r"(\d{4})年", stripped)
    year = int(year_match.group(1)) if year_match else plan_year
    if year < plan_year:
        return True
    if stripped in (f"{year}年", "全年", "今年", "本年"):
        return False
    _, end = dates.resolve(stripped, doc_date, year)
    return end is not None and end <= doc_date


# A clause opened by a period and what happened in it ("上半年我市工业经济…", "二季度参加开工动员项目…").
_LEADING_PERIOD = re.compile(
    r"^(?:\d{4}年|今年|本年)?(?:[上下]半年|前?[一二三四1-4]季度|\d{1,2}月份?)(?=[\u4e00-\u9fa5])(?![末底前内以中初])"
)


def leads_with_period_over(clause: str, doc_date: dt.date, plan_year: int) -> bool:
    """Whether ``clause`` opens with a period already over and says what happened in it."""
    match = _LEADING_PERIOD.match(clause.strip())
    return bool(match) and not STRONG.search(clause) and period_over(match.group(0), doc_date, plan_year)


def _reported(text: str) -> str:
    """``text`` with each target it reports on ("完成全年目标的107%") read as a result."""
    return ACHIEVED.sub(lambda m: "已完成" + "　" * (len(m.group(0)) - 3), text)


def sentence_state(sentence: str, state: str) -> str:
    """The state a sentence starts in: a report throughout when it says so and sets nothing."""
    sentence = _reported(sentence)
    if state == UNKNOWN and RESULT.search(sentence) and not STRONG.search(sentence):
        return PAST
    return state


def opening(clause: str, doc_date: dt.date, plan_year: int) -> str | None:
    """What a sentence's opening clause says of the period it reports on.

    PAST for a period already over ("2023年", "上半年" in a July document, "今年以来", "过去一年"),
    FUTURE for a bare period still to come ("2024年" in a plan for 2024, "明年"), else None.
    A quotation mark opening a quoted review ("“2024年，…") is left out.
    """
    stripped = clause.strip().lstrip('“"‘「『')
    span = _YEARS.fullmatch(stripped)
    if span:
        return PAST if int(span.group(2)) < plan_year else FUTURE
    # "1月至6月", "1-6月": the months of the year gone by up to the last one named.
    months = re.fullmatch(r"(?:(\d{4})年)?(?:1|一|元)月?\s*(?:-|—|－|~|至|到)\s*(\d{1,2})月份?", stripped)
    if months:
        year = int(months.group(1)) if months.group(1) else plan_year
        last = int(months.group(2))
        if year < plan_year or (1 <= last <= 12 and dt.date(year, last, 1) < doc_date.replace(day=1)):
            return PAST
    if period_over(stripped, doc_date, plan_year) or re.fullmatch(
        r"(?:去年|上年|过去一年|一年来|今年以来|\d{4}年以来|[\u4e00-\u9fa5]{0,4}以来"
        # The years just past opening a review ("近年来，我县高度重视…", "五年来", "过去五年").
        r"|近(?:[一二三四五两几\d]+)?年来|近[一二三四五两几\d]+年|[一二三四五两\d]+年来|过去[一二三四五两\d]+年)",
        stripped,
    ):
        return PAST
    if re.fullmatch(r"(?:\d{4}年|明年|今年|新的一年)", stripped):
        return FUTURE
    return None


# What still looks ahead in a document that otherwise only reports: "将新增…", "要…".
SAYS_AHEAD = re.compile(r"(?<![主重需只必])要(?!求|清醒|看到|认识到|注意到|正视)|(?<!即)将(?!近)")


# "完成了县十七届人大三次会议确定的目标任务": a congress's session numbers may stand between.
_MET = re.compile(r"(?:完成|实现|达到|超过)(?:[^，,；;。\d]|\d+[次届])+?(?:目标|计划|任务)")


def looks_ahead(text: str) -> bool:
    """Whether a document sets anything anywhere (a target met, "完成省政府年度考核目标", sets nothing)."""
    return bool(STRONG.search(_MET.sub("", _reported(text))))


def _cumulative_floor(clause: str) -> bool:
    """Whether the only result word of a clause is 累计 and a floor or a ceiling closes its figure."""
    words = {m.group(0) for m in ACTUAL.finditer(clause)}
    # "拥有千亿元企业2家" in a list of aims: what the place is to have.
    if words and words <= {"拥有", "共有"}:
        return True
    # "累计新增到位资金600亿元": a sum to be added up over the plan's years.
    floor = re.search(r"(?:以上|以内|不少于|不低于|突破|超过)|累计新增", clause)
    return words == {"累计"} and bool(floor)


def clause_state(
    clause: str, state: str, plan_year: int, reports_only: bool = False, planned: bool = False
) -> str:
    """The state after reading ``clause``, given the state the sentence was in before it.

    In a document that never looks ahead (``reports_only``) "新增", "突破", "以上" are news of a
    result, and only "将" or "要" still make a clause a target. Under a heading of targets
    (``planned``: "二、经济社会发展预期目标") "同比增长6.5%以上" names the base of a growth to come.
    """
    reported = _reported(clause)
    # "到2015年，全县规模以上工业总产值达到28.8亿元" in a 2016 speech: a year gone by, no horizon.
    gone = [m for m in re.finditer(r"到(\d{4})年", reported) if int(m.group(1)) < plan_year]
    for match in gone:
        reported = reported[: match.start()] + "　" * len(match.group(0)) + reported[match.end() :]
    if planned:
        reported = re.sub(r"同\s*比", "　　", reported)
    strong = STRONG.search(reported)
    actual = ACTUAL.search(reported)
    if strong and not (actual and actual.start() < strong.start()):
        return FUTURE
    # "工业累计投资在2600亿元以上" in a plan's list: a total to be reached over the plan's years.
    if actual and state == FUTURE and _cumulative_floor(reported):
        return FUTURE
    if actual or gone or _past_year(clause, plan_year):
        return PAST
    if (SAYS_AHEAD if reports_only else WEAK).search(clause) and state != PAST:
        return FUTURE
    return state
