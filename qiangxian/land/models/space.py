"""Parks and space: park and zone profiles, parcels with their land contracts, buildings and leases."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet
from qiangxian.core.choices import OrgUnitKind

from ..choices import BuildingKind, LandUse, OfferOutcome, ParcelStatus

MONEY = {"max_digits": 16, "decimal_places": 2}
MU = {"max_digits": 10, "decimal_places": 2}
SQM = {"max_digits": 12, "decimal_places": 2}
SQM_PER_MU = Decimal("666.67")


class ProfileQuerySet(ScopedQuerySet):
    # A park sees its own profile and its zones'; a zone its own.
    scope_paths = {"park": "park", "zone": "unit"}
    bureau_reads_all = True


class SpaceProfile(models.Model):
    """What the county records about a park or a zone (一园多区): land, utilities, platforms, targets."""

    unit = models.OneToOneField(
        "core.OrgUnit",
        verbose_name="园区/片区",
        on_delete=models.CASCADE,
        related_name="space_profile",
        limit_choices_to={"kind__in": (OrgUnitKind.PARK, OrgUnitKind.ZONE)},
    )
    # The park the unit belongs to (itself for a park): the scope path for park users.
    park = models.ForeignKey(
        "core.OrgUnit", verbose_name="所属园区", on_delete=models.CASCADE, related_name="+"
    )
    area_mu = models.DecimalField("规划面积（亩）", **MU, null=True, blank=True)
    planned_industrial_mu = models.DecimalField("规划工业用地（亩）", **MU, null=True, blank=True)
    built_mu = models.DecimalField("已建成用地（亩）", **MU, null=True, blank=True)
    utilities = models.CharField(
        "基础设施配套", max_length=500, blank=True, help_text="水、电、气、污水处理、道路等"
    )
    platforms = models.CharField("公共服务平台", max_length=500, blank=True)
    leading_industries = models.CharField(
        "主导产业（行业大类代码）",
        max_length=200,
        blank=True,
        help_text="GB/T 4754 两位大类代码，多个用空格分隔，如 33 34 38",
    )
    negative_list = models.CharField(
        "禁止/限制类行业（大类代码）", max_length=200, blank=True, help_text="负面清单，多个用空格分隔"
    )
    output_target_per_mu = models.DecimalField("亩均产值目标（元/亩）", **MONEY, null=True, blank=True)
    tax_target_per_mu = models.DecimalField("亩均税收目标（元/亩）", **MONEY, null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="园区概况变更记录")

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "园区/片区概况"
        verbose_name_plural = "园区/片区概况"

    def __str__(self) -> str:
        return str(self.unit)

    def industry_codes(self) -> list[str]:
        return self.leading_industries.split()

    def negative_codes(self) -> list[str]:
        return self.negative_list.split()


class ParcelQuerySet(ScopedQuerySet):
    scope_paths = {"park": "park", "zone": "zone", "enterprise": "holder__org_unit"}
    # The natural resources bureau and others read the county's land ledger.
    bureau_reads_all = True


class Parcel(models.Model):
    """A plot of land in a park: where it is, how large, what it is used for and who holds it."""

    code = models.CharField("地块编号", max_length=40, unique=True)
    name = models.CharField("地块名称/坐落", max_length=200, blank=True)
    park = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在园区",
        on_delete=models.PROTECT,
        related_name="park_parcels",
        limit_choices_to={"kind": OrgUnitKind.PARK},
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_parcels",
        limit_choices_to={"kind": OrgUnitKind.ZONE},
    )
    area_mu = models.DecimalField("面积（亩）", **MU)
    land_use = models.CharField("用途", max_length=20, choices=LandUse.choices, default=LandUse.INDUSTRIAL)
    status = models.CharField(
        "状态", max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.IN_USE, db_index=True
    )
    status_since = models.DateField("进入当前状态日期", null=True, blank=True)
    holder = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="使用权人（企业）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parcels",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="使用项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parcels",
    )
    boundary = models.JSONField("边界（GeoJSON，WGS84 经纬度）", null=True, blank=True)
    notes = models.CharField("备注", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="地块变更记录")

    objects = ParcelQuerySet.as_manager()

    class Meta:
        verbose_name = "地块"
        verbose_name_plural = "地块"
        ordering = ["code"]
        indexes = [models.Index(fields=["park", "status"]), models.Index(fields=["zone", "status"])]

    def __str__(self) -> str:
        return f"{self.code}{'（' + self.name + '）' if self.name else ''}"

    @property
    def holder_display(self) -> str:
        if self.holder_id:
            return str(self.holder)
        if self.project_id:
            return f"项目：{self.project.name}"
        return "—"


class LandContract(models.Model):
    """The land-transfer contract of a parcel and its 履约 terms (标准地)."""

    parcel = models.OneToOneField(
        Parcel, verbose_name="地块", on_delete=models.CASCADE, related_name="contract"
    )
    number = models.CharField("出让合同编号", max_length=60, blank=True)
    signed_on = models.DateField("签订日期")
    price = models.DecimalField("出让价款（元）", **MONEY)
    intensity_promised = models.DecimalField("约定投资强度（元/亩）", **MONEY, null=True, blank=True)
    far_promised = models.DecimalField("约定容积率", max_digits=5, decimal_places=2, null=True, blank=True)
    start_deadline = models.DateField("约定开工日期", null=True, blank=True)
    completion_deadline = models.DateField("约定竣工日期", null=True, blank=True)
    output_per_mu_promised = models.DecimalField("约定亩均产值（元/亩）", **MONEY, null=True, blank=True)
    tax_per_mu_promised = models.DecimalField("约定亩均税收（元/亩）", **MONEY, null=True, blank=True)
    started_on = models.DateField("实际开工日期", null=True, blank=True)
    completed_on = models.DateField("实际竣工日期", null=True, blank=True)
    investment_actual = models.DecimalField("实际完成投资（元）", **MONEY, null=True, blank=True)
    far_actual = models.DecimalField("实际容积率", max_digits=5, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="出让合同变更记录")

    class Meta:
        verbose_name = "土地出让合同"
        verbose_name_plural = "土地出让合同"

    def __str__(self) -> str:
        return self.number or f"{self.parcel.code} 出让合同"


class BuildingQuerySet(ScopedQuerySet):
    scope_paths = {"park": "park", "zone": "zone", "enterprise": "owner__org_unit"}
    bureau_reads_all = True


class Building(models.Model):
    """A factory building or other building in a park, with what it can carry."""

    code = models.CharField("楼栋编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField(
        "类型", max_length=20, choices=BuildingKind.choices, default=BuildingKind.STANDARD
    )
    park = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在园区",
        on_delete=models.PROTECT,
        related_name="park_buildings",
        limit_choices_to={"kind": OrgUnitKind.PARK},
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_buildings",
        limit_choices_to={"kind": OrgUnitKind.ZONE},
    )
    parcel = models.ForeignKey(
        Parcel,
        verbose_name="所在地块",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )
    floors = models.PositiveSmallIntegerField("层数", default=1)
    floor_area_sqm = models.DecimalField("建筑面积（平方米）", **SQM)
    floor_load_kn = models.DecimalField(
        "楼面荷载（kN/㎡）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    crane_tonnage = models.DecimalField(
        "行车吨位（吨）", max_digits=6, decimal_places=1, null=True, blank=True, help_text="无行车留空"
    )
    power_kva = models.PositiveIntegerField("供电容量（kVA）", null=True, blank=True)
    owner = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="产权企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    owner_name = models.CharField(
        "产权单位（名录外）", max_length=200, blank=True, help_text="如园区平台公司"
    )
    completed_year = models.PositiveSmallIntegerField("建成年份", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="楼栋变更记录")

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["code"]
        indexes = [models.Index(fields=["park", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def owner_display(self) -> str:
        return str(self.owner) if self.owner_id else (self.owner_name or "—")


class LeaseQuerySet(ScopedQuerySet):
    scope_paths = {"park": "building__park", "zone": "building__zone", "enterprise": "tenant__org_unit"}
    bureau_reads_all = True


class Lease(models.Model):
    """A tenant in a building, by floor and unit, with rent and lease dates."""

    building = models.ForeignKey(
        Building, verbose_name="楼栋", on_delete=models.CASCADE, related_name="leases"
    )
    floor = models.PositiveSmallIntegerField("楼层")
    unit = models.CharField("单元", max_length=20, blank=True, help_text="整层出租留空")
    area_sqm = models.DecimalField("租赁面积（平方米）", **SQM)
    tenant = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="承租企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leases",
    )
    tenant_name = models.CharField("承租方（名录外）", max_length=200, blank=True)
    rent_per_sqm_month = models.DecimalField(
        "租金（元/㎡·月）", max_digits=8, decimal_places=2, null=True, blank=True
    )
    start_on = models.DateField("起租日期")
    end_on = models.DateField("到期日期")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="租赁变更记录")

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = "租赁"
        verbose_name_plural = "租赁"
        ordering = ["building", "floor", "unit", "start_on"]

    def __str__(self) -> str:
        return f"{self.building.code} {self.floor}层{self.unit}"

    @property
    def tenant_display(self) -> str:
        return str(self.tenant) if self.tenant_id else (self.tenant_name or "—")


class OfferQuerySet(ScopedQuerySet):
    scope_paths = {"park": "park", "zone": "zone"}
    bureau_reads_all = True


class SpaceOffer(models.Model):
    """A parcel or building offered for a project's or an enterprise's 用地/厂房 need, and the outcome."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="space_offers",
    )
    demand = models.ForeignKey(
        "service.Demand",
        verbose_name="企业用地/厂房诉求",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="space_offers",
    )
    parcel = models.ForeignKey(
        Parcel, verbose_name="地块", null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    building = models.ForeignKey(
        Building, verbose_name="楼栋", null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    park = models.ForeignKey(
        "core.OrgUnit", verbose_name="所在园区", on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_on = models.DateField("推荐日期")
    outcome = models.CharField(
        "结果", max_length=10, choices=OfferOutcome.choices, default=OfferOutcome.OFFERED
    )
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="空间推荐变更记录")

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "空间推荐"
        verbose_name_plural = "空间推荐"
        ordering = ["-offered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, demand__isnull=True)
                | models.Q(project__isnull=True, demand__isnull=False),
                name="land_offer_project_or_demand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project or self.demand} · {self.parcel or self.building}"
