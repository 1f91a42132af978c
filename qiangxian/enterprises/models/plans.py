"""Cultivation plans (一企一策): a target tier and year, baseline figures, measures, milestones, reviews."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ..choices import DesignationKind, MeasureStatus, PlanStatus, ReviewRating
from .registry import Enterprise, EnterpriseChildQuerySet


class PlanChildQuerySet(EnterpriseChildQuerySet):
    scope_paths = {
        "town": "plan__enterprise__town",
        "park": "plan__enterprise__park",
        "zone": "plan__enterprise__zone",
        "enterprise": "plan__enterprise__org_unit",
    }
    enterprise_path = "plan__enterprise_id"


class CultivationPlan(models.Model):
    """One enterprise's plan to reach a tier by a year."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="plans"
    )
    target_tier = models.CharField("培育目标", max_length=20, choices=DesignationKind.choices)
    target_year = models.PositiveIntegerField("目标年度")
    status = models.CharField(
        "状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE, db_index=True
    )
    summary = models.TextField("培育思路", blank=True)
    baseline_year = models.PositiveIntegerField("基数年度", null=True, blank=True)
    baseline_revenue = models.DecimalField(
        "营业收入（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_rd_expense = models.DecimalField(
        "研发费用（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_employees = models.PositiveIntegerField("从业人员（人）", null=True, blank=True)
    baseline_ip_count = models.PositiveIntegerField("Ⅰ类知识产权（件）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="培育计划变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "一企一策培育计划"
        verbose_name_plural = "一企一策培育计划"
        ordering = ["-target_year", "enterprise__name", "pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.target_year}年 {self.get_target_tier_display()}"


class PlanMeasure(models.Model):
    """A measure of a plan, owned by a unit, with a deadline and progress notes."""

    plan = models.ForeignKey(
        CultivationPlan, verbose_name="培育计划", on_delete=models.CASCADE, related_name="measures"
    )
    content = models.CharField("措施内容", max_length=300)
    responsible_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_measures",
    )
    deadline = models.DateField("完成时限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PENDING
    )
    progress_notes = models.TextField("进展情况", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    history = HistoricalRecords(verbose_name="培育措施变更记录")

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = "培育措施"
        verbose_name_plural = "培育措施"
        ordering = ["sort_order", "deadline", "pk"]

    def __str__(self) -> str:
        return self.content

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and self.deadline < dt.date.today()
            and self.status in (MeasureStatus.PENDING, MeasureStatus.IN_PROGRESS)
        )


class PlanMilestone(models.Model):
    """A checkpoint of a plan (e.g. 研发投入达到 3%)."""

    plan = models.ForeignKey(
        CultivationPlan, verbose_name="培育计划", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("计划时间")
    achieved_on = models.DateField("实际达成", null=True, blank=True)
    history = HistoricalRecords(verbose_name="培育节点变更记录")

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = "培育节点"
        verbose_name_plural = "培育节点"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanReview(models.Model):
    """A periodic review of a plan's progress."""

    plan = models.ForeignKey(
        CultivationPlan, verbose_name="培育计划", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField("评估日期")
    period = models.CharField("评估期", max_length=50, help_text="如“2026年二季度”")
    rating = models.CharField("评估结论", max_length=20, choices=ReviewRating.choices)
    conclusion = models.TextField("评估意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评估人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="培育评估变更记录")

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = "培育评估"
        verbose_name_plural = "培育评估"
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.get_rating_display()}"
