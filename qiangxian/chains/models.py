"""Industrial chains: per cluster a versioned chain of links, the enterprises and projects on them,
the leading firms (链主) with their purchases, and the investment-promotion targets for the gaps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import IssuedQuerySet, ScopedQuerySet

from .choices import PlacementBasis, PlacementStatus, Segment, TargetStatus

MONEY = {"max_digits": 16, "decimal_places": 2}
LIST_SEPARATOR = "；"


class ChainQuerySet(IssuedQuerySet):
    """A chain belongs to the level that set up its cluster: a county's chain stays in that county."""

    issuer_field = "cluster__issuer"


class LinkQuerySet(IssuedQuerySet):
    issuer_field = "chain__cluster__issuer"


class TargetQuerySet(IssuedQuerySet):
    issuer_field = "link__chain__cluster__issuer"


class Chain(models.Model):
    """A cluster's chain: its links read left to right from upstream to downstream.

    ``version`` goes up with every change to the chain or its links, so an edit made on an old
    picture is refused and the history tells which version a figure was drawn on.
    """

    cluster = models.OneToOneField(
        "enterprises.Cluster", verbose_name="产业集群", on_delete=models.CASCADE, related_name="chain"
    )
    name = models.CharField("产业链名称", max_length=50)
    description = models.CharField("说明", max_length=500, blank=True)
    thin_threshold = models.PositiveIntegerField(
        "薄弱阈值（户）",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="某环节已确认的企业少于该户数即为“薄弱”；没有企业为“缺失”。",
    )
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="产业链变更记录")

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["cluster__sort_order", "cluster__name"]

    def __str__(self) -> str:
        return self.name


class ChainLink(models.Model):
    """One link (环节) of a chain: what it makes, which industry classes and products it covers."""

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="links")
    segment = models.CharField("环节位置", max_length=20, choices=Segment.choices)
    name = models.CharField("环节名称", max_length=50)
    description = models.CharField("环节说明", max_length=500, blank=True)
    industry_codes = models.JSONField("覆盖的行业小类", default=list, blank=True)
    product_keywords = models.JSONField("产品关键词", default=list, blank=True)
    investment_per_mu = models.DecimalField(
        "典型亩均投资（元/亩）", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    output_per_mu = models.DecimalField(
        "典型亩均产值（元/亩）", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="产业链环节变更记录")

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        ordering = ["chain_id", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chain_link_unique_name")]

    def __str__(self) -> str:
        return f"{self.chain} · {self.name}"


class EnterpriseRowQuerySet(ScopedQuerySet):
    """Rows about one enterprise follow its jurisdiction; bureaus read the county's directory."""

    scope_paths = {
        "town": "enterprise__town",
        "park": "enterprise__park",
        "zone": "enterprise__zone",
        "enterprise": "enterprise__org_unit",
    }
    bureau_reads_all = True


class LinkPlacement(models.Model):
    """An enterprise placed on a link: proposed by the platform, confirmed by the office."""

    link = models.ForeignKey(
        ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="placements"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="chain_placements",
    )
    status = models.CharField(
        "状态", max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PROPOSED
    )
    basis = models.CharField(
        "依据", max_length=20, choices=PlacementBasis.choices, default=PlacementBasis.MANUAL
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    history = HistoricalRecords(verbose_name="企业环节变更记录")

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = "企业所在环节"
        verbose_name_plural = "企业所在环节"
        ordering = ["link_id", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="chain_placement_unique")]

    def __str__(self) -> str:
        return f"{self.link} · {self.enterprise}"


class ChainLeader(models.Model):
    """A chain's leading enterprise (链主)."""

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="leaders")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="chain_leads"
    )
    note = models.CharField("备注", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="链主企业变更记录")

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = "链主企业"
        verbose_name_plural = "链主企业"
        ordering = ["chain_id", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["chain", "enterprise"], name="chain_leader_unique")]

    def __str__(self) -> str:
        return f"{self.chain} · {self.enterprise}"


class PurchaseQuerySet(ScopedQuerySet):
    scope_paths = {
        "town": "leader__enterprise__town",
        "park": "leader__enterprise__park",
        "zone": "leader__enterprise__zone",
        "enterprise": "leader__enterprise__org_unit",
    }
    bureau_reads_all = True


class Purchase(models.Model):
    """One of a leading firm's main purchases in a year: what, from which link, bought locally or not."""

    leader = models.ForeignKey(
        ChainLeader, verbose_name="链主企业", on_delete=models.CASCADE, related_name="purchases"
    )
    link = models.ForeignKey(
        ChainLink, verbose_name="所属环节", on_delete=models.CASCADE, related_name="purchases"
    )
    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000)])
    product = models.CharField("采购产品", max_length=100)
    amount = models.DecimalField("年采购额（元）", **MONEY, validators=[MinValueValidator(Decimal(0))])
    local = models.BooleanField("县内采购", default=False)
    supplier = models.CharField("主要供应商", max_length=200, blank=True)
    supplier_place = models.CharField("供应商所在地", max_length=100, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="链主采购变更记录")

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        verbose_name = "链主采购"
        verbose_name_plural = "链主采购"
        ordering = ["-year", "link_id", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "link", "year", "product"], name="chain_purchase_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.product}"


class ProjectPlacementQuerySet(ScopedQuerySet):
    scope_paths = {
        "park": "project__park",
        "zone": "project__zone",
        "town": "project__town",
        "bureau": "project__responsible_unit",
        "enterprise": "project__investor__org_unit",
    }


class ProjectPlacement(models.Model):
    """A project or lead placed on the link it would fill."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="chain_placement"
    )
    link = models.ForeignKey(
        ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="project_placements"
    )
    history = HistoricalRecords(verbose_name="项目环节变更记录")

    objects = ProjectPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "项目所在环节"
        verbose_name_plural = "项目所在环节"

    def __str__(self) -> str:
        return f"{self.link} · {self.project}"


class Target(models.Model):
    """A target for investment promotion on a gap: the company wanted, where such are, who follows up."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="targets")
    company_kind = models.CharField("拟引进企业类型", max_length=200)
    regions = models.CharField("目标企业所在地区", max_length=200, blank=True)
    candidates = models.CharField("目标企业名单", max_length=500, blank=True, help_text="多家用“；”分隔")
    follow_up_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="跟进单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_person = models.CharField("跟进责任人", max_length=50, blank=True)
    status = models.CharField("状态", max_length=20, choices=TargetStatus.choices, default=TargetStatus.OPEN)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="对应项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_targets",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="招商目标变更记录")

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "补链招商目标"
        verbose_name_plural = "补链招商目标"
        ordering = ["link_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.link} · {self.company_kind}"
