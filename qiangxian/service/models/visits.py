"""Visits (企业大走访): campaigns, visit records and their files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qiangxian.core.access import CountyQuerySet, county_filter, county_path_of, scope_filter, scope_of

ENTERPRISE_PATHS = {
    "town": "enterprise__town",
    "park": "enterprise__park",
    "zone": "enterprise__zone",
    "enterprise": "enterprise__org_unit",
}


class VisitCampaign(models.Model):
    """A visit campaign: its period, the enterprises it covers and each unit's coverage target."""

    name = models.CharField("活动名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="走访企业", blank=True, related_name="visit_campaigns"
    )
    description = models.TextField("工作要求", blank=True)
    quiet_days = models.PositiveSmallIntegerField("无事不扰间隔（天）", default=30)
    # The county whose office runs it; names are unique within a county.
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
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="走访活动变更记录")
    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "走访活动"
        verbose_name_plural = "走访活动"
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="visit_campaign_county_name")]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """How many of the campaign's enterprises a unit is to visit."""

    campaign = models.ForeignKey(
        VisitCampaign, verbose_name="走访活动", on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey("core.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    target = models.PositiveIntegerField("走访目标（家）")
    history = HistoricalRecords(verbose_name="走访目标变更记录")

    class Meta:
        verbose_name = "走访目标"
        verbose_name_plural = "走访目标"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_target_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.target}家"


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """By the enterprise's place; a bureau sees the visits its unit made; everyone their own."""
        scope = scope_of(user)
        if scope.everything:
            return self.filter(county_filter(scope, county_path_of(self.model)))
        if user is None or not user.is_authenticated:
            return self.none()
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition = Q(unit_id=scope.unit_id)
        else:
            condition = scope_filter(scope, ENTERPRISE_PATHS)
        return self.filter(condition | Q(created_by_id=user.pk) | Q(visitors=user)).distinct()


class Visit(models.Model):
    """One visit to an enterprise: who went, whom they met, what the enterprise reported."""

    campaign = models.ForeignKey(
        VisitCampaign,
        verbose_name="走访活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("走访日期", db_index=True)
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="走访单位", on_delete=models.PROTECT, related_name="+"
    )
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="走访人员", blank=True, related_name="visits"
    )
    visitor_names = models.CharField("其他走访人员", max_length=200, blank=True)
    people_met = models.CharField("接待人", max_length=200, blank=True)
    purpose = models.CharField("走访事由", max_length=200, blank=True)
    by_phone = models.BooleanField("电话走访", default=False)
    production = models.TextField("生产经营", blank=True)
    orders = models.TextField("订单", blank=True)
    labour = models.TextField("用工", blank=True)
    finance = models.TextField("资金", blank=True)
    land = models.TextField("用地", blank=True)
    utilities = models.TextField("水电气", blank=True)
    approvals = models.TextField("审批", blank=True)
    plans = models.TextField("发展计划", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="走访记录变更记录")

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "visited_on"]),
            models.Index(fields=["unit", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"


def attachment_path(instance, filename: str) -> str:
    return f"service/visits/{instance.visit_id}/{filename}"


class VisitAttachment(models.Model):
    """A photo or file from a visit, kept through Django's storage API."""

    visit = models.ForeignKey(
        Visit, verbose_name="走访记录", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="走访附件变更记录")

    class Meta:
        verbose_name = "走访附件"
        verbose_name_plural = "走访附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class VisitPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Like visits: by the enterprise's place, a bureau its own unit's plans, everyone their own."""
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition = Q(unit_id=scope.unit_id)
        else:
            condition = scope_filter(scope, ENTERPRISE_PATHS)
        return self.filter(condition | Q(created_by_id=user.pk) | Q(official_id=user.pk))


class VisitPlan(models.Model):
    """A planned visit: an official means to visit an enterprise on a day; linked to the visit once made."""

    campaign = models.ForeignKey(
        VisitCampaign,
        verbose_name="走访活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="visit_plans"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="走访单位", on_delete=models.PROTECT, related_name="+"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_plans",
    )
    planned_on = models.DateField("计划日期", db_index=True)
    purpose = models.CharField("走访事由", max_length=200, blank=True)
    visit = models.ForeignKey(
        Visit,
        verbose_name="走访记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilled_plans",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="走访计划变更记录")

    objects = VisitPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        ordering = ["planned_on", "pk"]
        indexes = [models.Index(fields=["enterprise", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.planned_on:%Y-%m-%d} {self.enterprise}"
