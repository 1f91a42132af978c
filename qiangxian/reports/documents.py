"""The report files, written from the figures dict of ``selectors`` (never from the database).

Writing only from the stored figures means an archived report can be checked against the JSON
kept with it, and the one-source test can compare both with the dashboard.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from qiangxian.core import word
from qiangxian.core.formatting import MONEY_UNIT_LABELS, format_in_unit, money_unit, percent_number
from qiangxian.statistics.templatetags.stats import format_value, months_label

from . import charts, wording

HEADLINE = "gross_output"
RED_IN_MONTHLY = 10
CN_NUMBERS = "一二三四五六七八九十"


def _d(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def _month(figures) -> dt.date:
    return dt.date.fromisoformat(figures["meta"]["month"] + "-01")


def _shown(h: dict) -> str:
    """A headline's value as the dashboard shows it (亿元/万元, 万千瓦时)."""
    return format_value(_d(h["value"]), h["code"])


def _growth(h: dict) -> str:
    return wording.growth(_d(h["growth"]), flat="持平")


def _sign(ratio) -> int:
    """The sign of a ratio as the report rounds it (0.1 个百分点)."""
    number = percent_number(_d(ratio))
    return 0 if not number else (1 if number > 0 else -1)


def _short(text: str, limit: int = 60) -> str:
    if not text:
        return "—"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pct_cell(text) -> str:
    """A ratio as the table cell of the dashboard export: percent, one decimal, "—" when unknown."""
    number = percent_number(_d(text))
    return "—" if number is None else str(number)


def headline_sentence(figures) -> str:
    """The opening sentence: 1-5月，全县规上工业总产值25.05亿元，同比增长19.3%，增速较1-4月
    提高0.8个百分点，完成年度目标的41.2%，快于序时进度…"""
    month = _month(figures)
    meta = figures["meta"]
    head = next(h for h in figures["headlines"] if h["code"] == HEADLINE)
    parts = [
        f"{months_label(month)}，{meta['scope_label']}规上{head['name']}{_shown(head)}",
        f"同比{wording.growth(_d(head['growth']), up='增长', down='下降', flat='持平')}",
    ]
    if month.month > 1:
        trend = {row["month"]: row for row in figures["trend"]}
        before = trend.get(f"{month.year}-{month.month - 1:02d}")
        if before and before["growth"] is not None and head["growth"] is not None:
            change = wording.change_pp(_d(head["growth"]), _d(before["growth"]))
            label = months_label(dt.date(month.year, month.month - 1, 1))
            parts.append(f"增速与{label}{change}" if change == "持平" else f"增速较{label}{change}")
    if head["completion"] is not None:
        parts.append(f"完成年度目标的{wording.percent(_d(head['completion']))}")
        pace = wording.pace(_d(head["completion"]), _d(head["elapsed"]))
        if pace:
            parts.append(pace)
    return "，".join(parts) + "。"


def other_headlines_sentence(figures) -> str:
    bits = []
    for h in figures["headlines"]:
        if h["code"] in (HEADLINE, "electricity_kwh", "tax_paid") or h["value"] is None:
            continue
        bits.append(f"{h['name']}{_shown(h)}，同比{_growth(h)}")
    return ("其中，" + "；".join(bits) + "。") if bits else ""


def energy_tax_sentence(figures) -> str:
    """用电量和实缴税金对照产值: the same growth figures, compared in words."""
    by_code = {h["code"]: h for h in figures["headlines"]}
    head = by_code[HEADLINE]
    bits = []
    for code in ("electricity_kwh", "tax_paid"):
        h = by_code.get(code)
        if h is None or h["value"] is None:
            continue
        text = f"{h['name']}{_shown(h)}，同比{_growth(h)}"
        versus = wording.compare(
            _d(h["growth"]),
            _d(head["growth"]),
            a_name=h["name"][-3:] if code == "electricity_kwh" else "税金",
            b_name="产值",
        )
        bits.append(text + (f"，{versus}" if versus else ""))
    return ("；".join(bits) + "。") if bits else "本月暂无用电量、税金数据。"


def pull_sentence(items: list[dict], label: str, scope_label: str) -> str:
    """Names the largest pull up and the largest pull down among the groups."""
    ranked = [i for i in items if i["pull"] is not None]
    if not ranked:
        return ""
    top = max(ranked, key=lambda i: Decimal(i["pull"]))
    bottom = min(ranked, key=lambda i: Decimal(i["pull"]))
    text = f"分{label}看，{top['label']}{wording.pull(_d(top['pull']))}，拉动{scope_label}增长最多"
    if bottom is not top:
        word_ = "下拉最多" if Decimal(bottom["pull"]) < 0 else "拉动最少"
        text += f"；{bottom['label']}{wording.pull(_d(bottom['pull']))}，{word_}"
    return text + "。"


def _heading(document, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def _para(document, text: str) -> None:
    document.add_paragraph(text)


def _caption(document, text: str) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.keep_with_next = True  # a caption never ends a page apart from its table
    run = p.add_run(text)
    word.set_run_font(run, word.HEITI[0], 12)


def _picture(document, png: bytes, width_cm: float = 15.5) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0  # a fixed body spacing would clip the picture
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))


def _title_page(document, title: str, subtitle: str, issuer: str, when: str) -> None:
    for _ in range(6):
        document.add_paragraph()
    for text, size, font in ((title, 26, word.TITLE[0]), (subtitle, 16, word.FANGSONG[0])):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.space_after = Pt(18)
        word.set_run_font(p.add_run(text), font, size, bold=size > 20)
    for _ in range(8):
        document.add_paragraph()
    for text in (issuer, when):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        word.set_run_font(p.add_run(text), word.FANGSONG[0], 16)
    word.page_break_section(document)


def group_table(document, items: list[dict], label: str, months: str, basis: str) -> None:
    unit = money_unit(_d(i["value"]) for i in items)
    unit_label = MONEY_UNIT_LABELS[unit]
    rows = [
        [
            i["label"],
            format_in_unit(_d(i["value"]), unit),
            pct_cell(i["growth"]),
            pct_cell(i["share"]),
            pct_cell(i["pull"]),
        ]
        for i in items
    ]
    word.add_table(
        document,
        [label, f"{months}产值（{unit_label}）", f"增速（%，{basis}）", "占比（%）", "拉动（个百分点）"],
        rows,
        numeric_from=1,
        widths_cm=[4.6, 3.6, 3.2, 2.6, 3.2],
        size=10.5,
        fit_cm=word.TEXT_WIDTH_CM,
    )


def _section_no(n: int) -> str:
    return f"{CN_NUMBERS[n - 1]}、"


def monthly_docx(figures: dict, *, note: str = "", issuer: str = "") -> bytes:
    """The 月度工业经济运行分析 as a .docx."""
    month = _month(figures)
    meta = figures["meta"]
    months = months_label(month)
    basis = figures["basis_label"]
    document = word.government_document()
    title = f"{meta['scope_label']}{month.year}年{months}工业经济运行分析"
    as_of = meta.get("data_as_of")
    as_of_text = f"数据截至{as_of[:10].replace('-', '年', 1).replace('-', '月', 1)}日" if as_of else ""
    _title_page(document, title, f"（{months}）", issuer or meta["scope_label"], as_of_text)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    word.set_run_font(p.add_run(title), word.TITLE[0], 20)
    n = 0

    n += 1
    _heading(document, f"{_section_no(n)}总体运行情况")
    _para(document, headline_sentence(figures))
    other = other_headlines_sentence(figures)
    if other:
        _para(document, other)
    months_list = [f"{int(r['month'][5:])}月" for r in figures["trend"]]
    if months_list:
        amounts = [_d(r[k]) for r in figures["trend"] for k in ("month_value", "month_base") if r[k]]
        unit = money_unit(amounts)
        wan = Decimal(10000) if unit == "wan" else Decimal(100_000_000)
        _picture(
            document,
            charts.trend_chart(
                months_list,
                [float(_d(r["month_value"]) / wan) if r["month_value"] else None for r in figures["trend"]],
                [float(_d(r["month_base"]) / wan) if r["month_base"] else None for r in figures["trend"]],
                [float(percent_number(_d(r["growth"]))) if r["growth"] else None for r in figures["trend"]],
                unit=MONEY_UNIT_LABELS[unit],
            ),
        )
        _caption(document, f"图1  {meta['scope_label']}规上工业总产值月度走势")
    head_rows = []
    for h in figures["headlines"]:
        head_rows.append(
            [
                h["name"],
                format_value(_d(h["value"]), h["code"]),
                pct_cell(h["growth"]),
                pct_cell(h["completion"]) if h["completion"] else "—",
            ]
        )
    _caption(document, "表1  主要指标完成情况")
    word.add_table(
        document,
        ["指标", months, f"同比增速（%，{basis}）", "完成年度目标（%）"],
        head_rows,
        numeric_from=1,
        widths_cm=[4.4, 4.4, 4.2, 4.2],
        size=10.5,
        fit_cm=word.TEXT_WIDTH_CM,
    )

    n += 1
    _heading(document, f"{_section_no(n)}分产业集群、园区和乡镇运行情况")
    table_no = 1
    for kind, block in figures["breakdowns"].items():
        items = block["items"]
        if not items:
            continue
        _heading(document, f"（{CN_NUMBERS[table_no - 1]}）分{block['label']}", level=2)
        sentence = pull_sentence(items, block["label"], meta["scope_label"])
        if sentence:
            _para(document, sentence)
        table_no += 1
        _caption(document, f"表{table_no}  分{block['label']}规上工业总产值")
        group_table(document, items, block["label"], months, basis)
        pulled = [i for i in items if i["pull"] is not None][:12]
        if kind in ("town", "cluster") and pulled:
            _picture(
                document,
                charts.pull_chart(
                    [i["label"] for i in pulled],
                    [float(percent_number(_d(i["pull"]), 2)) for i in pulled],
                    title=f"分{block['label']}拉动",
                ),
                width_cm=14,
            )

    n += 1
    _heading(document, f"{_section_no(n)}重点企业运行情况")
    rankings = figures["rankings"]
    for key, lead, sign in (("top_pull", "拉动增长较多的企业", 1), ("bottom_pull", "下拉较多的企业", -1)):
        # Only those whose rounded pull has the lead's sign: "下拉" never names a firm that grew.
        rows = [r for r in rankings.get(key) or [] if _sign(r["pull"]) == sign][:5]
        if rows:
            names = "、".join(f"{r['name']}（{wording.pull(_d(r['pull']))}）" for r in rows)
            _para(document, f"{lead}：{names}。")
    if figures["new_entrants"]:
        names = "、".join(r["name"] for r in figures["new_entrants"][:8])
        _para(
            document,
            f"新投产企业{len(figures['new_entrants'])}户：{names}，{months}合计产值计入总量，不计入可比增速。",
        )
    stalled = figures["warnings"].get("stalled", {}).get("count", 0)
    if stalled:
        names = "、".join(figures["stalled"])
        _para(
            document,
            f"停产或未报数企业{stalled}户"
            + (f"：{names}" + ("等" if stalled > len(figures["stalled"]) else "") if names else "")
            + "。",
        )
    ranked_rows = []
    for key, label in (("top_pull", "拉动最大"), ("bottom_pull", "拉动最小")):
        for r in (rankings.get(key) or [])[:5]:
            ranked_rows.append(
                [
                    label,
                    r["name"],
                    format_value(_d(r["value"]), HEADLINE),
                    pct_cell(r["growth"]),
                    pct_cell(r["pull"]),
                ]
            )
    if ranked_rows:
        table_no += 1
        _caption(document, f"表{table_no}  重点企业增减情况")
        word.add_table(
            document,
            ["类别", "企业", f"{months}产值", "增速（%）", "拉动（个百分点）"],
            ranked_rows,
            numeric_from=2,
            widths_cm=[2.4, 6.2, 3.2, 2.4, 3.0],
            size=10.5,
            fit_cm=word.TEXT_WIDTH_CM,
        )

    n += 1
    _heading(document, f"{_section_no(n)}用电量和税金")
    _para(document, energy_tax_sentence(figures))

    n += 1
    _heading(document, f"{_section_no(n)}目标完成情况")
    targets = figures["targets"]
    if targets:
        behind = [t["name"] for t in targets if t["status"] == "far_behind"]
        ahead = [t["name"] for t in targets if t["status"] == "ahead"]
        text = f"{len(targets)}项年度目标中，{len(ahead)}项快于序时进度"
        text += f"，{len(behind)}项明显滞后（{'、'.join(behind)}）" if behind else ""
        _para(document, text + "。")
        table_no += 1
        _caption(document, f"表{table_no}  年度目标完成情况")
        word.add_table(
            document,
            ["指标", "年度目标", "完成", "完成率（%）", "序时进度（%）", "状态"],
            [
                [
                    t["name"],
                    format_value(_d(t["target"]), t["indicator"])
                    if t["unit"] in ("元", "千瓦时")
                    else (t["target"] or "—"),
                    format_value(_d(t["actual"]), t["indicator"])
                    if t["unit"] in ("元", "千瓦时")
                    else (t["actual"] or "—"),
                    pct_cell(t["completion"]),
                    pct_cell(t["elapsed"]),
                    t["status_label"],
                ]
                for t in targets
            ],
            numeric_from=1,
            widths_cm=[3.6, 3.0, 3.0, 2.4, 2.4, 2.6],
            size=10.5,
            fit_cm=word.TEXT_WIDTH_CM,
        )
    else:
        _para(document, "本年度尚未设定目标。")

    n += 1
    _heading(document, f"{_section_no(n)}项目建设")
    projects = figures["projects"]
    inv = projects["investment"]
    text = f"{projects['period_label']}，完成工业投资{format_value(_d(inv['actual']), HEADLINE)}"
    if inv["completion"] is not None:
        done = _d(inv["completion"])
        text += f"，完成年度目标的{wording.percent(done)}，{wording.pace(done, _d(projects['elapsed']))}"
    lights = projects["lights"]
    text += (
        f"；签约未开工项目{projects['signed_not_started']}个；"
        f"红灯项目{lights.get('red', 0)}个、黄灯{lights.get('yellow', 0)}个、绿灯{lights.get('green', 0)}个。"
    )
    _para(document, text)
    if projects["data_note"]:
        _para(document, f"（{projects['data_note']}。）")
    red = [p for p in projects["flagged"] if p["light"] == "red"][:RED_IN_MONTHLY]
    if red:
        table_no += 1
        _caption(
            document, f"表{table_no}  红灯项目" + ("（列前10个）" if lights.get("red", 0) > len(red) else "")
        )
        word.add_table(
            document,
            ["项目", "阶段", "原因", "责任单位"],
            [[p["name"], p["stage_label"], _short(p["reasons"]), p["unit"] or "—"] for p in red],
            widths_cm=[4.4, 1.6, 6.4, 3.2],
            size=10.5,
            fit_cm=word.TEXT_WIDTH_CM,
        )

    n += 1
    _heading(document, f"{_section_no(n)}问题和诉求")
    pr = figures["problems"]
    _para(
        document,
        f"项目问题办理中{pr['problems_open']}个，其中逾期{pr['problems_overdue']}个；"
        f"企业诉求在办{pr['demands_open']}件，其中逾期{pr['demands_overdue']}件。",
    )
    if pr["overdue_by_unit"]:
        word.add_table(
            document,
            ["责任单位", "逾期项目问题（个）", "逾期企业诉求（件）"],
            [[r["unit"], str(r["problems"]), str(r["demands"])] for r in pr["overdue_by_unit"]],
            numeric_from=1,
            widths_cm=[7.0, 4.6, 4.6],
            size=10.5,
            fit_cm=word.TEXT_WIDTH_CM,
        )

    n += 1
    _heading(document, f"{_section_no(n)}下一步工作")
    paragraphs = [line.strip() for line in (note or "").splitlines() if line.strip()]
    for line in paragraphs or ["（待办公室填写。）"]:
        _para(document, line)
    return word.to_bytes(document)


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def meeting_tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """The meeting material's tables (the .docx and the .xlsx show the same rows)."""
    targets = [
        [
            t["name"],
            format_value(_d(t["target"]), t["indicator"])
            if t["unit"] in ("元", "千瓦时")
            else (t["target"] or "—"),
            format_value(_d(t["actual"]), t["indicator"])
            if t["unit"] in ("元", "千瓦时")
            else (t["actual"] or "—"),
            pct_cell(t["completion"]),
            pct_cell(t["elapsed"]),
            t["status_label"],
            t["responsible"] or "—",
        ]
        for t in figures["targets"]
    ]
    projects = [
        [p["name"], p["light_label"], p["stage_label"], p["reasons"] or "—", p["unit"] or "—"]
        for p in figures["projects"]["flagged"]
    ]
    problems = [
        [r["unit"], str(r["problems"]), str(r["demands"])] for r in figures["problems"]["overdue_by_unit"]
    ]
    tasks = [
        [
            t["title"],
            t["unit"] or "—",
            t["deadline"],
            t["status_label"],
            "—" if t["percent"] is None else str(t["percent"]),
            t["progress"] or "—",
        ]
        for t in figures["tasks"]
    ]
    pool = [["新增规上企业", name, "规上企业"] for name in figures["pool"]["new_above_scale"]] + [
        ["新获称号", t["name"], f"{t['level']}{t['title']}"] for t in figures["pool"]["new_titles"]
    ]
    return [
        (
            "年度目标",
            ["指标", "年度目标", "完成", "完成率（%）", "序时进度（%）", "状态", "责任单位"],
            targets,
        ),
        ("红黄灯项目", ["项目", "灯号", "阶段", "原因", "责任单位"], projects),
        ("逾期问题诉求", ["责任单位", "逾期项目问题（个）", "逾期企业诉求（件）"], problems),
        ("督办事项", ["事项", "牵头单位", "完成时限", "状态", "完成进度（%）", "最新进展"], tasks),
        ("培育库变动", ["类别", "企业", "称号"], pool),
    ]


MEETING_WIDTHS = {
    "年度目标": [3.2, 2.6, 2.6, 1.8, 1.8, 1.8, 2.4],
    "红黄灯项目": [4.0, 1.4, 1.4, 6.0, 2.8],
    "逾期问题诉求": [7.0, 4.0, 4.0],
    "督办事项": [4.6, 2.4, 2.2, 1.4, 1.6, 4.8],
    "培育库变动": [3.0, 7.0, 5.0],
}


def meeting_docx(figures: dict, *, issuer: str = "") -> bytes:
    month = _month(figures)
    meta = figures["meta"]
    document = word.government_document()
    title = f"{meta['scope_label']}工业强县领导小组会议材料"
    _title_page(
        document, title, f"（{month.year}年{months_label(month)}）", issuer or meta["scope_label"], ""
    )
    head = next(h for h in figures["headlines"] if h["code"] == HEADLINE)
    _heading(document, "一、总体情况")
    _para(
        document,
        f"{months_label(month)}，{meta['scope_label']}规上工业总产值{_shown(head)}，"
        f"同比{wording.growth(_d(head['growth']), flat='持平')}。",
    )
    projects = figures["projects"]
    lights = projects["lights"]
    sections = meeting_tables(figures)
    intro = {
        "年度目标": f"{len(figures['targets'])}项年度目标完成情况如下。",
        "红黄灯项目": f"红灯项目{lights.get('red', 0)}个、黄灯项目{lights.get('yellow', 0)}个，"
        f"签约未开工项目{projects['signed_not_started']}个。",
        "逾期问题诉求": f"项目问题逾期{figures['problems']['problems_overdue']}个，"
        f"企业诉求逾期{figures['problems']['demands_overdue']}件。",
        "督办事项": f"在办督办事项{len(figures['tasks'])}项。",
        "培育库变动": f"本年新增规上企业{len(figures['pool']['new_above_scale'])}户，"
        f"新获称号{len(figures['pool']['new_titles'])}项。",
    }
    for n, (name, head_row, rows) in enumerate(sections, start=2):
        _heading(document, f"{CN_NUMBERS[n - 1]}、{name}")
        _para(document, intro[name])
        if rows:
            word.add_table(
                document, head_row, rows, size=10, widths_cm=MEETING_WIDTHS[name], fit_cm=word.TEXT_WIDTH_CM
            )
        else:
            _para(document, "（无）")
    return word.to_bytes(document)


def meeting_xlsx(figures: dict) -> bytes:
    from qiangxian.core import exports

    buffer = io.BytesIO()
    meta = figures["meta"]
    exports.write_xlsx(
        buffer,
        sheets=meeting_tables(figures),
        notes=[f"{meta['scope_label']} {meta['month']} 领导小组会议材料（平台数据）"],
    )
    return buffer.getvalue()
