"""Approval items (前期手续) and utility connections (要素保障) of projects, their templates and the
zones' regional assessments (区域评估). Imported by ``projects.models`` so Django registers them."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet, county_filter, scope_of
from qiangxian.core.choices import OrgUnitKind

from ..choices import ApprovalCategory, ProjectKind


class ApprovalKind(models.Model):
    """One kind of approval or connection with its default approving unit and time limits."""

    code = models.CharField("事项代码", max_length=30, unique=True)
    name = models.CharField("事项名称", max_length=60, unique=True)
    category = models.CharField(
        "类别", max_length=12, choices=ApprovalCategory.choices, default=ApprovalCategory.APPROVAL
    )
    default_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="默认办理单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statutory_days = models.PositiveSmallIntegerField("法定时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    phase = models.PositiveSmallIntegerField(
        "办理阶段", default=1, help_text="同一阶段的事项可并联办理，后一阶段须待前一阶段办结"
    )
    regional = models.BooleanField("可由区域评估替代", default=False)
    aliases = models.CharField("审批系统中的名称（用“；”分隔）", max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords(verbose_name="审批事项类型变更记录")

    class Meta:
        verbose_name = "审批事项类型"
        verbose_name_plural = "审批事项类型"
        ordering = ["phase", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ApprovalTemplate(models.Model):
    """The checklist a project of one kind starts with."""

    project_kind = models.CharField("项目类型", max_length=20, choices=ProjectKind.choices, unique=True)
    kinds = models.ManyToManyField(ApprovalKind, through="ApprovalTemplateItem", verbose_name="事项")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="手续清单模板变更记录")

    class Meta:
        verbose_name = "手续清单模板"
        verbose_name_plural = "手续清单模板"
        ordering = ["project_kind"]

    def __str__(self) -> str:
        return f"{self.get_project_kind_display()}手续清单"


class ApprovalTemplateItem(models.Model):
    template = models.ForeignKey(ApprovalTemplate, on_delete=models.CASCADE, related_name="items")
    kind = models.ForeignKey(ApprovalKind, verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords(verbose_name="模板事项变更记录")

    class Meta:
        verbose_name = "模板事项"
        verbose_name_plural = "模板事项"
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "kind"], name="template_kind_unique")]

    def __str__(self) -> str:
        return f"{self.template} {self.kind}"


class RegionalAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Government users read every zone's assessments of their county (published results)."""
        scope = scope_of(user)
        if scope.kind == "enterprise" or not (scope.everything or scope.kind):
            return self.none()
        return self.filter(county_filter(scope, "zone__county"))


class RegionalAssessment(models.Model):
    """A zone's regional assessment (区域评估) of one kind: its projects inherit the result."""

    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="片区/园区",
        on_delete=models.PROTECT,
        related_name="regional_assessments",
        limit_choices_to={"kind__in": [OrgUnitKind.ZONE, OrgUnitKind.PARK]},
    )
    kind = models.ForeignKey(
        ApprovalKind, verbose_name="评估事项", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批复日期")
    document = models.CharField("批复文号", max_length=200, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="区域评估变更记录")

    objects = RegionalAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "区域评估"
        verbose_name_plural = "区域评估"
        ordering = ["zone", "kind__phase", "kind__sort_order"]
        constraints = [models.UniqueConstraint(fields=["zone", "kind"], name="regional_zone_kind_unique")]

    def __str__(self) -> str:
        return f"{self.zone}{self.kind}区域评估"


class ApprovalItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Items of the projects the user may see; a bureau also sees the items it approves."""
        from ..models import Project

        scope = scope_of(user)
        visible = self.filter(project__in=Project.objects.visible_to(user).values("pk"))
        if scope.kind == "bureau" and scope.unit_id is not None:
            return visible | self.filter(unit_id=scope.unit_id)
        return visible


class ApprovalItem(models.Model):
    """One approval or connection a project needs, with its dates at the approving unit."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="approval_items"
    )
    kind = models.ForeignKey(
        ApprovalKind, verbose_name="事项", on_delete=models.PROTECT, related_name="items"
    )
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="办理单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_items",
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    statutory_days = models.PositiveSmallIntegerField("法定时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    submitted_on = models.DateField("申报日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    approved_on = models.DateField("办结日期", null=True, blank=True)
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    not_applicable = models.BooleanField("不适用", default=False)
    na_reason = models.CharField("不适用原因", max_length=300, blank=True)
    inherited_from = models.ForeignKey(
        RegionalAssessment,
        verbose_name="继承的区域评估",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    documents = models.CharField("批复文号/材料", max_length=500, blank=True)
    # Working days from the clock's start to approval, kept with the dates so that units'
    # figures over tens of thousands of items are integer reads (see services.stamp).
    days_taken = models.PositiveIntegerField("办理用时（工作日）", null=True, blank=True, editable=False)
    batch = models.ForeignKey(
        "projects.ProgressImportBatch",
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approval_rows",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="审批事项变更记录")

    objects = ApprovalItemQuerySet.as_manager()

    class Meta:
        verbose_name = "审批事项"
        verbose_name_plural = "审批事项"
        ordering = ["project", "kind__phase", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="approval_project_kind_unique")
        ]
        indexes = [models.Index(fields=["unit", "approved_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.kind}"
