"""Figures in a clause: value, unit, and the figures that are no target ("3个月", "1100亩产业园").

A figure is a number followed by a unit from ``UNITS`` (longest first, so "亿斤" is not read as
"亿"); a range keeps its upper value. ``hits_in`` drops the figures that only describe a noun, a
length of time or a slogan in quotation marks.
"""

from __future__ import annotations

import re
from decimal import Decimal

UNITS = (
    "个百分点",
    "亿千瓦时",
    "万千瓦时",
    "千瓦时",
    "万千瓦",
    "千瓦",
    "万亿斤",
    "亿斤",
    "万斤",
    "公斤",
    "斤",
    "万头",
    "万只",
    "万辆",
    "平方公里",
    "公里",
    "千米",
    "万平方米",
    "平方米",
    "微克/立方米",
    "万立方米",
    "立方米",
    "公顷",
    "万吨标准煤",
    "吨标准煤",
    "万亿元",
    "万亿",
    "亿美元",
    "万美元",
    "亿元",
    "万元",
    "亿吨",
    "万吨",
    "万亩",
    "万人次",
    "万人",
    "万套",
    "亿",
    "万",
    "元",
    "亩",
    "户",
    "家",
    "个",
    "项",
    "名",
    "人次",
    "人",
    "条",
    "座",
    "件",
    "所",
    "批",
    "套",
    "吨",
    "米",
    "倍",
    "起",
    "%",
    "‰",
)
# 亿/万 before a measure word of goods ("食用菌1.8亿棒", "苗木500万株") make one unit with it; before
# another measure word the list does not know ("50万平（方米）标房") they are no unit at all.
_MEASURED = r"(?:亿|万)[株棵尾羽台箱棒]"
_UNIT = (
    _MEASURED
    + "|"
    + "|".join(re.escape(u) + ("(?![株棵尾羽套台箱头只辆棒平])" if u in ("亿", "万") else "") for u in UNITS)
)
_NUM = r"\d+(?:\.\d+)?"
HIT = re.compile(rf"({_NUM})\s*(?:({_UNIT})?\s*(?:-|~|至|到)\s*({_NUM}))?\s*({_UNIT})")
# A figure that qualifies a noun ("5亿元以上项目", "10亿元企业") rather than stating a target.
QUALIFIER = re.compile(
    # A list of sizes before the noun they all describe ("过50亿元、过100亿元项目") counts as one.
    r"^(?:[、和或及]\s*(?:过|超)?\d+(?:\.\d+)?\s*(?:亿元|万元|亿|万)(?:以上|以下)?)*"
    r"(?:以上|以下|级)?(?:的)?[\u4e00-\u9fa5]{0,4}?(?:项目|企业|产业|工程|集群|园区|增长点"
    # "超400亿元工业强县1个": a size class of the places counted.
    r"|强县|强镇|强市|大县|强区)"
    # "地区生产总值超100亿元县（市）力争达到25个": a size class of counties.
    r"|^(?:以上|以下|级)?(?:的)?县(?:[（(]市[）)]|市区?|区|域)"
)
PROJECT_SIZE = re.compile(r"投资(?:总额|额)?(?:约|达|超)?\s*$")
BUILDS = re.compile(r"(?:兴建|新建|建设|建|开发|实施|改造|扩建|打造)")
GROWS_INTO = re.compile(r"(?:成为|打造成?|培育成?|建成|迈上|跻身)[^，,；;。]{0,12}$")
# An area or size directly followed by a place or building it describes ("1100亩泉商产业园",
# "60万平方米标房").
PLACE = re.compile(
    r"^(?:的)?[\u4e00-\u9fa5]{0,6}?(?:园区?|基地|片区|厂区|小区|项目|工程|集群|企业|标房|厂房|用地(?!指标)|地块|土地)"
)
RATE_UNITS = ("%", "‰", "个百分点")
# "由…提高到": what follows the base a change starts from.
CHANGED_TO = re.compile(r"\s*(?:提高|增加|提升|调整|扩大)(?:到|至)")

TARGET_VERBS = re.compile(
    r"达到|完成|实现|新增|增长|培育|引进|建成|开工|投产|招引|突破|超过|净增|提高到|提升到|控制在"
)
# The year's target quoted beside what has been done: "完成年任务（40.2亿元）的32.5%", "占年度计划15.3亿
# 元的44.8%".
# A task set from above is quoted the same way: "完成市下达任务100亿的100.2%", "提前完成区200亿招商
# 引资任务".
ANNUAL = re.compile(
    rf"(?:(?:年度?|全年)|下达的?)(?:目标任务|目标|任务|计划)"
    rf"(?:[（(]\s*({_NUM})\s*({_UNIT})\s*[）)]|({_NUM})\s*({_UNIT})(?=的))"
    rf"|完成[县市区州省]?({_NUM})\s*({_UNIT})[\u4e00-\u9fa5]{{0,6}}任务"
    # A task set from above, in brackets beside a result or a forecast ("（上饶下达任务325亿元）",
    # "（年度增长计划为10.5%）").
    # "（分解任务15项）" counts the items a breakdown plan is made of: no task set from above.
    rf"|[（(](?![\u4e00-\u9fa5]{{0,4}}?(?:分解|细化|梳理))[\u4e00-\u9fa5]{{0,10}}?(?:任务|计划|目标)为?\s*({_NUM})\s*({_UNIT})\s*[）)]"
    # Progress against the year's task named as a figure: "完成…10764万元，占任务数16900万元的63.7%".
    rf"|占(?:年度?|全年)?(?:目标)?任务数\s*({_NUM})\s*({_UNIT})(?=的)"
)
_COUNT_VERBS = (
    r"(?:达到|完成|实现|新增|培育|引进|建成|建设|新建|开工|投产|竣工|招引|签约|落地|突破|超过|净增|实施|开发|打造|"
    r"创建|争创|认定|申报|创成|推动|支持|扶持|发展|储备|谋划|孵化|形成)(?:不少于|不低于|超过|突破|达到)?"
    # "力争实现全年17家…": the year the count is set for may stand between the verb and the count.
    r"(?:全年|年内|今年|当年)?"
    r"(?:总?投资\s*\d+(?:\.\d+)?\s*(?:亿元|万元|亿|万)的)?"
    # "…的3批次22个重点项目": the batches group the projects counted after them.
    r"(?:\d+\s*批次?)?"
)
COUNT_VERB = re.compile(_COUNT_VERBS + "$")
# "签约总投资80亿元的金风集团绿色新材料、维尔利集团焦炉煤气综合利用等12个项目": the names of the
# projects stand between the verb and their count.
# "打造形成木业、食品、冶金、机械4个过千亿产业集群": names joined by 、 without 等.
_LISTED_COUNT = re.compile(
    _COUNT_VERBS + r"(?:[^，,；;。：:\d]{2,80}?等|(?:[\u4e00-\u9fa5]{1,8}、)+[\u4e00-\u9fa5]{1,8})\s*$"
)
# The names of the items of a count list before their count ("汽模配、纺织服装等5个百亿级产业集群").
# The noun of a count and the pause before the next count of the same list.
_NEXT_COUNT = re.compile(r"[\u4e00-\u9fa5“”\"]{1,12}[、和及]\s*")
NAMES_BEFORE_COUNT = re.compile(r"[^\d，,；;。：:]{1,80}?等\s*$")


def listed_count(before: str, after: str) -> bool:
    """Whether a count of projects, enterprises or clusters follows the verb that sets it and their names."""
    return bool(_LISTED_COUNT.search(before)) and bool(
        re.match(r"[\u4e00-\u9fa5]{0,6}(?:项目|企业|集群|园区)", after)
    )


_OPEN_END = re.compile(r"(?:以上|以下|左右|以内|内)")
MONEY = {
    "亿元": Decimal(100_000_000),
    "亿": Decimal(100_000_000),
    "万元": Decimal(10_000),
    "万": Decimal(10_000),
}
COUNT_UNITS = {"户", "家", "个", "项", "名", "人", "人次", "条", "座", "件", "所", "批", "套"}


# The items a plan or a notice is broken into: "分解任务15项", "共梳理重点事项20条".
BROKEN_INTO = re.compile(r"(?:分解|细化|梳理|列出)(?:为|成)?[\u4e00-\u9fa5]{0,4}?(?:任务|事项|工作)?\s*$")


# A place in a ranking ("进入全省前20名", "位列第3名", "第2批") is no count.
RANK_BEFORE = re.compile(r"(?:(?<![底末月日年季度内之以])前|第|排名|排位|位列|位居)\s*$")


def _in_quotes(clause: str, position: int) -> bool:
    """Whether ``position`` lies inside “…”: a slogan ("四个不摘", "两个高于") holds no figure.

    A quotation that runs past the clause ("“到2027年工业总产值突破3万亿元，…。”日前，市长…表示")
    quotes what was said, not a slogan.
    """
    before = clause[:position]
    return before.count("“") > before.count("”") and "”" in clause[position:]


# The average of other places a figure is compared with ("高于省、市7.5%平均水平", "高于省3.3万、市
# 2.5万平均水平"): a reference, not a target.
_AVERAGE = re.compile(
    r"^(?:[、和][\u4e00-\u9fa5]{0,4}\d+(?:\.\d+)?\s*(?:%|万元|万|亿元|亿)?)*\s*的?(?:平均水平|平均值|平均增速|均值)"
)


def hits_in(clause: str, continues_counts: bool = False) -> list[re.Match]:
    """The figures of a clause that may be targets (value, optional upper value, unit).

    ``continues_counts``: the clause before counted what a verb set ("建成1个四百亿级园区，"), so a
    count opening this one ("2个三百亿级园区") is the next item of the same list.
    """
    hits = list(HIT.finditer(clause))
    kept = []
    set_count = None
    for hit in hits:
        unit = hit.group(4)
        before = clause[: hit.start()]
        after = clause[hit.end() :]
        if _in_quotes(clause, hit.start()) or _AVERAGE.match(after):
            continue
        if unit in COUNT_UNITS and RANK_BEFORE.search(before):
            continue
        # "年产15万方构件", "年产1万吨液压件": the capacity of the plant a project builds.
        if re.search(r"年产能?\s*$", before):
            continue
        # "3批次22个重点项目": the batches are no count of their own, the projects after them are.
        if unit == "批" and re.match(r"次?\s*\d+\s*(?:个|项|家)", after):
            continue
        # "（分解任务15项）", "共梳理重点事项20条": the number of items a plan is broken into, no target.
        if unit in ("项", "条") and BROKEN_INTO.search(before):
            continue
        # "3个月", "8个季度": a length of time, not a count.
        if unit == "个" and re.match(r"(?:多)?(?:月|年|季度|工作日|小时)", after):
            continue
        # "总投资35亿元的80项工程": the total describes the projects counted after it; so does a level
        # before the class it defines ("新增年收入超50万元的经济强村5个").
        if unit not in COUNT_UNITS and re.match(r"的\s*[\d一二三四五六七八九十两]", after):
            continue
        if unit in MONEY and re.match(r"的[\u4e00-\u9fa5]{1,8}?\d+\s*(?:个|家|户|项|座|所)", after):
            continue
        # "20%的村集体年收入超30万元": the level that defines the share counted before it.
        if unit not in RATE_UNITS and re.search(r"\d+(?:\.\d+)?\s*%(?:以上)?的[^，,；;。\d%]{1,15}$", before):
            continue
        # "由年销售收入500万元提高到2000万元后": the base a change starts from, and a level reached as a
        # condition of what follows, are no targets.
        if re.search(r"由[^，,；;。\d]{0,12}$", before) and CHANGED_TO.match(after):
            continue
        if re.match(r"后(?![\u4e00-\u9fa5]{0,2}[年月])", after):
            continue
        # "引进总投资21.18亿元的锂盐项目": the size of the project named after it.
        if unit in MONEY and after.startswith("的") and PROJECT_SIZE.search(before):
            continue
        # "投资13.6亿元兴建金溪航电枢纽工程": what a project is built with.
        if unit in MONEY and PROJECT_SIZE.search(before) and BUILDS.match(after):
            continue
        # A figure that names a noun ("5亿元以上项目", "1100亩泉商产业园") is no target; a count
        # before its noun ("培育5个专精特新企业") is.
        # A size the sentence makes something grow into ("发展成为五百亿级产业") is a target, though.
        grows_into = len(hits) == 1 and after.startswith("级") and GROWS_INTO.search(before)
        if (
            unit in MONEY
            and QUALIFIER.match(after)
            and not grows_into
            and (len(hits) > 1 or not TARGET_VERBS.search(before))
        ):
            continue
        if unit not in MONEY and unit not in COUNT_UNITS and unit not in RATE_UNITS and PLACE.match(after):
            continue
        # A count before its noun is a target when a verb that takes it comes right before it
        # ("引进12个亿元以上项目"), not when it only sizes an action ("挂点帮扶32个重点企业").
        # "3个、4个和44个": a conjunction before the next figure of a list is no noun.
        noun_follows = (
            re.match(r"[\u4e00-\u9fa5“]", after)
            and not _OPEN_END.match(after)
            and not re.match(r"[和及与或]\s*\d", after)
        )
        next_item = continues_counts and (not before.strip() or NAMES_BEFORE_COUNT.fullmatch(before))
        # "推动实施400个重点工业项目、150个技术改造项目": the next count of a list the verb opened.
        next_item = next_item or (
            set_count is not None and bool(_NEXT_COUNT.fullmatch(clause[set_count.end() : hit.start()]))
        )
        verb_before = COUNT_VERB.search(before) or listed_count(before, after)
        if unit in COUNT_UNITS and noun_follows and not verb_before and not next_item:
            continue
        if unit in COUNT_UNITS and noun_follows:
            set_count = hit
        kept.append(hit)
    return kept
