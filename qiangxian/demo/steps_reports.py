"""Reports: one archived monthly analysis of the county for the latest month."""

from __future__ import annotations

from .context import DemoContext

LABEL = "报告（最近一个月的运行分析）"


def generate(ctx: DemoContext) -> None:
    from qiangxian.reports import services
    from qiangxian.statistics import selectors

    office = ctx.users.get("office")
    month = selectors.latest_month()
    if office is None or month is None:
        return
    scope = selectors.aggregate_scope(office)
    services.note_save(
        actor=office,
        month=month,
        scope=scope,
        text="一是紧盯重点企业生产，逐户分析下拉企业原因，协调解决要素保障问题。\n"
        "二是加快签约未开工项目落地，推动红灯项目问题销号。\n"
        "三是抓好新增规上企业培育，确保应统尽统。",
    )
    services.generate_monthly(actor=office, month=month, scope=scope)
