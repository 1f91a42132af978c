"""Each pattern the drafting reads, on short texts written for the purpose."""

import datetime as dt

import pytest

from qiangxian.supervision.drafting import draft
from qiangxian.supervision.drafting.text import prepare

DAY = dt.date(2026, 2, 20)


def targets(text, day=DAY):
    return draft(text, day).targets


def one(text, day=DAY):
    found = targets(text, day)
    assert len(found) == 1, [t.metric for t in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("规上工业企业达到96户。", "≥"),
        ("新增规上工业企业不少于13户。", "≥"),
        ("规上工业总产值突破230亿元。", ">"),
        ("工业用电量超过5亿千瓦时。", ">"),
        ("规上工业增加值增长8%左右。", "≈"),
        ("单位工业增加值能耗控制在0.5吨。", "≤"),
        ("安全事故起数控制在3起以内，新增亿元企业5家以上。", "≥"),
    ],
)
def test_comparators(text, comparator):
    found = targets(text)
    assert found[-1].comparator == comparator


def test_controlled_within_is_at_most():
    assert one("万元工业增加值能耗下降幅度控制在3%以内。").comparator == "≤"


def test_value_unit_strength_and_indicator():
    item = one("今年力争完成工业投资51亿元。")
    assert (item.metric, item.value, item.unit, item.strength) == ("工业投资", "51", "亿元", "力争")
    assert item.indicator == "industrial_investment"
    assert item.kind == "level"
    sure = one("确保规上工业总产值达到230亿元。")
    assert (sure.strength, sure.indicator, sure.above_only) == ("确保", "gross_output", True)


def test_metric_keeps_a_name_that_starts_like_a_lead_word():
    # 全年 and 今年 are lead words; 全 alone is part of 全社会.
    assert one("今年全社会固定资产投资增长8%。").metric == "全社会固定资产投资"
    assert one("全年规上工业增加值增长8%。").metric == "规上工业增加值"


def test_kind_growth_count_ratio():
    assert one("规上工业增加值增长8%。").kind == "growth"
    assert one("新增规上工业企业13户。").kind == "count"
    assert one("研发投入强度达到2.5%。").kind == "ratio"


def test_range_keeps_upper_value():
    item = one("规上工业增加值增长8%-10%。")
    assert (item.value, item.upper_value) == ("8", "10")


def test_actuals_and_forecasts_are_not_targets():
    text = (
        "去年全县规上工业增加值增长14.3%。1-5月实现规上工业总产值98亿元，同比增长12%。"
        "预计全年工业投资可达45亿元。今年力争规上工业增加值增长8%以上。"
    )
    found = targets(text)
    assert [(t.value, t.unit) for t in found] == [("8", "%")]


def test_past_year_figure_is_not_a_target():
    assert targets("2025年全县完成工业投资43亿元，增长10.2%。") == []


def test_full_width_digits_and_numbers_split_across_lines():
    text = "工业总产值、营业收入、税收分别达到５０亿元、4\n5亿元、3亿元。"
    found = targets(text)
    assert [(t.metric, t.value) for t in found] == [("工业总产值", "50"), ("营业收入", "45"), ("税收", "3")]
    # The quote is the exact text, line break and wide digits included.
    assert found[1].quote in text and "\n" in found[1].quote and "５０" in found[1].quote


def test_chinese_numerals():
    item = one("新增规上工业企业十三户。")
    assert item.value == "13"
    assert one("培育国家级专精特新“小巨人”企业一家。").value == "1"


def test_qualifier_figure_is_part_of_the_metric():
    item = one("引进5亿元以上项目7个。")
    assert (item.metric, item.value, item.unit) == ("引进5亿元以上项目", "7", "个")


def test_relative_dates_resolve_against_the_document_date():
    item = one("明年一季度新增专精特新中小企业1家。", dt.date(2025, 11, 30))
    assert (item.period, item.deadline) == ("2026年第1季度", "2026-03-31")
    task = draft("对已签约未开工的项目进行逐个梳理，年底前全部开工。", DAY).tasks[0]
    assert task.deadline == "2026-12-31"
    task = draft("县人社局要牵好头，多形式开展招聘活动，6月底前完成。", DAY).tasks[0]
    assert task.deadline == "2026-06-30"


def test_plan_year_from_the_title():
    item = one("2026年工作要点\n规上工业企业达到96户。", dt.date(2025, 12, 28))
    assert item.deadline == "2026-12-31"


def test_responsible_units_and_leader():
    item = one("新增规上工业企业13户（牵头单位：县经信局；配合单位：县统计局、县税务局；责任领导：李四）。")
    assert item.lead_units == ["县经信局"]
    assert item.supporting_units == ["县统计局", "县税务局"]
    assert item.leader == "李四"
    by = draft("由县发改局负责，加快推进重大项目前期工作。", DAY).tasks[0]
    assert by.lead_units == ["县发改局"]
    subject = draft("县人社局要牵好头，多形式开展招聘活动。", DAY).tasks[0]
    assert subject.lead_units == ["县人社局"]


def test_placeholder_unit_names():
    task = draft("XX州经信局要加快推进技改项目。", DAY).tasks[0]
    assert task.lead_units == ["XX州经信局"]


def test_scope_park():
    assert one("园区规上工业企业达到96户。").scope == "园区"
    assert one("全县规上工业企业达到120户。").scope == "全县"


def test_note_on_its_own_line_applies_to_the_item():
    text = "1.加快项目建设，年底前开工项目20个。\n（责任单位：县发改局）"
    item = one(text)
    assert item.lead_units == ["县发改局"]


def test_past_reporting_is_no_task():
    assert draft("去年我们开展了招商引资活动。", DAY).tasks == []


def test_every_quote_is_an_exact_substring():
    text = "今年力争完成工业投资５１亿元，\n规上工业总产值突破230亿元；县经信局要加快推进技改。"
    result = draft(text, DAY)
    for item in [*result.targets, *result.tasks]:
        assert item.quote and item.quote in text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1-3月，全县规上工业增加值增长9.5%，完成工业投资12亿元。", DAY),
        ("前三季度，全县实现规上工业总产值180亿元。", DAY),
        ("上半年，全县规上工业总产值增长7%。", dt.date(2026, 7, 15)),
        ("2024年，预计全县地区生产总值增长6%。", dt.date(2025, 1, 15)),
        ("2024年，全县粮食产量达到5.2亿斤。", dt.date(2025, 1, 15)),
        ("全县工业税收完成1.96亿元，同比增长31.7%。", DAY),
        ("1-8月，全市规模以上工业实现增加值86亿元。", DAY),
        ("增速连续8个月排位全省第1位。", DAY),
        ("1-8月，规上工业增加值86亿元，同比增长30.2%；实现工业总产值296.6亿元。", DAY),
        ("预计全年工业产值有望突破700亿元，近三年每年增长超过100亿元。", DAY),
        ("目前已建立40家企业的培育库，并新增1家企业上规纳统。", DAY),
    ],
)
def test_results_and_forecasts_stay_out_of_targets(text, day):
    assert targets(text, day) == []


def test_a_coming_period_opening_a_sentence_is_still_a_target():
    item = one("上半年，规上工业总产值增长7%。", dt.date(2026, 2, 20))
    assert (item.value, item.unit) == ("7", "%")


def test_bracketed_annual_target_beside_an_actual():
    text = "1-5月，全区外贸进出口总额为13亿元，同比增长0.5%，完成年任务（40.2亿元）的32.5%。"
    item = one(text)
    assert (item.metric, item.value, item.unit, item.comparator) == ("外贸进出口总额", "40.2", "亿元", "≥")
    assert item.quote == text.rstrip("。")


def test_headings_set_the_reading_of_their_section():
    text = (
        "一、2025年工作回顾\n全县规上工业增加值增长8%，新增规上企业12家，工业投资45亿元。\n"
        "二、2026年工作安排\n规上工业增加值增长9%，工业投资50亿元。\n"
    )
    assert [(t.value, t.unit) for t in targets(text)] == [("9", "%"), ("50", "亿元")]


def test_a_list_after_a_semicolon_keeps_its_opening_reading():
    text = "2026年目标任务是：规上工业增加值达到10.86亿元，预计比上年增长24.8%；规上企业营收达到45亿元。"
    assert [t.value for t in targets(text)] == ["10.86", "45"]


def test_units_per_mille_and_jin():
    assert (one("人口自然增长率控制在3‰以内。").unit, one("人口自然增长率控制在3‰以内。").comparator) == (
        "‰",
        "≤",
    )
    item = one("粮食产量稳定在5.2亿斤以上。")
    assert (item.value, item.unit) == ("5.2", "亿斤")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年内开工建设总投资2146亿元的429个重点项目。", [("429", "个")]),
        ("1100亩泉商产业园力争9月底前完成征地。", []),
        ("连续实施县领导挂点帮扶32个重点工业企业。", []),
        ("力争引进12个亿元以上项目。", [("12", "个")]),
        ("确保年底前签约一批、开工一批工业项目。", []),
        ("确保实现“两个高于、两个缩小”目标。", []),
        ("力争3个月内完成征地。", []),
    ],
)
def test_figures_that_only_describe_a_noun_or_a_slogan(text, expected):
    assert [(t.value, t.unit) for t in targets(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "地区生产总值预计实现1900亿元，完成全年总量目标的107%，高于全年增速目标7.5个百分点。",
        "新增规模工业企业17家、净增14家，规模工业增加值增长8.5%，实现了预期目标。",
        "11个市定重点工业项目完成投资23.3亿元，占年计划的127.6%。",
    ],
)
def test_a_target_reported_on_is_no_target(text):
    assert targets(text) == []


def test_a_place_in_a_ranking_is_no_count():
    found = targets("确保园区综合排名进入全省前20名，力争新增规模工业企业25家。")
    assert [(t.value, t.unit) for t in found] == [("25", "家")]
    assert targets("力争规上工业增加值增速位列全市第3名。") == []


def test_a_paragraph_opened_by_a_past_year_reports_results_throughout():
    text = (
        "2023年，全县规模工业增加值增速为11.7%，排全市第二。新增高新技术企业14家。\n"
        "2024年，新增规上工业企业20家。"
    )
    assert [(t.value, t.unit) for t in targets(text, dt.date(2024, 4, 3))] == [("20", "家")]
    # A sentence opening with the year still to come ends the report within the paragraph too.
    same = "2023年，全县新增规上企业12家。2024年，新增规上工业企业20家。"
    assert [(t.value, t.unit) for t in targets(same, dt.date(2024, 4, 3))] == [("20", "家")]


def test_a_heading_naming_a_past_year_heads_a_report():
    text = "一、2022年工作成效\n成功培育省级“小巨人”企业3家；新增规模工业企业17家。"
    assert targets(text, dt.date(2023, 2, 20)) == []
    assert targets("一、2022年工作\n新增规模工业企业17家。", dt.date(2023, 2, 20)) == []
    plan = "一、2023年工作\n新增规模工业企业20家。"
    assert [t.value for t in targets(plan, dt.date(2023, 2, 20))] == ["20"]


def test_funds_obtained_are_no_aim():
    past = (
        "一、2022年工作成效\n为企业争取省级特色产业集群、制造强省等项目资金1.47亿元，实现历史突破；"
        "落实处理各类问题298个。"
    )
    assert targets(past, dt.date(2023, 2, 20)) == []
    plan = "二、2023年工作计划\n争取上级项目资金5亿元。"
    assert [t.value for t in targets(plan, dt.date(2023, 2, 20))] == ["5"]


def test_list_items_after_a_target_read_without_a_marker():
    text = "工业工作，全县规模工业总产值达到240亿元；新进规模工业企业12户；工业税收2.2亿元。"
    assert [(t.value, t.unit) for t in targets(text, dt.date(2018, 1, 8))] == [
        ("240", "亿元"),
        ("12", "户"),
        ("2.2", "亿元"),
    ]


def test_square_kilometres_and_incubated_firms():
    item = one("争取新增6.22平方公里建设用地指标。")
    assert (item.value, item.unit) == ("6.22", "平方公里")
    assert one("力争重点孵化20个科技型小微企业。").value == "20"


def test_a_numbered_heading_with_commas_sets_its_section():
    text = (
        "一、认真总结成绩，准确把握态势，始终保持加快发展的劲头\n"
        "“八个增长”：国内生产总值19.5亿元，增长15.6%；固定资产投资33.6亿元，增长55%。\n"
        "二是工业发展取得新突破。石油产能突破35万吨。"
    )
    assert targets(text, dt.date(2010, 1, 20)) == []
    plan = "二、明确目标任务，狠抓工作落实\n规上工业增加值增长9%，新增规上企业15家。"
    assert [t.value for t in targets(plan)] == ["9", "15"]


def test_a_paragraph_opened_by_a_report_reports_throughout():
    text = (
        "20xx年，全县上下克难攻坚，保持了经济持续增长。粮食产量达到53.85亿斤，比上年增长12.5%；"
        "小型加工业专业户发展到7013户，新增2047户。"
    )
    assert targets(text) == []
    assert [t.value for t in targets("今年以来全县保持了良好势头。力争新增规上企业15家。")] == ["15"]
    # Under a plan's heading, a look back opening a paragraph leaves the rest of it a plan.
    plan = "二、2026年工作安排\n全县保持了良好势头。新增规上企业15家。"
    assert [t.value for t in targets(plan)] == ["15"]


def test_a_size_something_grows_into_is_a_target():
    item = one("力争到2025年将PCB产业发展成为五百亿级产业。")
    assert (item.value, item.unit) == ("500", "亿")
    # The size of the firms counted is no target of its own.
    assert [(t.value, t.unit) for t in targets("力争培育产值过100亿级企业5个以上。")] == [("5", "个")]


def test_a_place_in_a_ranking_makes_a_sentence_a_result():
    text = "新增省专精特新中小企业16家，全市第1；新增“四上”单位42家，新增市场主体6241家。"
    assert targets(text, dt.date(2024, 12, 25)) == []
    assert targets("全年地区生产总值增长1.2%，中部百强县排名再进位，居53位。") == []
    # A place set as an aim, or a rank of no number, leaves the sentence a target.
    assert [t.value for t in targets("力争新增规上企业15家，增速进入全市第一方阵。")] == ["15"]
    assert [t.value for t in targets("规上工业增加值增长9%，争创全省一流园区。")] == ["9"]


def test_what_a_park_has_now_and_taxes_paid_are_results():
    text = "园区现拥有“一主一特”企业42家，产值占园区总产值70%以上，规模工业企业实缴税收1.2亿元。"
    assert targets(text) == []


def test_a_paragraph_announcing_the_work_below_heads_a_plan():
    text = (
        "确保全市“十四五”开好局、起好步。2021年重点做好以下工作。\n"
        "一、全面推进乡村振兴战略\n"
        "新建标准化基地5万亩，改造老基地10万亩。"
    )
    assert [(t.value, t.unit) for t in targets(text, dt.date(2021, 3, 29))] == [("5", "万亩"), ("10", "万亩")]


def test_a_hundred_million_before_a_measure_word_is_no_money():
    # 亿 and the measure word make one unit: the figure is a quantity of goods, never 1.8亿 of money.
    assert [t.unit for t in targets("力争食用菌达到1.8亿棒，培育龙头企业3家。")] == ["亿棒", "家"]


@pytest.mark.parametrize(
    "text",
    [
        "全年工业产值有望突破700亿元。",
        "五年来，全县新增规上工业企业120家。",
        "近三年每年新增规上企业超过20家。",
        "全县共有规上工业企业120家，其中新增15家。",
        "园区拥有高新技术企业30家，其中新增5家。",
        "签约项目13个，计划投资9.48亿元。",
        "引进总投资21.18亿元的新型锂盐项目。",
    ],
)
def test_forecasts_stocks_years_past_and_project_sizes_are_no_targets(text):
    assert targets(text) == []


def test_a_years_planned_investment_and_an_investment_target_stay_targets():
    assert [t.value for t in targets("年度计划投资80亿元。")] == ["80"]
    assert [t.value for t in targets("力争完成工业投资51亿元。")] == ["51"]


def test_a_first_reached_is_news_of_a_result():
    assert targets("锦屏县工业总产值首次突破10亿元\n今年以来，全县工业经济实现持续快速增长。") == []
    assert [t.value for t in targets("力争工业总产值首次突破100亿元。")] == ["100"]


def test_a_years_plan_quoted_inline_beside_an_actual():
    text = "元至6月，我市完成全社会固定资产投资68585万元，同比增长44.7%，占年度计划15.3亿元的44.8%。"
    item = one(text)
    assert (item.value, item.unit) == ("15.3", "亿元")
    assert item.metric.endswith("固定资产投资") and not item.metric.startswith("我市")
    assert targets("元至6月，新增规上工业企业5家。") == []


@pytest.mark.parametrize(
    ("text", "unit", "comparator"),
    [
        ("力争培训产业工人5000人次。", "人次", "≥"),
        ("全年培训农民工1.2万人次。", "万人次", "≥"),
        ("能源消费总量控制在50万吨标准煤以内。", "万吨标准煤", "≤"),
        ("新增工业用地50公顷。", "公顷", "≥"),
        ("新增天然气供应量3000万立方米。", "万立方米", "≥"),
    ],
)
def test_units_as_written(text, unit, comparator):
    item = one(text)
    assert (item.unit, item.comparator) == (unit, comparator)


def test_bullet_lines_are_paragraphs_and_a_results_heading_heads_them():
    text = (
        "■ 2024年成绩单\n●规上工业增加值、固定资产投资增速均高于全国平均水平\n●粮食总产达到557亿斤\n"
        "■ 2025年经济社会发展的主要预期目标\n●经济增长6%左右\n●城镇新增就业70万人以上"
    )
    assert [(t.value, t.unit) for t in targets(text, dt.date(2025, 1, 17))] == [("6", "%"), ("70", "万人")]


@pytest.mark.parametrize("opening", ["今年上半年", "今年1-6月", "本年一季度"])
def test_a_period_of_this_year_already_over_opens_a_report(opening):
    text = f"{opening}，我市完成规模工业总产值923.7亿元，增长5.6%；完成规模工业增加值209.6亿元，增长6.0%。"
    assert targets(text, dt.date(2016, 7, 25)) == []


def test_a_heading_announcing_what_was_done_heads_a_report():
    text = (
        "一年来，我们主要做了以下六个方面工作：\n一、全力以赴稳增长、促发展，经济质量稳步提升\n"
        "工业园区完成基础设施投资3亿元，建成标准厂房30万平方米。"
    )
    assert targets(text, dt.date(2018, 12, 22)) == []
    plan = "2019年，我们将重点做好以下工作：\n工业园区完成基础设施投资3亿元，建成标准厂房30万平方米。"
    assert [t.value for t in targets(plan, dt.date(2018, 12, 22))] == ["3", "30"]


def test_an_area_naming_the_building_after_it_is_no_target():
    assert targets("家居产业园60万平方米标房入驻46家企业陆续投产。") == []
    assert [t.value for t in targets("力争新建标准厂房20万平方米。")] == ["20"]


def test_a_document_that_never_looks_ahead_reports_results():
    review = (
        "产业兴则经济兴。全县围绕主导产业全面推进精准招商，新引进亿元项目18个，新开工项目6个。"
        "新增省专精特新中小企业16家，全市第1。"
    )
    assert targets(review, dt.date(2024, 12, 25)) == []
    # Without any result in it, an unmarked figure is still read as a target.
    assert [t.value for t in targets("新引进亿元项目18个，新开工项目6个。")] == ["18", "6"]


def test_a_clause_opened_by_a_period_over_reports_what_follows():
    text = (
        "在经济下行压力加大的情况下，上半年我市工业经济仍然保持平稳发展态势：全部工业增加值实现89.58亿元，"
        "增长22.5%；规模以上工业增加值85亿元，增长20.2%。"
    )
    assert targets(text, dt.date(2012, 7, 24)) == []
    plan = "在经济下行压力加大的情况下，上半年全市规上工业增加值实现增长8%。"
    assert [t.value for t in targets(plan, dt.date(2012, 1, 10))] == ["8"]


def test_bracketed_headings_are_paragraphs_of_their_own():
    text = (
        "【强力推进创新驱动，动能转换迈出新步伐】\n科技园成功运营，新增院士工作站2家。\n【持续扩大有效投资】"
    )
    assert prepare(text).clean.split("\n") == [
        "【强力推进创新驱动，动能转换迈出新步伐】",
        "科技园成功运营，新增院士工作站2家。",
        "【持续扩大有效投资】",
    ]


def test_a_report_that_never_looks_ahead_reads_new_items_as_results():
    text = (
        "科技园成功运营，新增院士工作站2家、省级备案众创空间5家；预计高新技术产业增加值增长15%。"
        "新引进亿元以上项目241个。地表水断面监测100%达标，完成省政府年度考核目标。"
    )
    assert targets(text, dt.date(2019, 4, 10)) == []
    assert [t.value for t in targets("将新增院士工作站2家。", dt.date(2019, 4, 10))] == ["2"]


def test_a_range_of_past_years_opens_a_report():
    text = (
        "铜鼓县工业经济发展规划（2021-2025年）\n"
        "2014-2019年，全县工业完成增加值年平均增长6.5%。规模以上工业企业达到38家。"
    )
    assert targets(text, dt.date(2021, 6, 1)) == []
    plan = "铜鼓县工业经济发展规划（2021-2025年）\n2021-2025年，全县工业增加值年平均增长8%。"
    assert [t.value for t in targets(plan, dt.date(2021, 6, 1))] == ["8"]


def test_an_about_closing_a_shared_list_applies_to_each_figure():
    found = targets("城乡居民人均可支配收入分别增长7%、8%左右。")
    assert [(t.value, t.comparator) for t in found] == [("7", "≈"), ("8", "≈")]
    found = targets("城乡居民人均可支配收入分别增长7%、8%。")
    assert [(t.value, t.comparator) for t in found] == [("7", "≥"), ("8", "≥")]


def test_the_average_of_other_places_is_no_target():
    text = (
        "规模以上工业增加值：增长8%（依据区人代会目标设置，高于省、市7.5%平均水平）；"
        "人均社会消费品零售总额3.84万元（高于省3.3万、市2.5万平均水平，居三区第一）。"
    )
    assert [t.value for t in targets(text, dt.date(2023, 3, 1))] == ["8", "3.84"]


def test_a_review_that_met_the_targets_set_by_the_congress_reports_throughout():
    text = (
        "较好地完成了县十七届人大三次会议确定的目标任务，全县规模以上工业增加值同比增长8.5%。\n"
        "工业经济稳中有进。引进亿元以上项目18个，建成投产项目10个。"
    )
    assert targets(text, dt.date(2020, 1, 10)) == []


def test_an_outside_forecast_is_no_target():
    text = (
        "一、2018年经济社会发展的总体思路和预期目标 （一）发展环境 从宏观环境看，美联储宣布再次加息，"
        "国际货币基金组织（IMF）调高全球经济2018年增速至3.7%，表明世界经济复苏的动力仍然强劲。"
    )
    assert targets(text, dt.date(2018, 2, 13)) == []


def test_sets_of_housing_are_counted():
    assert (one("力争城镇棚户区住房改造13万套。").unit, one("确保新建保障性住房800套。").unit) == (
        "万套",
        "套",
    )


def test_pace_behind_or_ahead_of_a_target_is_a_report():
    text = "1-10月，全市150个重点项目完成投资199亿元，占年度投资计划的75%，欠目标进度8.3个百分点。"
    assert targets(text, dt.date(2019, 11, 20)) == []


def test_projects_named_by_what_is_sought_for_them_are_a_category():
    text = "35个争取开工项目中15个项目已开工建设，完成投资7.2亿元。"
    assert targets(text, dt.date(2019, 11, 20)) == []
    assert [t.value for t in targets("争取开工项目15个。", dt.date(2019, 1, 20))] == ["15"]


def test_a_progress_heading_heads_a_report_and_the_requirements_a_plan():
    text = (
        "一、项目推进情况\n2020年已下达中央预算内项目20项，开工7项。\n二、工作要求\n"
        "确保8月底前全部开工，且中央预算内投资完成率达50%以上。"
    )
    assert [t.value for t in targets(text, dt.date(2020, 8, 13))] == ["50"]


def test_metres_and_about():
    item = one("力争硬化道路约9150米。")
    assert (item.value, item.unit, item.comparator) == ("9150", "米", "≈")


def test_projects_already_signed_but_not_started_are_still_a_task():
    found = draft("对已签约未开工的项目进行逐个梳理。", DAY)
    assert [t.action for t in found.tasks] == ["对已签约未开工的项目进行逐个梳理"]


def test_sizes_listed_before_the_projects_they_describe_are_no_targets():
    text = "每个县（市、区）力争引进1-2个过50亿元、过100亿元项目。"
    assert [(t.value, t.unit) for t in targets(text)] == [("1", "个")]


def test_the_investment_a_project_is_built_with_is_no_target():
    text = (
        "基建项目上档升级。引进省港航公司投资13.6亿元兴建金溪航电枢纽工程；"
        "引进成都天彩集团投资8000万实施南渠路改造。"
    )
    assert targets(text) == []


def test_a_heading_saying_the_aims_were_clear_heads_no_plan():
    text = "二、招引目标明确，重点突出\n今年到位资金3.07亿元。"
    assert targets(text, dt.date(2012, 12, 1)) == []


def test_a_task_set_from_above_quoted_beside_what_was_done():
    text = "完成市下达任务100亿的100.2%；签约项目58个，提前完成区200亿招商引资任务。"
    assert [(t.value, t.unit) for t in targets(text, dt.date(2024, 1, 15))] == [("100", "亿"), ("200", "亿")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("力争实际利用外资4.9亿美元。", "4.9", "亿美元"),
        ("力争外贸出口5000万美元。", "5000", "万美元"),
        ("农村居民人均可支配收入达到23000元。", "23000", "元"),
        ("力争工业投资51亿元。", "51", "亿元"),
    ],
)
def test_dollars_and_yuan_as_written(text, value, unit):
    item = one(text)
    assert (item.value, item.unit) == (value, unit)


def test_ten_thousand_hundred_millions_are_one_unit():
    assert one("粮食产量保持在1.3万亿斤以上。").unit == "万亿斤"
    assert one("力争数字经济规模达到2万亿元。").unit == "万亿元"


def test_a_report_within_a_paragraph_reports_the_rest_of_it():
    text = (
        "会上印发了20个重点产业行动计划的进展通报。\n"
        "“稳中有升”是指运行质量稳中有升。全市规模以上工业企业实现增加值404.6亿元，增长15.5%，"
        "位居全省第8位。规模以上企业实现主营业务收入1544.3亿元，增长27.8%。"
    )
    assert targets(text, dt.date(2011, 7, 20)) == []


def test_having_to_see_clearly_is_no_look_ahead():
    text = "不过我们也要清醒看到，部分指标还存在短板，比如高技术产业投资占比低于全市平均水平2.3个百分点。"
    assert targets(text, dt.date(2022, 9, 15)) == []


def test_a_comparison_with_last_year_is_no_result():
    # "与上年持平" compares with last year; the figures after it still belong to the year's targets.
    found = targets(
        "今年主要预期目标是：生产总值增长6%左右，财政收入与上年持平，失业率分别为4.5%左右和4%左右。"
    )
    assert sorted(float(t.value) for t in found) == [4.0, 4.5, 6.0]


def test_a_heading_ending_in_a_report_heads_a_report():
    # "计划执行情况" is a report on the plan, whatever the plan word before it.
    text = (
        "一、2025年计划执行情况\n预计全年新增规上企业50户。工业投资、技改投资分别增长12%、30%。"
        "新建基站150座。"
    )
    assert targets(text, dt.date(2025, 12, 20)) == []


def test_a_heading_keeps_its_bracketed_count():
    # "（9项）" counts the items of the list; the heading still makes what follows targets.
    text = "一、主要预期目标（9项）\n1 工业投资增长9%以上。\n2 高新产业占比达45%。\n3 固定资产投资300亿元。"
    found = targets(text)
    assert sorted(float(t.value) for t in found) == [9.0, 45.0, 300.0]


def test_spaces_of_a_conversion_between_characters_are_dropped():
    # "同 比" of a PDF conversion is 同比; "比增" is the growth over last year of a result.
    assert targets("要看到，全县生产总值96.3亿元，同 比增长4%。") == []
    assert targets("要看到，全县工业增加值9.1亿元，比增6.2%。") == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("到2030年，全市工业产值突破2万亿。", "2", "万亿", ">"),
        ("到2030年，工业税收翻一番、过300亿元。", "300", "亿元", ">"),
        ("到2030年，PM2.5浓度30微克/立方米。", "30", "微克/立方米", "≤"),
    ],
)
def test_units_and_comparators_of_plans(text, value, unit, comparator):
    found = [t for t in targets(text) if t.unit == unit]
    assert len(found) == 1
    assert (found[0].value, found[0].comparator) == (value, comparator)


def test_a_task_from_above_in_brackets_beside_a_forecast():
    text = (
        "1-10月份，主营业务收入完成280亿元，预计全年完成320亿元（市下达任务300亿元）。"
        "预计全年工业投资增长20%（年度增长计划为9.5%）。"
    )
    found = targets(text, dt.date(2025, 12, 10))
    assert sorted((float(t.value), t.unit) for t in found) == [(9.5, "%"), (300.0, "亿元")]


def test_the_list_of_targets_goes_on_after_a_full_stop():
    text = (
        "报告提出了2026年指标安排：生产总值增长6%；一般公共预算收入增长5%。"
        "生态指标方面，单位GDP能耗下降3%；空气优良率达85%。"
    )
    found = targets(text, dt.date(2026, 1, 10))
    assert sorted(float(t.value) for t in found) == [3.0, 5.0, 6.0, 85.0]


def test_a_quoted_review_opened_by_a_past_year_reports():
    text = "“2024年，全县经济稳中向好。节假日游客数增长120%，文旅火爆出圈。”记者专访了县长。"
    assert targets(text, dt.date(2025, 1, 15)) == []


def test_the_total_investment_of_the_projects_counted_before_it_describes_them():
    found = targets("力争谋划实施城市更新项目80个以上，总投资300亿元以上。")
    assert [(t.value, t.unit) for t in found] == [("80", "个")]


@pytest.mark.parametrize(
    "text",
    [
        "要加快推进9公顷工业用地报批，启动东侧300亩地块征地拆迁工作。",
        "要推进年产20万吨液压件项目和年产8万方构件项目建设。",
    ],
)
def test_the_size_of_land_or_a_plant_a_task_acts_on_is_no_target(text):
    assert targets(text) == []


def test_a_quarter_over_opening_a_sentence_reports_on_it():
    text = "二季度参加开工动员项目6个，总投资50.2亿元。"
    assert targets(text, dt.date(2025, 9, 20)) == []
    # Before the quarter is over, the same words set a count.
    assert [t.value for t in targets(text, dt.date(2025, 3, 1))] == ["6"]


def test_the_end_of_a_five_year_plan_looks_ahead_and_its_cumulative_total_is_a_target():
    text = "规划显示，到“十四五”末，全州规模以上工业企业突破800户，工业累计投资在2600亿元以上。"
    found = targets(text, dt.date(2022, 6, 1))
    assert [(t.value, t.unit, t.comparator) for t in found] == [("800", "户", ">"), ("2600", "亿元", "≥")]
    # A total already reached is still a result.
    assert targets("2021年，全州工业累计投资完成560亿元。", dt.date(2022, 6, 1)) == []


def test_the_size_class_of_a_park_is_no_target_and_a_list_of_counts_shares_its_verb():
    text = "力争千亿元园区、500亿元园区、100亿元园区分别达到3个、4个和44个。"
    assert [(t.value, t.unit) for t in targets(text)] == [("3", "个"), ("4", "个"), ("44", "个")]
    text = "力争建成1个四百亿级园区，2个三百亿级园区，3个百亿级园区。"
    assert [(t.value, t.unit) for t in targets(text)] == [("1", "个"), ("2", "个"), ("3", "个")]


def test_hundred_million_tons_is_a_unit():
    assert one("力争煤炭产量达到12.2亿吨。").unit == "亿吨"


def test_growth_on_the_year_under_an_expected_targets_heading_is_a_target():
    # Under a heading of targets, "同比" names the base of a growth to come, not a result.
    text = (
        "二、经济社会发展预期目标\n"
        "地区生产总值同比增长 6.5%以上，规模以上工业增加值同比增长 19%以上，"
        "城乡居民人均可支配收入分别增长5.2%和 6.5%。"
    )
    found = targets(text, dt.date(2025, 4, 29))
    assert sorted(t.value for t in found) == ["19", "5.2", "6.5", "6.5"]
    assert {t.comparator for t in found} == {"≥"}
    # The same sentence with no heading over it, in a review, still reports.
    review = "一、2024年工作回顾\n地区生产总值同比增长6.5%，规模以上工业增加值同比增长19%。"
    assert targets(review, dt.date(2025, 4, 29)) == []


def test_count_of_projects_after_their_investment_and_names():
    # The names of the projects stand between the verb that sets their count and the count.
    text = (
        "签约一批。签约总投资80亿元的金风集团绿色新材料、维尔利集团焦炉煤气综合利用等12个项目。"
        "谋划一批。积极谋划总投资100亿元的焦化苯、水溶肥、永磁材料等16个重点项目。"
    )
    found = targets(text, dt.date(2021, 4, 23))
    assert sorted((t.value, t.unit) for t in found) == [("12", "个"), ("16", "个")]
    # A count of works listed the same way is no count of projects.
    assert targets("会议对推动县域特色产业集群等3项工作进行了重点强调。", dt.date(2025, 2, 21)) == []


@pytest.mark.parametrize(
    "text",
    [
        "规模工业增加值完成10764万元，占任务数16900万元的63.7%。",
        "1-10月份完成规模工业增加值10764万元，占任务数16900万元的63.7%，同比下降15.38%。",
    ],
)
def test_task_quoted_as_a_share_of_its_figure_is_the_years_target(text):
    # "占任务数16900万元的63.7%": the year's task is a target; what was done and the share are not.
    found = targets(text, dt.date(2020, 11, 20))
    assert [(t.value, t.unit, t.comparator) for t in found] == [("16900", "万元", "≥")]


def test_share_of_an_unnamed_task_reports():
    assert targets("完成研发经费811万元，占任务数的81.1%。", dt.date(2020, 11, 20)) == []


def test_a_review_opened_by_the_recent_years_proposes_nothing():
    # A speech that also speaks of the year's targets reviews what was done since "近年来".
    text = (
        "会议研究部署下阶段重点工作，全力以赴确保实现全年工业经济目标任务。\n"
        "县长在致辞中说，会议必将起到很好的推动作用。近年来，我县高度重视发展工业经济。"
        "围绕三大主导产业，成立了三个常设办公室，三大主导产业对全县工业产值贡献率超过90%。"
        "园区固定资产投资连续3年超过10亿元，入园企业总数达到93家，其中规模以上工业企业33家。"
    )
    assert targets(text, dt.date(2016, 9, 6)) == []


def test_a_year_gone_by_after_to_is_no_horizon():
    # "到2015年" in a 2016 speech names a year already over.
    text = "在工业园区的示范带动下，全县工业经济加快发展，到2015年，全县规模以上工业总产值达到28.8亿元。"
    assert targets(text, dt.date(2016, 9, 6)) == []
    assert one("到2028年，全县规模以上工业总产值达到50亿元。", dt.date(2026, 2, 20)).value == "50"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A class of enterprises in quotation marks after the year the count is set for.
        ("力争实现全年17家“四上”企业成功入库。", [("17", "家")]),
        # Batches group the projects counted after them.
        ("计划完成总投资107.39亿元的3批次22个重点项目开工建设。", [("22", "个")]),
        # "形成" sets a count, and a second count joined by 和 follows it.
        ("到2028年，培育形成2个千亿级产业集群和6个五百亿级产业集群。", [("2", "个"), ("6", "个")]),
    ],
)
def test_counts_set_by_a_verb_across_a_year_batches_or_formed(text, expected):
    found = targets(text, dt.date(2025, 3, 1))
    assert sorted((t.value, t.unit) for t in found) == expected


def test_margin_over_a_target_and_its_progress_report():
    # A county's half-year report: the margin over its target, its progress against targets, and
    # the national, provincial and city rates it is compared with set nothing.
    text = (
        "1-6月全县规模以上工业增加值增速17.5%，居全市第二，超确保目标9个百分点，"
        "远远高于全国、全省、全市水平（全国6.3%、四川省8.1%、眉山市13.0%）。"
        "工业固定资产投资完成16.9亿元，居全市第三，目标完成进度73.3%。"
    )
    assert targets(text, dt.date(2015, 8, 5)) == []


def test_a_year_reviewed_without_a_marker_goes_on_in_its_paragraph():
    # After a sentence reviewing 2024, "全年…达到127个" is one more result of that year.
    text = (
        "据报告，2024年扬州经济技术开发区，工业开票销售增长7%，固定资产投资增长15%。"
        "全年新签约亿元以上先进制造业项目达到127个，一批优质项目相继落地。"
    )
    assert targets(text, dt.date(2025, 1, 7)) == []
    # The same count in a paragraph about the coming year is a target.
    plan = "2025年，工业开票销售增长7%。全年新签约亿元以上先进制造业项目达到127个。"
    assert ("127", "个") in [(t.value, t.unit) for t in targets(plan, dt.date(2025, 1, 7))]


def test_a_news_lead_reports():
    # "突破" in a news lead is news of a result; the plan quoted further on is still read.
    text = (
        "本报讯 崇州经济开发区经省政府审批通过设立省级开发区；成都高新区销售收入突破600亿元……"
        "记者从昨日举行的全省产业园区工作会议上获悉，全省产业园区建设发展进入一个新阶段。\n"
        "根据规划，力争到“十二五”末，全省开发区工业增加值达到5300亿元。"
    )
    assert [(t.value, t.unit) for t in targets(text, dt.date(2010, 7, 29))] == [("5300", "亿元")]


def test_size_of_growth_points_is_no_target():
    # "2000万以上增长点" sizes the enterprises expected to add output, as "亿元以上项目" sizes projects.
    found = targets("建立重大增长点台账，推动20家2000万以上增长点支撑发力。", dt.date(2025, 3, 19))
    assert ("2000", "万") not in [(t.value, t.unit) for t in found]


def test_a_hundred_yi_without_a_digit_ends_a_target():
    found = one("我们提出2022年武宣要力争实现工业园区过百亿。", dt.date(2022, 1, 20))
    assert (found.value, found.unit, found.comparator) == ("100", "亿", ">")
    # A size class of parks is no figure.
    assert targets("武宣县在工业振兴方面也将围绕百亿园区进行建设。", dt.date(2022, 1, 20)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The next item of a count list after the names of its items and 等.
        (
            "到2025年，培育形成临港装备1个五百亿级产业集群，汽模配、纺织服装、功能材料等5个百亿级产业集群。",
            [("1", "个"), ("5", "个")],
        ),
        # Names joined by 、 without 等 between the verb and the count.
        ("到2026年，打造形成木业、食品、冶金、机械4个过千亿产业集群。", [("4", "个")]),
    ],
)
def test_counts_after_the_names_of_their_items(text, expected):
    found = targets(text, dt.date(2021, 6, 1))
    assert sorted((t.value, t.unit) for t in found) == expected


def test_size_class_of_counties_is_no_target():
    found = targets("2020年地区生产总值超100亿元县（市）力争达到25个。", dt.date(2020, 6, 12))
    assert [(t.value, t.unit) for t in found] == [("25", "个")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2010年，百分之八十以上的自然村用上自来水。", ("80", "%", "≥", "百分之八十以上")),
        ("力争城镇化率达到百分之三十五点五。", ("35.5", "%", "≥", "百分之三十五点五")),
    ],
)
def test_a_share_written_in_words(text, expected):
    found = one(text, dt.date(2006, 6, 1))
    value, unit, comparator, words = expected
    assert (found.value, found.unit, found.comparator) == (value, unit, comparator)
    # The quote keeps the words as written.
    assert words in found.quote and found.quote in text


def test_a_share_after_the_verb_that_opens_the_list():
    text = "抓好三个扶贫龙头企业，实现村村通标准柏油路，百分之八十以上的自然村用上自来水。"
    found = targets(text, dt.date(2006, 6, 1))
    assert [(t.value, t.unit, t.comparator) for t in found] == [("80", "%", "≥")]
    # Without a verb before it, the share is not read as set.
    assert targets("百分之八十以上的自然村用上自来水。", dt.date(2006, 6, 1)) == []


def test_levels_that_define_a_class_are_no_targets():
    text = "力争实现20%的村集体年收入超30万元，新增年收入超50万元的经济强村5个。"
    found = targets(text, dt.date(2024, 1, 20))
    assert sorted((t.value, t.unit) for t in found) == [("20", "%"), ("5", "个")]


def test_a_statistical_threshold_is_no_target():
    text = "今年，国家将规模以上工业企业由年销售收入500万元提高到2000万元后，力争实现工业增加值60亿元。"
    found = targets(text, dt.date(2011, 1, 6))
    assert [(t.value, t.unit) for t in found] == [("60", "亿元")]


def test_a_target_quoted_at_the_opening_of_a_report():
    text = (
        "中新网天津1月15日电 （记者）“到2027年工业总产值突破3万亿元，全国先进制造研发基地建设取得重大进展。”"
        "日前，市长在作政府工作报告时表示，未来五年将深入实施制造业立市战略。"
    )
    found = targets(text, dt.date(2023, 1, 15))
    assert [(t.value, t.unit, t.comparator) for t in found] == [("3", "万亿元", ">")]
    # A figure in a quotation closed within its clause is a slogan's.
    assert targets("到2027年，坚持“一年增长5%”不动摇，着力打造“三个强区”。", dt.date(2023, 1, 15)) == []


def test_a_review_after_who_speaks():
    text = (
        "报告强调，到2027年工业总产值突破3万亿元。\n"
        "市长表示，五年来，制造业立市战略深入实施，现代工业产业体系加快构建。产业链攻坚战成效显著，"
        "12条重点产业链带动作用持续显现。"
        "制造业增加值占全市地区生产总值的比重达到23%左右，高技术制造业增加值年均增长6%左右。"
    )
    assert [(t.value, t.unit) for t in targets(text, dt.date(2023, 1, 15))] == [("3", "万亿元")]
    # What is said after who says it still sets targets.
    found = targets("市长表示，到2027年，工业总产值突破3万亿元。", dt.date(2023, 1, 15))
    assert [(t.value, t.unit) for t in found] == [("3", "万亿元")]


def test_yi_or_wan_before_a_measure_word():
    text = (
        "2021年重点做好以下工作。\n"
        "（一）加快发展农业产业。完成粮食播种面积315万亩，总产16亿斤；食用菌1.8亿棒。"
    )
    found = targets(text, dt.date(2021, 3, 29))
    assert ("1.8", "亿棒") in [(t.value, t.unit) for t in found]
    # "50万平（方米）标房" is the size of what a task builds.
    text = "2022年，我们还要加快产业园50万平（方米）标房的建房。"
    assert targets(text, dt.date(2022, 1, 20)) == []


def test_a_plan_beaten_is_a_result():
    text = (
        "（二）项目工作成果丰硕。超额完成69个省市重点项目年度投资计划。\n"
        "2023年，力争完成省市重点项目投资60亿元。"
    )
    found = targets(text, dt.date(2023, 1, 12))
    assert [(t.value, t.unit) for t in found] == [("60", "亿元")]
    # Aiming to beat a plan still sets the figure.
    found = targets("2023年，力争超额完成重点项目投资80亿元。", dt.date(2023, 1, 12))
    assert [(t.value, t.unit) for t in found] == [("80", "亿元")]


def test_the_items_a_plan_is_broken_into_are_no_targets():
    text = (
        "二、2024年目标任务\n"
        "《分工方案》将《政府工作报告》分解为五个方面79项重点工作任务，每项工作均列出牵头单位。\n"
        "1.在“聚焦深化对外开放，着力打造重要桥头堡”方面（分解任务15项）。\n"
        "2.在“聚焦增强发展优势，着力做实项目投资”方面（分解任务9项）。\n"
        "3.力争新增规上工业企业15家，完成技改项目20项。"
    )
    found = targets(text, dt.date(2024, 2, 1))
    assert [(t.value, t.unit) for t in found] == [("15", "家"), ("20", "项")]


def test_a_size_class_to_grow_into_without_a_digit():
    text = "年底前，有色金属产业产值计划达到750亿元，2025年培育成千亿级产业。"
    found = targets(text, dt.date(2023, 1, 31))
    assert [(t.value, t.unit) for t in found] == [("750", "亿元"), ("1000", "亿")]
    found = targets("到2025年，医药、电子信息和新材料等新兴产业达到百亿级规模。", dt.date(2023, 1, 31))
    assert [(t.value, t.unit) for t in found] == [("100", "亿")]
    # A size class naming what a task works on is still no figure.
    assert targets("今年，赤峰市努力打造千亿级冶金产业。", dt.date(2023, 1, 31)) == []


def test_a_count_right_after_the_verb_that_sets_it():
    found = targets("今年，赤峰市重点打造一个千亿级产业园区，重点培育化工等新兴产业。", dt.date(2023, 1, 31))
    assert [(t.value, t.unit) for t in found] == [("1", "个")]


def test_a_projects_yearly_planned_investment_sets_nothing():
    text = "三季度参加开工动员项目2个，总投资7亿元，年度计划投资1.2亿元，截至目前已全部开工。"
    assert targets(text, dt.date(2025, 9, 20)) == []
    # The year's plan still sets a figure.
    found = targets("全年计划新开工项目20个。", dt.date(2025, 2, 20))
    assert [(t.value, t.unit) for t in found] == [("20", "个")]


def test_a_record_or_a_place_among_the_first_reports():
    text = (
        "宜昌全年新签约、新开工50亿元以上项目分别达50个、29个，新竣工亿元以上项目720个，均创历史新高。\n"
        "新增国家高速公路网规划里程505公里，居全国市州前列。\n"
        "2023年，力争装备制造业产值达1300亿元。"
    )
    found = targets(text, dt.date(2023, 1, 6))
    assert [(t.value, t.unit) for t in found] == [("1300", "亿元")]
    # Aiming to be among the first still sets the figure.
    found = targets("力争规上工业增加值增长10%，进入全省前列。", dt.date(2023, 1, 6))
    assert [(t.value, t.unit) for t in found] == [("10", "%")]


def test_months_gone_by_opening_a_sentence_report_on_them():
    text = (
        "今年以来，遵义市锚定工业发展目标。\n"
        "数据显示，1月至6月，遵义规模工业增加值增速9%。全市工业投资完成约223.6亿元。"
    )
    assert targets(text, dt.date(2023, 8, 13)) == []
    # What a later sentence of the paragraph aims at is still set.
    found = targets(text + "全年力争全市工业投资完成300亿元。", dt.date(2023, 8, 13))
    assert [(t.value, t.unit) for t in found] == [("300", "亿元")]


def test_the_average_of_the_places_above_and_the_margin_over_it_are_no_targets():
    text = (
        "省上明确今年全省经济增速平均要达到13%以上，特别强调两翼经济增速要高于全省平均水平4个百分点以上。"
        "按照省上要求，我市增速要达到17%以上。"
    )
    found = targets(text, dt.date(2023, 2, 1))
    assert [(t.value, t.unit) for t in found] == [("17", "%")]
    # A rise of the place's own share in points is still its target.
    found = targets("力争高新技术产业增加值占比提高2个百分点。", dt.date(2023, 2, 1))
    assert [(t.value, t.unit) for t in found] == [("2", "个百分点")]


def test_size_class_of_strong_counties_is_no_target():
    text = "县域工业提升：县域工业总量超过1000亿元，超400亿元工业强县1个，超100亿元工业强县3个。"
    found = targets(text, dt.date(2013, 8, 1))
    assert [(t.value, t.unit) for t in found] == [("1000", "亿元"), ("1", "个"), ("3", "个")]


def test_a_sentence_opened_by_ji_spells_out_the_aim_before_it():
    text = (
        "2015年，我市工业还将力争实现“六提升”。即强优企业提升：拥有千亿元企业2家，300亿元企业3家；"
        "工业招商提升：累计新增到位资金600亿元。"
    )
    found = targets(text, dt.date(2013, 8, 1))
    assert [(t.value, t.unit) for t in found] == [("2", "家"), ("3", "家"), ("600", "亿元")]
    # What a place has now is still no target.
    assert targets("目前，全市拥有千亿元企业1家。累计新增到位资金300亿元。", dt.date(2013, 8, 1)) == []


def test_the_next_count_of_a_list_a_verb_opened():
    found = targets("全年推动实施400个重点工业项目、150个技术改造项目。", dt.date(2022, 3, 1))
    assert [(t.value, t.unit) for t in found] == [("400", "个"), ("150", "个")]
    # A count after an action's own size is still not set.
    assert targets("全年挂点帮扶32个重点企业、15个园区。", dt.date(2022, 3, 1)) == []


def test_ten_thousand_yi_without_a_digit_a_city_grows_into():
    found = targets("柳州要在2025年成为万亿工业强市，时间紧、任务重。", dt.date(2021, 6, 1))
    assert [(t.value, t.unit) for t in found] == [("1", "万亿")]
    # Named as what a step prepares, not ending its clause, it sets nothing more.
    assert targets("为2025年建成万亿工业强市奠定坚实基础。", dt.date(2021, 6, 1)) == []
