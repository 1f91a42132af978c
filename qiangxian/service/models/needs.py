"""The bureaus' structured forms: what a labour, finance or land demand needs, and what was provided."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from ..choices import AreaUnit, FinanceKind

MONEY = {"max_digits": 16, "decimal_places": 2}


class LabourNeed(models.Model):
    """用工: positions the enterprise cannot fill; 人社局 takes them to job fairs and schools."""

    demand = models.OneToOneField(
        "service.Demand", verbose_name="诉求", on_delete=models.CASCADE, related_name="labour_need"
    )
    positions = models.CharField("岗位", max_length=200)
    headcount = models.PositiveIntegerField("人数")
    skills = models.CharField("技能要求", max_length=300, blank=True)
    wage = models.CharField("工资待遇", max_length=100, blank=True, help_text="如 5000-7000元/月")
    needed_by = models.DateField("到岗时间", null=True, blank=True)
    filled = models.PositiveIntegerField("已招到（人）", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="用工需求变更记录")

    class Meta:
        verbose_name = "用工需求"
        verbose_name_plural = "用工需求"

    def __str__(self) -> str:
        return f"{self.positions} {self.headcount}人"


class FinanceNeed(models.Model):
    """融资: the amount, what for, the kind of support, the bank; followed to the amount arranged."""

    demand = models.OneToOneField(
        "service.Demand", verbose_name="诉求", on_delete=models.CASCADE, related_name="finance_need"
    )
    amount = models.DecimalField("需求金额（元）", **MONEY)
    purpose = models.CharField("用途", max_length=200, blank=True)
    kind = models.CharField("方式", max_length=20, choices=FinanceKind.choices)
    bank = models.CharField("合作银行", max_length=100, blank=True)
    arranged = models.DecimalField("已落实金额（元）", default=0, **MONEY)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="融资需求变更记录")

    class Meta:
        verbose_name = "融资需求"
        verbose_name_plural = "融资需求"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class LandNeed(models.Model):
    """用地/厂房: area, where, for what, by when; followed to the parcel or building offered."""

    demand = models.OneToOneField(
        "service.Demand", verbose_name="诉求", on_delete=models.CASCADE, related_name="land_need"
    )
    area = models.DecimalField("面积", max_digits=12, decimal_places=2)
    area_unit = models.CharField("面积单位", max_length=10, choices=AreaUnit.choices, default=AreaUnit.MU)
    location = models.CharField("意向位置", max_length=200, blank=True)
    use = models.CharField("用途", max_length=200, blank=True)
    needed_by = models.DateField("需要时间", null=True, blank=True)
    offered = models.CharField("已提供地块或厂房", max_length=300, blank=True)
    # The parcel or building of the parks and land module offered for the need (the free text above
    # says what else was offered or agreed); the land side links its offers here.
    offered_parcel = models.ForeignKey(
        "land.Parcel",
        verbose_name="提供地块",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="land_needs",
    )
    offered_building = models.ForeignKey(
        "land.Building",
        verbose_name="提供楼栋（厂房）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="land_needs",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="用地需求变更记录")

    class Meta:
        verbose_name = "用地需求"
        verbose_name_plural = "用地需求"

    def __str__(self) -> str:
        return f"{self.area}{self.get_area_unit_display()}"
