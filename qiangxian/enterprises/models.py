"""The enterprise registry (名录库): one record per enterprise, identified by its USCC."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet
from qiangxian.core.choices import OrgUnitKind

from .choices import LandTenure, OperatingStatus


class EnterpriseQuerySet(ScopedQuerySet):
    # A town or park sees the enterprises located in it; an enterprise user sees itself.
    scope_paths = {"town": "town", "park": "park", "zone": "zone", "enterprise": "org_unit"}
    # The registry is the county's common directory: every bureau works from it.
    bureau_reads_all = True


class Cluster(models.Model):
    """An industrial cluster (产业集群): a set of industry classes plus manual assignments."""

    name = models.CharField("集群名称", max_length=50, unique=True)
    industry_codes = models.JSONField("包含的行业小类", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    description = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="集群变更记录")

    class Meta:
        verbose_name = "产业集群"
        verbose_name_plural = "产业集群"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    """An enterprise's membership of a cluster, by its industry class or assigned by hand."""

    cluster = models.ForeignKey(Cluster, verbose_name="集群", on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey("Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="cluster_memberships")
    manual = models.BooleanField("人工指定", default=False)
    history = HistoricalRecords(verbose_name="集群成员变更记录")

    class Meta:
        verbose_name = "集群成员"
        verbose_name_plural = "集群成员"
        constraints = [models.UniqueConstraint(fields=["cluster", "enterprise"], name="cluster_member_unique")]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.enterprise}"


class Enterprise(models.Model):
    """A registered business located in the county."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200, db_index=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    pinyin_initials = models.CharField("拼音首字母", max_length=200, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    registered_address = models.CharField("注册地址", max_length=300, blank=True)
    production_address = models.CharField("生产地址", max_length=300, blank=True)
    town = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属乡镇",
        on_delete=models.PROTECT,
        related_name="town_enterprises",
        limit_choices_to={"kind": OrgUnitKind.TOWN},
    )
    park = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="park_enterprises",
        limit_choices_to={"kind": OrgUnitKind.PARK},
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_enterprises",
        limit_choices_to={"kind": OrgUnitKind.ZONE},
    )
    industry_code = models.CharField("国民经济行业（小类）", max_length=4, db_index=True)
    status = models.CharField(
        "经营状态", max_length=20, choices=OperatingStatus.choices, default=OperatingStatus.OPERATING
    )
    above_scale = models.BooleanField("规上企业", default=False, db_index=True)
    land_area_mu = models.DecimalField("用地面积（亩）", max_digits=12, decimal_places=2, null=True, blank=True)
    land_tenure = models.CharField(
        "用地方式", max_length=10, choices=LandTenure.choices, default=LandTenure.NONE, blank=True
    )
    org_unit = models.OneToOneField(
        "core.OrgUnit",
        verbose_name="企业账号单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprise",
        limit_choices_to={"kind": OrgUnitKind.ENTERPRISE},
    )
    clusters = models.ManyToManyField(Cluster, verbose_name="产业集群", through=ClusterMembership, blank=True,
                                      related_name="enterprises")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="企业变更记录")

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["town", "name"]),
            models.Index(fields=["park", "name"]),
            models.Index(fields=["above_scale", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def industry_division(self) -> str:
        """The 2-digit division (大类), derived from the class by prefix."""
        return self.industry_code[:2]
