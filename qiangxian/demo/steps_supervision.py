"""Demo step: the leader's speech and the 工作要点 drafted into targets and supervised tasks.

The office recorded the year's leading-group meeting, pasted the speech and the work plan, and
confirmed what the drafting proposed: the targets an indicator measures became annual targets,
the others tasks with a reported figure. About forty tasks run across the bureaus, towns and
parks with a year of monthly reports: most on time, some late, a few tasks overdue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qiangxian.supervision import services
from qiangxian.supervision.choices import DocumentKind, TaskStatus
from qiangxian.supervision.drafting import draft
from qiangxian.supervision.models import Task

from .context import DemoContext

LABEL = "督办（会议、讲话与工作要点、督办事项、月度进展）"

SPEECH = (
    "同志们：\n去年全县规上工业增加值增长9.6%，完成工业投资45.3亿元，新增规上工业企业11户。\n"
    "今年，我们要力争完成工业投资51亿元，规上工业总产值突破230亿元，园区规上工业企业达到96户，"
    "新增规上工业企业13户，引进5亿元以上项目7个。\n"
    "培育专精特新“小巨人”企业1家、省级专精特新中小企业1家、制造业单项冠军1家（牵头单位：县经信局）。\n"
    "县人社局要牵好头，多形式开展招聘活动，6月底前完成春季用工保障。\n"
    "对已签约未开工的项目进行逐个梳理，9月底前全部开工（责任单位：县投促局、县发改局）。"
)

WORK_PLAN = (
    "{year}年工业强县工作要点\n一、主要目标\n规上工业营业收入达到210亿元，工业税收达到9亿元。\n"
    "二、重点任务\n"
    "1.加快项目建设，全年新开工工业项目不少于30个（牵头单位：县发改局；配合单位：县自然资源局）。\n"
    "2.县自然资源局要做好用地报批，二季度前完成批次用地组卷。\n"
    "3.由县财政局负责，兑现工业强县奖补资金，年底前完成。"
)

# (title, lead bureau, supporting, months to deadline from the start)
TASKS = [
    ("建立规上工业企业月度运行监测调度机制", "统计局", ["经信局"], 3),
    ("开展“小升规”企业培育库动态调整", "经信局", ["统计局", "税务局"], 6),
    ("组织重点企业用工对接招聘会", "人社局", ["经信局"], 5),
    ("梳理批而未供、供而未用土地", "自然资源局", ["发改局"], 8),
    ("推进标准厂房建设和招租", "发改局", ["财政局"], 10),
    ("兑现上年度工业企业奖补资金", "财政局", ["经信局"], 4),
    ("开展企业用电保障走访", "供电公司", ["经信局"], 6),
    ("落实减税降费政策宣讲", "税务局", ["财政局"], 5),
    ("组织产业链招商推介活动", "投促局", ["经信局", "发改局"], 9),
    ("推进技改项目入库和申报", "经信局", ["发改局"], 7),
    ("开展安全生产专项检查", "应急管理局", ["经信局"], 6),
    ("推进园区污水处理设施提标改造", "生态环境局", ["发改局"], 11),
]


# Monthly reports as units write them (the month is shown beside each report, not inside it).
PROGRESS_TEXTS = (
    "按计划推进，已完成阶段性工作。",
    "召开专题推进会，明确责任人和时间表，正在逐项落实。",
    "实施方案已印发，正在组织实施，下月完成中期评估。",
    "走访对接重点企业，协调解决用工、用地问题，推进情况良好。",
    "已完成前期调研和方案编制，正在征求相关单位意见。",
    "受资金到位进度影响略有滞后，已制定赶进度措施。",
)


def _bureau(ctx: DemoContext, name: str):
    return ctx.bureaus.get(name) or ctx.bureaus["经信局"]


def _month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def generate(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    today = timezone.localdate()
    start = _month_add(today, -12)
    meeting = services.meeting_save(
        actor=office,
        title=f"{start.year}年工业强县领导小组第一次会议",
        held_on=start + dt.timedelta(days=19),
        attendees="县委书记、县长、分管副县长，各成员单位主要负责人",
        note="部署全年工业强县目标任务，印发工作要点。",
    )
    speech = services.document_create(
        actor=office,
        title="县委书记在工业强县推进大会上的讲话",
        kind=DocumentKind.SPEECH,
        doc_date=meeting.held_on,
        text=SPEECH,
        meeting=meeting,
    )
    plan = services.document_create(
        actor=office,
        title=f"{start.year}年工业强县工作要点",
        kind=DocumentKind.WORK_PLAN,
        doc_date=meeting.held_on,
        text=WORK_PLAN.format(year=start.year),
        meeting=meeting,
    )
    tasks: list[Task] = []
    for document in (speech, plan):
        proposals = draft(document.text, document.doc_date)
        for item in proposals.targets:
            unit = _bureau(ctx, (item.lead_units or ["县经信局"])[0].removeprefix("县"))
            result = services.draft_confirm_target(
                actor=office,
                document=document,
                quote=item.quote,
                metric=item.metric,
                value=Decimal(item.value),
                unit=item.unit,
                year=int(item.period[:4]),
                comparator=item.comparator,
                kind=item.kind,
                indicator=item.indicator,
                strength=item.strength,
                deadline=dt.date.fromisoformat(item.deadline) if item.deadline else None,
                responsible_unit=unit,
                above_only=item.above_only,
            )
            if isinstance(result, Task):
                tasks.append(result)
        for item in proposals.tasks:
            unit = _bureau(ctx, (item.lead_units or ["县经信局"])[0].removeprefix("县"))
            deadline = dt.date.fromisoformat(item.deadline) if item.deadline else dt.date(start.year, 12, 31)
            tasks.append(
                services.draft_confirm_task(
                    actor=office,
                    document=document,
                    quote=item.quote,
                    action=item.action,
                    lead_unit=unit,
                    deadline=max(deadline, start + dt.timedelta(days=60)),
                )
            )
    rng = ctx.rng
    towns_and_parks = [*ctx.towns[:8], *ctx.parks]
    for i in range(40 - len(tasks)):
        title, lead, supporting, months = TASKS[i % len(TASKS)]
        lead_unit = _bureau(ctx, lead) if i < len(TASKS) else towns_and_parks[i % len(towns_and_parks)]
        if i >= len(TASKS):
            title = f"{lead_unit.name}{title.removeprefix('开展').removeprefix('推进')}"
        tasks.append(
            services.task_create(
                actor=office,
                title=title[:300],
                lead_unit=lead_unit,
                supporting_units=[_bureau(ctx, s) for s in supporting if _bureau(ctx, s) != lead_unit],
                deadline=_month_add(start, months + rng.randint(0, 3))
                + dt.timedelta(days=rng.randint(0, 27)),
                meeting=meeting,
                starts_on=start,
                leader=rng.choice(["张副县长", "李副县长", "王副县长"]),
            )
        )
    _reports(ctx, tasks, today)
    services.overdue_sweep(today=today)


def _reports(ctx: DemoContext, tasks: list[Task], today: dt.date) -> None:
    """A year of monthly reports: mostly before the 25th, some late, a few units silent."""
    office = ctx.users["office"]
    rng = ctx.rng
    for task in tasks:
        silent = rng.random() < 0.1
        finish_late = rng.random() < 0.2
        finish = task.deadline + dt.timedelta(days=rng.randint(3, 40) if finish_late else -rng.randint(0, 20))
        month = dt.date(task.starts_on.year, task.starts_on.month, 1)
        done = False
        while month < dt.date(today.year, today.month, 1):
            if silent and month > _month_add(task.starts_on, 2):
                break
            day = rng.randint(18, 24) if rng.random() < 0.85 else rng.randint(26, 28)
            moment = timezone.make_aware(dt.datetime(month.year, month.month, day, 16))
            if moment.date() >= today:
                break
            services.report_submit(
                actor=office,
                task=task,
                month=month,
                progress=PROGRESS_TEXTS[(month.month + task.pk) % len(PROGRESS_TEXTS)],
                percent_done=min(100, 10 * (1 + (month.year * 12 + month.month) % 10)),
                now=moment,
            )
            if finish <= _month_add(month, 1) - dt.timedelta(days=1) and finish < today and not done:
                task.refresh_from_db()
                if task.status == TaskStatus.NOT_STARTED:
                    task.start()
                task.complete(on=max(finish, task.starts_on))
                task.save()
                done = True
                break
            month = _month_add(month, 1)
        task.refresh_from_db()
        if done and rng.random() < 0.5:
            task.close(on=task.completed_on + dt.timedelta(days=7))
            task.save()
