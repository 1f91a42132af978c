"""Reports the platform writes (报告): each generated file kept with the figures it was written from.

A report belongs to an area (scope_kind, scope_id) as the rollups and targets do: the county
(("county", 0) for a lone county, its id under a city), a town, a park or a zone. A town user
reads and makes the reports of the town only; the county's office those of the whole county.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import area_filter, county_filter, scope_of
from qiangxian.core.models import CountySettings


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", "月度工业经济运行分析"
    MEETING = "meeting", "领导小组会议材料"
    UPWARD = "upward", "上报报表"


class AreaReportQuerySet(models.QuerySet):
    """Rows of an area: visible inside the user's jurisdiction and county boundary."""

    def visible_to(self, user):
        scope = scope_of(user)
        return self.filter(area_filter(scope) & county_filter(scope, "county"))


class GeneratedReport(models.Model):
    """One generated report: the file(s), the figures used (JSON), for which month and area, by whom."""

    kind = models.CharField("报告类型", max_length=10, choices=ReportKind.choices)
    month = models.DateField("月份")
    scope_kind = models.CharField("范围", max_length=10, default="county")
    scope_id = models.BigIntegerField("范围单位", default=0)
    scope_label = models.CharField("范围名称", max_length=100)
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="reports/%Y/%m/", max_length=300)
    extra_file = models.FileField("附表", upload_to="reports/%Y/%m/", max_length=300, blank=True)
    figures = models.JSONField("所用数据", default=dict)
    data_as_of = models.DateTimeField("数据截至", null=True, blank=True)
    template = models.ForeignKey(
        "reports.ReportTemplate",
        verbose_name="报表模板",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    unfilled = models.JSONField("未能填写的单元格", default=list, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name="上一版", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField("版次", default=1)
    scheduled = models.BooleanField("自动生成", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_index=True)
    history = HistoricalRecords(verbose_name="报告变更记录")

    objects = AreaReportQuerySet.as_manager()

    class Meta:
        verbose_name = "报告"
        verbose_name_plural = "报告"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "month", "scope_kind", "scope_id"])]

    def __str__(self) -> str:
        return self.title


class ReportNote(models.Model):
    """The closing section the office writes by hand for a month and area (下一步工作), kept between
    generations of the same month's report."""

    month = models.DateField("月份")
    scope_kind = models.CharField("范围", max_length=10, default="county")
    scope_id = models.BigIntegerField("范围单位", default=0)
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("下一步工作", blank=True, max_length=20000)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="报告结语变更记录")

    objects = AreaReportQuerySet.as_manager()

    class Meta:
        verbose_name = "报告结语"
        verbose_name_plural = "报告结语"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "scope_kind", "scope_id"], name="report_note_one_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"下一步工作 {self.month:%Y-%m}"


class ReportTemplateQuerySet(models.QuerySet):
    """A template belongs to a county and is used by its office (and read by its leaders)."""

    def visible_to(self, user):
        scope = scope_of(user)
        if not scope.everything:
            return self.none()
        return self.filter(county_filter(scope, "county"))


class ReportTemplate(models.Model):
    """A table template sent by the city or province (.xlsx) and where each figure goes.

    ``mapping`` is a list of entries, each either one cell::

        {"sheet": "表1", "cell": "C5", "indicator": "gross_output", "field": "value",
         "scope": "county", "period": "ytd", "unit": "wan"}

    or one column over rows, filled with a group's values matched by the name in ``label_column``::

        {"sheet": "表1", "column": "D", "rows": "6-20", "label_column": "B",
         "group": "town", "indicator": "gross_output", "field": "growth"}
    """

    name = models.CharField("模板名称", max_length=100)
    file = models.FileField("模板文件", upload_to="report_templates/", max_length=300)
    file_name = models.CharField("原文件名", max_length=200)
    mapping = models.JSONField("填写规则", default=list, blank=True)
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="报表模板变更记录")

    objects = ReportTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "报表模板"
        verbose_name_plural = "报表模板"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ReportSettings(CountySettings):
    """Whether the county's monthly report is written when a month's statistics are committed
    (one row per county, see :class:`~qiangxian.core.models.CountySettings`)."""

    auto_monthly = models.BooleanField(
        "统计数据提交后自动生成月度分析",
        default=False,
        help_text="开启后，每次提交月度运行数据，平台自动生成全县当月分析报告并发送到办公室消息。",
    )
    history = HistoricalRecords(verbose_name="报告参数变更记录")

    class Meta:
        verbose_name = "报告参数"
        verbose_name_plural = "报告参数"

    def __str__(self) -> str:
        return "报告参数"
