"""Idle inventory and disposal (清闲促建): idle land and vacant floor space and what is done about them."""

from __future__ import annotations

from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet
from qiangxian.core.choices import OrgUnitKind

from ..choices import DisposalMethod, IdleKind, IdleReason, IdleState
from .space import MU, SQM, Building, Parcel


class IdleQuerySet(ScopedQuerySet):
    scope_paths = {"park": "park", "zone": "zone"}
    bureau_reads_all = True


class IdleItem(models.Model):
    """One idle or low-efficiency parcel, or vacant floor space in a building, to be put back to work."""

    kind = models.CharField("类型", max_length=10, choices=IdleKind.choices)
    parcel = models.ForeignKey(
        Parcel,
        verbose_name="地块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="idle_items",
    )
    building = models.ForeignKey(
        Building,
        verbose_name="楼栋",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="idle_items",
    )
    park = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在园区",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgUnitKind.PARK},
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgUnitKind.ZONE},
    )
    area_mu = models.DecimalField("闲置土地面积（亩）", **MU, null=True, blank=True)
    floor_area_sqm = models.DecimalField("闲置建筑面积（平方米）", **SQM, null=True, blank=True)
    idle_since = models.DateField("闲置起始日期")
    reason = models.CharField("闲置原因", max_length=20, choices=IdleReason.choices)
    reason_detail = models.CharField("原因说明", max_length=500, blank=True)
    state = FSMField(
        "处置状态", max_length=12, choices=IdleState.choices, default=IdleState.OPEN, protected=False
    )
    closed_on = models.DateField("处置完成日期", null=True, blank=True)
    reused_by = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="再利用企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reused_project = models.ForeignKey(
        "projects.Project",
        verbose_name="再利用项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="闲置资源变更记录")

    objects = IdleQuerySet.as_manager()

    class Meta:
        verbose_name = "闲置资源"
        verbose_name_plural = "闲置资源"
        ordering = ["idle_since", "pk"]
        indexes = [models.Index(fields=["park", "state"])]

    def __str__(self) -> str:
        if self.parcel_id:
            return f"地块 {self.parcel.code}"
        if self.building_id:
            return f"厂房 {self.building.code} {self.building.name}"
        return f"闲置资源 {self.pk}"

    # The lifecycle: 待处置 → 处置中 (a plan is made) → 已处置 / 已再利用.
    @transition(field=state, source=IdleState.OPEN, target=IdleState.DISPOSING)
    def start_disposal(self):
        """A disposal plan has been made."""

    @transition(field=state, source=[IdleState.OPEN, IdleState.DISPOSING], target=IdleState.DISPOSED)
    def dispose(self, on):
        """Recovered, transferred or otherwise closed without a new user yet."""
        self.closed_on = on

    @transition(
        field=state, source=[IdleState.OPEN, IdleState.DISPOSING, IdleState.DISPOSED], target=IdleState.REUSED
    )
    def reuse(self, on):
        """A new enterprise or project uses the space (腾笼换鸟)."""
        self.closed_on = on


class DisposalPlan(models.Model):
    """How an idle item is to be disposed of: by whom, by when, and how far it has got."""

    item = models.ForeignKey(
        IdleItem, verbose_name="闲置资源", on_delete=models.CASCADE, related_name="plans"
    )
    method = models.CharField("处置方式", max_length=12, choices=DisposalMethod.choices)
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("完成时限")
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    progress_note = models.CharField("进展说明", max_length=500, blank=True)
    created_on = models.DateField("制定日期")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="处置方案变更记录")

    class Meta:
        verbose_name = "处置方案"
        verbose_name_plural = "处置方案"
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_method_display()}"
