"""The enterprise registry (名录库): one record per enterprise, identified by its USCC."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import IssuedQuerySet
from qiangxian.core.choices import OrgUnitKind

from ..choices import LandTenure, LiaisonRole, OperatingStatus
from ._scoping import RegistryQuerySet

LIST_SEPARATOR = "；"


class EnterpriseQuerySet(RegistryQuerySet):
    # A town or park sees the enterprises located in it; an enterprise user sees itself.
    scope_paths = {"town": "town", "park": "park", "zone": "zone", "enterprise": "org_unit"}
    # The registry is the county's common directory: every bureau works from it.
    bureau_reads_all = True
    enterprise_path = "pk"
    # Every enterprise lies in a town, and the town in its county.
    county_path = "town__county"


class EnterpriseChildQuerySet(RegistryQuerySet):
    """Records hanging off one enterprise (designations, contacts, plans) follow its visibility."""

    scope_paths = {
        "town": "enterprise__town",
        "park": "enterprise__park",
        "zone": "enterprise__zone",
        "enterprise": "enterprise__org_unit",
    }
    bureau_reads_all = True


class Cluster(models.Model):
    """An industrial cluster (产业集群): a set of industry classes plus manual assignments."""

    name = models.CharField("集群名称", max_length=50, unique=True)
    industry_codes = models.JSONField("包含的行业小类", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    description = models.CharField("说明", max_length=300, blank=True)
    # The level that defined the cluster (a county, or a city for all its counties); empty: shared.
    issuer = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="设立单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="集群变更记录")

    objects = IssuedQuerySet.as_manager()

    class Meta:
        verbose_name = "产业集群"
        verbose_name_plural = "产业集群"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    """An enterprise's membership of a cluster, by its industry class or assigned by hand."""

    cluster = models.ForeignKey(
        Cluster, verbose_name="集群", on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        "Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="cluster_memberships"
    )
    manual = models.BooleanField("人工指定", default=False)
    history = HistoricalRecords(verbose_name="集群成员变更记录")

    class Meta:
        verbose_name = "集群成员"
        verbose_name_plural = "集群成员"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "enterprise"], name="cluster_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.enterprise}"


class TaskForce(models.Model):
    """A dedicated team (专班) looking after a group of enterprises."""

    name = models.CharField("专班名称", max_length=100, unique=True)
    lead_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_forces",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专班负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_task_forces",
    )
    description = models.CharField("工作职责", max_length=500, blank=True)
    # The county (or city) that set the task force up.
    issuer = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="设立单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="专班变更记录")

    objects = IssuedQuerySet.as_manager()

    class Meta:
        verbose_name = "专班"
        verbose_name_plural = "专班"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """A registered business located in the county."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    registration_number = models.CharField("工商注册号（15位）", max_length=15, blank=True, db_index=True)
    name = models.CharField("企业名称", max_length=200, db_index=True)
    former_names = models.CharField("曾用名", max_length=500, blank=True, help_text="多个曾用名用“；”分隔")
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
    land_area_mu = models.DecimalField(
        "用地面积（亩）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    land_tenure = models.CharField(
        "用地方式", max_length=10, choices=LandTenure.choices, default=LandTenure.NONE, blank=True
    )
    tags = models.CharField("标签", max_length=300, blank=True, help_text="多个标签用“；”分隔")
    task_force = models.ForeignKey(
        TaskForce,
        verbose_name="所属专班",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
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
    clusters = models.ManyToManyField(
        Cluster, verbose_name="产业集群", through=ClusterMembership, blank=True, related_name="enterprises"
    )
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

    @property
    def industry_label(self) -> str:
        """The class code with its GB/T 4754-2017 name, e.g. "1952 皮鞋制造"."""
        from ..industry import get_industry

        node = get_industry(self.industry_code)
        return node.label if node else self.industry_code

    @property
    def former_name_list(self) -> list[str]:
        return [n for n in self.former_names.split(LIST_SEPARATOR) if n]

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(LIST_SEPARATOR) if t]


class EnterpriseContact(models.Model):
    """A contact person at an enterprise; the phone is personal data, masked in lists."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    history = HistoricalRecords(verbose_name="联系人变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "企业联系人"
        verbose_name_plural = "企业联系人"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class EnterpriseLiaison(models.Model):
    """A platform user assigned to look after an enterprise (包联领导 or 包联干部)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="liaisons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包联人员",
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
    )
    role = models.CharField("包联身份", max_length=10, choices=LiaisonRole.choices)
    assigned_on = models.DateField("包联日期", null=True, blank=True)
    history = HistoricalRecords(verbose_name="包联变更记录")

    class Meta:
        verbose_name = "包联关系"
        verbose_name_plural = "包联关系"
        ordering = ["role", "pk"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="liaison_unique_user")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.user}"
