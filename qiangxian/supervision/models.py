"""Supervised tasks (督办事项), their monthly reports, the meetings and documents they come from."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from qiangxian.core.access import CountyQuerySet, issued_filter, scope_of
from qiangxian.core.models import CountySettings

from .choices import Comparator, DocumentKind, SourceKind, TargetKind, TaskStatus

OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


class SupervisionSettings(CountySettings):
    """The reporting day, the reminder lead time and the scoring method; one row per county, set by
    its office."""

    report_day = models.PositiveSmallIntegerField(
        "每月报送日", default=25, help_text="牵头单位每月在该日（含）前报送进展，1–28。"
    )
    remind_days = models.PositiveSmallIntegerField("提前提醒天数", default=3)
    score_base = models.DecimalField("基础分", max_digits=6, decimal_places=2, default=100)
    late_penalty = models.DecimalField("逾期完成每项扣分", max_digits=6, decimal_places=2, default=2)
    overdue_penalty = models.DecimalField("逾期未完成每项扣分", max_digits=6, decimal_places=2, default=5)
    missed_report_penalty = models.DecimalField(
        "缺报/迟报每次扣分", max_digits=6, decimal_places=2, default=1
    )
    on_time_bonus = models.DecimalField("按期完成每项加分", max_digits=6, decimal_places=2, default=1)
    history = HistoricalRecords(verbose_name="督办参数变更记录")

    class Meta:
        verbose_name = "督办参数"
        verbose_name_plural = "督办参数"
        constraints = [models.UniqueConstraint(fields=["county"], name="supervision_settings_one_per_county")]

    def __str__(self) -> str:
        return "督办参数"


class Meeting(models.Model):
    """A meeting (leading-group meeting, scheduling meeting) whose decisions are supervised."""

    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    attendees = models.TextField("参会人员", blank=True)
    note = models.TextField("会议纪要", blank=True)
    # The county that held it (its office's county): the access gate's county boundary.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="会议变更记录")
    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class SourceDocument(models.Model):
    """A speech, work plan or notice whose text targets and tasks were drafted from."""

    title = models.CharField("文件名称", max_length=200)
    kind = models.CharField(
        "文件类型", max_length=20, choices=DocumentKind.choices, default=DocumentKind.SPEECH
    )
    doc_date = models.DateField("成文日期")
    text = models.TextField("正文")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="所属会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    # The county whose office registered it.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="文件变更记录")
    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "来源文件"
        verbose_name_plural = "来源文件"
        ordering = ["-doc_date", "-pk"]

    def __str__(self) -> str:
        return self.title


class TaskQuerySet(models.QuerySet):
    county_path = "lead_unit__county"  # not the source meeting's: a task belongs where it is led

    def visible_to(self, user) -> TaskQuerySet:
        """Office and leaders see every task led in their counties (and by the city or province
        above them); a unit sees the tasks it leads or supports."""
        scope = scope_of(user)
        if scope.everything:
            return self.filter(issued_filter(scope, "lead_unit"))
        if scope.unit_id is None or scope.kind == "enterprise":
            return self.none()
        ids = self.filter(Q(lead_unit_id=scope.unit_id) | Q(supporting_units__id=scope.unit_id)).values("pk")
        return self.filter(pk__in=ids)


class Task(models.Model):
    """A supervised task: what a unit must do by when, reported on monthly until it is closed."""

    title = models.CharField("督办事项", max_length=300)
    detail = models.TextField("具体要求", blank=True)
    source_kind = models.CharField(
        "来源", max_length=20, choices=SourceKind.choices, default=SourceKind.MEETING
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="来源会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    document = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    quote = models.TextField("原文", blank=True)
    leader = models.CharField("责任领导", max_length=50, blank=True)
    lead_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="牵头单位",
        on_delete=models.PROTECT,
        related_name="led_supervision_tasks",
    )
    supporting_units = models.ManyToManyField(
        "core.OrgUnit", verbose_name="配合单位", blank=True, related_name="supported_supervision_tasks"
    )
    starts_on = models.DateField("开始日期", default=dt.date.today)
    deadline = models.DateField("完成时限")
    # A target no indicator measures: the lead unit reports the figure each month.
    metric = models.CharField("考核指标", max_length=100, blank=True)
    metric_unit = models.CharField("指标单位", max_length=20, blank=True)
    metric_target = models.DecimalField("目标值", max_digits=20, decimal_places=4, null=True, blank=True)
    status = FSMField("状态", default=TaskStatus.NOT_STARTED, choices=TaskStatus.choices, protected=False)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="督办事项变更记录", m2m_fields=[supporting_units])

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    # --- lifecycle (django-fsm-2): the services call these inside their transaction ----------

    @transition(field=status, source=TaskStatus.NOT_STARTED, target=TaskStatus.IN_PROGRESS)
    def start(self) -> None:
        """The first report (or the unit's own word) starts the task."""

    @transition(
        field=status,
        source=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE],
        target=TaskStatus.COMPLETED,
    )
    def complete(self, on: dt.date) -> None:
        self.completed_on = on

    @transition(
        field=status, source=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS], target=TaskStatus.OVERDUE
    )
    def mark_overdue(self) -> None:
        """Past the deadline and not completed."""

    @transition(field=status, source=TaskStatus.OVERDUE, target=TaskStatus.IN_PROGRESS)
    def extend(self) -> None:
        """The office granted a new deadline (set by the service)."""

    @transition(field=status, source=TaskStatus.COMPLETED, target=TaskStatus.CLOSED)
    def close(self, on: dt.date) -> None:
        self.closed_on = on

    @transition(field=status, source=TaskStatus.COMPLETED, target=TaskStatus.IN_PROGRESS)
    def reopen(self) -> None:
        """The office found the task not done after all."""
        self.completed_on = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def finished_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.deadline


class Milestone(models.Model):
    """An intermediate step of a task with its own date."""

    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("节点时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    history = HistoricalRecords(verbose_name="节点变更记录")

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


def report_upload_to(instance: ProgressReport, filename: str) -> str:
    return f"supervision/reports/{instance.task_id}/{instance.month:%Y-%m}/{filename}"


class ProgressReport(models.Model):
    """The lead unit's monthly progress on a task."""

    task = models.ForeignKey(Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="reports")
    month = models.DateField("报送月份")
    progress = models.TextField("进展情况")
    problems = models.TextField("存在问题", blank=True)
    figure = models.DecimalField("完成数", max_digits=20, decimal_places=4, null=True, blank=True)
    percent_done = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    attachment = models.FileField("附件", upload_to=report_upload_to, blank=True, max_length=300)
    due_on = models.DateField("报送截止日")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(verbose_name="进展报送变更记录")

    class Meta:
        verbose_name = "月度进展"
        verbose_name_plural = "月度进展"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["task", "month"], name="supervision_report_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.month:%Y-%m}"

    @property
    def on_time(self) -> bool:
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) <= self.due_on


class Letter(models.Model):
    """A 督办函 issued for an overdue task (the .docx is generated again on each download)."""

    task = models.ForeignKey(Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="letters")
    number = models.CharField("文号", max_length=50)
    issued_on = models.DateField("发函日期")
    reply_by = models.DateField("回复时限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发函人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(verbose_name="督办函变更记录")

    class Meta:
        verbose_name = "督办函"
        verbose_name_plural = "督办函"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class TargetSource(models.Model):
    """A statistics target confirmed from a document: the sentence it came from and how it was worded."""

    target = models.OneToOneField(
        "statistics.Target", verbose_name="年度目标", on_delete=models.CASCADE, related_name="source"
    )
    document = models.ForeignKey(
        SourceDocument, verbose_name="来源文件", null=True, on_delete=models.SET_NULL, related_name="targets"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="来源会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    quote = models.TextField("原文")
    metric = models.CharField("原文指标", max_length=100)
    unit_text = models.CharField("原文单位", max_length=20)
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices, default=Comparator.GE)
    kind = models.CharField("类型", max_length=10, choices=TargetKind.choices, default=TargetKind.LEVEL)
    strength = models.CharField("力度", max_length=10, blank=True)
    deadline = models.DateField("时限", null=True, blank=True)
    leader = models.CharField("责任领导", max_length=50, blank=True)
    history = HistoricalRecords(verbose_name="目标来源变更记录")

    class Meta:
        verbose_name = "目标来源"
        verbose_name_plural = "目标来源"

    def __str__(self) -> str:
        return self.metric
