"""The investment project pipeline: projects, their stages, monthly progress, problems and targets."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qiangxian.core.access import CountyQuerySet, ScopedQuerySet, scope_of
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import CountySettings

from .choices import (
    BatchStatus,
    ImportKind,
    LeadSource,
    Light,
    ProblemCategory,
    ProblemStatus,
    ProjectKind,
    SizeClass,
    Stage,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
YI = Decimal(100_000_000)


def size_class_of(total_investment: Decimal | None) -> str:
    """The size class (1亿, 5亿, 10亿元以上) of a total investment in yuan."""
    value = total_investment or Decimal(0)
    if value >= 10 * YI:
        return SizeClass.FROM_1B
    if value >= 5 * YI:
        return SizeClass.FROM_500M
    if value >= YI:
        return SizeClass.FROM_100M
    return SizeClass.BELOW_100M


class ProjectQuerySet(ScopedQuerySet):
    # A park, zone or town sees the projects located in it; a bureau those it is responsible for
    # (and, below, those with a problem routed to it); an enterprise its own investments.
    scope_paths = {
        "park": "park",
        "zone": "zone",
        "town": "town",
        "bureau": "responsible_unit",
        "enterprise": "investor__org_unit",
    }

    def bulk_create(self, objs, *args, **kwargs):
        """Like ``save``, give each project the county of its place (bulk inserts skip ``save``)."""
        from qiangxian.core.models import OrgUnit

        objs = list(objs)
        places = {
            i
            for o in objs
            if o.county_id is None
            for i in (o.town_id, o.park_id, o.zone_id, o.responsible_unit_id)
            if i
        }
        counties = dict(OrgUnit.objects.filter(pk__in=places).values_list("pk", "county_id"))
        for obj in objs:
            if obj.county_id is None:
                places_of = (obj.town_id, obj.park_id, obj.zone_id, obj.responsible_unit_id)
                obj.county_id = next((counties[i] for i in places_of if counties.get(i)), None)
        return super().bulk_create(objs, *args, **kwargs)

    def visible_to(self, user):
        """Only the projects the user may see (a bureau: also those with problems or approvals at it)."""
        scope = scope_of(user)
        condition = self.scope_q(scope)
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition |= Q(pk__in=Problem.objects.filter(owner_unit_id=scope.unit_id).values("project_id"))
            # ...and those with an approval it handles, so its staff can record the dates.
            condition |= Q(pk__in=ApprovalItem.objects.filter(unit_id=scope.unit_id).values("project_id"))
        return self.filter(condition)


class Project(models.Model):
    """An investment project from the first lead to full production."""

    code = models.CharField("项目编号", max_length=20, unique=True)
    name = models.CharField("项目名称", max_length=200, db_index=True)
    industrial = models.BooleanField("工业项目", default=True)
    project_kind = models.CharField(
        "项目类型（手续清单）", max_length=20, choices=ProjectKind.choices, default=ProjectKind.NEW_BUILD
    )
    investment_code = models.CharField(
        "投资项目代码",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="投资项目在线审批监管平台赋予的统一代码",
    )
    investor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="投资主体（名录内企业）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    investor_name = models.CharField("投资方名称", max_length=200, blank=True)
    investor_uscc = models.CharField("投资方统一社会信用代码", max_length=18, blank=True)
    lead_source = models.CharField(
        "线索来源", max_length=20, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    referrer = models.CharField("引荐人", max_length=100, blank=True)
    cluster = models.ForeignKey(
        "enterprises.Cluster",
        verbose_name="产业集群",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    industry_code = models.CharField("国民经济行业（小类）", max_length=4, blank=True)
    park = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="park_projects",
        limit_choices_to={"kind": OrgUnitKind.PARK},
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在片区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_projects",
        limit_choices_to={"kind": OrgUnitKind.ZONE},
    )
    town = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所在乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="town_projects",
        limit_choices_to={"kind": OrgUnitKind.TOWN},
    )
    # The county the project is in: from its town, park, zone or responsible unit on save, else
    # the county of whoever registered it (services pass it). The access gate's county boundary.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField("地块/选址", max_length=300, blank=True)
    total_investment = models.DecimalField("总投资（元）", **MONEY, default=Decimal(0))
    fixed_asset_investment = models.DecimalField("固定资产投资（元）", **MONEY, default=Decimal(0))
    plan_year = models.PositiveIntegerField("计划年度", null=True, blank=True)
    planned_investment = models.DecimalField("年度计划投资（元）", **MONEY, default=Decimal(0))
    size_class = models.CharField(
        "规模", max_length=12, choices=SizeClass.choices, default=SizeClass.BELOW_100M, db_index=True
    )
    stage = models.CharField(
        "阶段", max_length=20, choices=Stage.choices, default=Stage.SOURCING, db_index=True
    )
    stage_on = models.DateField("进入当前阶段日期", null=True, blank=True)
    lead_received_on = models.DateField("线索登记日期", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    producing_on = models.DateField("投产日期", null=True, blank=True)
    at_capacity_on = models.DateField("达效日期", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=300, blank=True)
    responsible_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    liaison_leader = models.ForeignKey(
        "core.User",
        verbose_name="包联领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_projects",
    )
    owner = models.ForeignKey(
        "core.User",
        verbose_name="线索责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_projects",
    )
    owner_assigned_on = models.DateField("责任人落实日期", null=True, blank=True)
    assessed_on = models.DateField("研判日期", null=True, blank=True)
    assessment = models.CharField("研判意见", max_length=500, blank=True)
    # Commitments from the investment agreement (投资协议).
    committed_intensity = models.DecimalField("约定投资强度（元/亩）", **MONEY, null=True, blank=True)
    committed_output = models.DecimalField("达产后年产值（元）", **MONEY, null=True, blank=True)
    committed_tax = models.DecimalField("达产后年税收（元）", **MONEY, null=True, blank=True)
    start_deadline = models.DateField("约定开工日期", null=True, blank=True)
    production_deadline = models.DateField("约定投产日期", null=True, blank=True)
    committed_jobs = models.PositiveIntegerField("约定用工（人）", null=True, blank=True)
    land_need_mu = models.DecimalField(
        "用地需求（亩）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    building_need_sqm = models.DecimalField(
        "厂房需求（平方米）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField("项目概况", blank=True)
    # The stored light, refreshed by the services whenever facts change and each month.
    light = models.CharField("灯号", max_length=10, choices=Light.choices, default=Light.GREEN, db_index=True)
    light_reasons = models.JSONField("灯号原因", default=list, blank=True)
    light_month = models.DateField("灯号评价月份", null=True, blank=True)
    # The open approval that holds the project up, as of the last refresh (see approvals.blocking).
    approval_blocker = models.JSONField("当前卡点手续", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        verbose_name="项目变更记录", excluded_fields=["light_reasons", "approval_blocker"]
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-total_investment", "pk"]
        indexes = [
            models.Index(fields=["stage", "light"]),
            models.Index(fields=["park", "stage"]),
            models.Index(fields=["responsible_unit", "stage"]),
            models.Index(fields=["signed_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.county_id is None:
            self.county_id = self.place_county_id()
        super().save(*args, **kwargs)

    def place_county_id(self) -> int | None:
        """The county of the project's town, park, zone or responsible unit (None if it has none)."""
        from qiangxian.core.models import OrgUnit

        ids = [i for i in (self.town_id, self.park_id, self.zone_id, self.responsible_unit_id) if i]
        if ids:
            county = OrgUnit.objects.filter(pk__in=ids, county__isnull=False).values_list(
                "county_id", flat=True
            )
            return county.first()
        if self.investor_id:
            return (
                OrgUnit.objects.filter(pk=self.investor.town_id).values_list("county_id", flat=True).first()
            )
        return None

    @property
    def investor_display(self) -> str:
        """The investor's name, from the registry when linked."""
        return self.investor.name if self.investor_id else (self.investor_name or "—")

    @property
    def light_texts(self) -> list[str]:
        return [r.get("text", "") for r in self.light_reasons or []]


class ProjectStageChange(models.Model):
    """One dated move of a project between stages, with who made it and why."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField("原阶段", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=Stage.choices)
    changed_on = models.DateField("变更日期")
    reason = models.CharField("原因/说明", max_length=300, blank=True)
    actor = models.ForeignKey(
        "core.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="阶段变更记录")

    class Meta:
        verbose_name = "项目阶段变更"
        verbose_name_plural = "项目阶段变更"
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_from_stage_display()}→{self.get_to_stage_display()}"


class ProgressQuerySet(ScopedQuerySet):
    scope_paths = {
        "park": "project__park",
        "zone": "project__zone",
        "town": "project__town",
        "bureau": "project__responsible_unit",
        "enterprise": "project__investor__org_unit",
    }

    def visible_to(self, user):
        """Progress of the projects the user may see."""
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))


class ProgressImportBatch(models.Model):
    """One uploaded progress file: staged, applied, or rolled back as a whole."""

    kind = models.CharField(
        "导入内容", max_length=12, choices=ImportKind.choices, default=ImportKind.PROGRESS
    )
    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        "core.User", verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.STAGED)
    row_count = models.PositiveIntegerField("行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    rows = models.JSONField("暂存数据", default=list, blank=True)
    errors = models.JSONField("校验错误", default=list, blank=True)
    previous = models.JSONField("导入前数据", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    rolled_back_at = models.DateTimeField("撤销时间", null=True, blank=True)
    history = HistoricalRecords(
        verbose_name="导入批次变更记录", excluded_fields=["rows", "previous", "errors"]
    )

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"


class ProjectProgress(models.Model):
    """A project's investment in one month (月度进度), as reported."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress"
    )
    month = models.DateField("月份")  # first day of the month
    completed_investment = models.DecimalField("本月完成投资（元）", **MONEY, default=Decimal(0))
    completed_to_date = models.DecimalField("累计完成投资（元）", **MONEY, default=Decimal(0))
    funds_in_place = models.DecimalField("本月到位资金（元）", **MONEY, default=Decimal(0))
    in_statistics = models.BooleanField("已入库", default=False)
    notes = models.CharField("进展情况", max_length=500, blank=True)
    batch = models.ForeignKey(
        ProgressImportBatch,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_rows",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="月度进度变更记录")

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "月度进度"
        verbose_name_plural = "月度进度"
        ordering = ["-month", "project_id"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="progress_unique_month")]
        indexes = [models.Index(fields=["month", "project"])]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


class ProblemQuerySet(ScopedQuerySet):
    scope_paths = {
        "park": "project__park",
        "zone": "project__zone",
        "town": "project__town",
        "bureau": "owner_unit",
        "enterprise": "project__investor__org_unit",
    }

    def visible_to(self, user):
        """Problems on visible projects' places; a bureau sees those routed to it or on its projects."""
        scope = scope_of(user)
        condition = self.scope_q(scope)
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition |= Q(project__responsible_unit_id=scope.unit_id)
        return self.filter(condition)


class Problem(models.Model):
    """A problem blocking a project (把脉问诊), routed to the unit that must solve it."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="problems"
    )
    title = models.CharField("问题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    category = models.CharField(
        "类别", max_length=20, choices=ProblemCategory.choices, default=ProblemCategory.OTHER
    )
    owner_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="project_problems"
    )
    raised_by = models.ForeignKey(
        "core.User", verbose_name="提出人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField("提出日期")
    deadline = models.DateField("办结时限")
    status = models.CharField(
        "状态", max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    solved_on = models.DateField("解决日期", null=True, blank=True)
    solution = models.TextField("解决方式", blank=True)
    solved_by = models.ForeignKey(
        "core.User", verbose_name="办结人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="问题变更记录")

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "项目问题"
        verbose_name_plural = "项目问题"
        ordering = ["status", "deadline", "pk"]
        indexes = [models.Index(fields=["owner_unit", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title


class ProblemNote(models.Model):
    """A progress note on a problem."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "core.User", verbose_name="填写人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField("进展", max_length=500)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="问题进展变更记录")

    class Meta:
        verbose_name = "问题进展"
        verbose_name_plural = "问题进展"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:30]


class ProjectSettings(CountySettings):
    """The office's thresholds for lights and lead deadlines (one row per county)."""

    pace_yellow_pp = models.DecimalField(
        "进度滞后黄灯（百分点）", max_digits=5, decimal_places=1, default=Decimal(10)
    )
    pace_red_pp = models.DecimalField(
        "进度滞后红灯（百分点）", max_digits=5, decimal_places=1, default=Decimal(30)
    )
    default_start_months = models.PositiveSmallIntegerField("未约定开工时间的，签约后几个月内开工", default=6)
    signed_red_months = models.PositiveSmallIntegerField("超过约定开工时间几个月亮红灯", default=3)
    stats_yellow_months = models.PositiveSmallIntegerField("开工几个月未入库亮黄灯", default=1)
    stats_red_months = models.PositiveSmallIntegerField("开工几个月未入库亮红灯", default=2)
    production_red_months = models.PositiveSmallIntegerField("超过约定投产时间几个月亮红灯", default=3)
    intensity_red_ratio = models.DecimalField(
        "投资强度低于约定的比例亮红灯", max_digits=4, decimal_places=2, default=Decimal("0.80")
    )
    stats_threshold = models.DecimalField("入库统计起点（元）", **MONEY, default=Decimal(5_000_000))
    lead_owner_days = models.PositiveSmallIntegerField("线索落实责任人时限（工作日）", default=1)
    lead_assess_days = models.PositiveSmallIntegerField("线索完成研判时限（工作日）", default=3)
    lights_month = models.DateField("灯号评价月份", null=True, blank=True)
    lights_refreshed_on = models.DateField("灯号刷新日期", null=True, blank=True)
    approval_lookahead_days = models.PositiveSmallIntegerField(
        "距约定开工日期几天内预警手续办不完", default=60
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="项目参数变更记录", excluded_fields=["lights_refreshed_on"])

    class Meta:
        verbose_name = "项目参数"
        verbose_name_plural = "项目参数"
        constraints = [models.UniqueConstraint(fields=["county"], name="project_settings_one_per_county")]

    def __str__(self) -> str:
        return "项目灯号与时限参数"


class ProjectTarget(models.Model):
    """The county's annual project targets (工业投资、5亿元以上项目、到位资金)."""

    year = models.PositiveIntegerField("年度")
    industrial_investment = models.DecimalField("工业投资目标（元）", **MONEY)
    big_project_count = models.PositiveIntegerField("新签约大项目目标（个）", default=0)
    big_project_threshold = models.DecimalField("大项目起点（元）", **MONEY, default=5 * YI)
    funds_in_place = models.DecimalField("到位资金目标（元）", **MONEY, default=Decimal(0))
    funds_stretch_pct = models.DecimalField(
        "到位资金超目标（%）", max_digits=5, decimal_places=1, default=Decimal(20)
    )
    note = models.CharField("依据", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # The county that set them (the office's county); targets are per county.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="项目目标变更记录")

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "项目年度目标"
        verbose_name_plural = "项目年度目标"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="project_target_county_year")]

    def __str__(self) -> str:
        return f"{self.year}年项目目标"


from .approvals.models import (  # noqa: E402  (registered with the app; they refer to the models above)
    ApprovalItem,
    ApprovalKind,
    ApprovalTemplate,
    ApprovalTemplateItem,
    RegionalAssessment,
)

__all__ = [
    "ApprovalItem",
    "ApprovalKind",
    "ApprovalTemplate",
    "ApprovalTemplateItem",
    "Problem",
    "ProblemNote",
    "ProgressImportBatch",
    "Project",
    "ProjectProgress",
    "ProjectSettings",
    "ProjectStageChange",
    "ProjectTarget",
    "RegionalAssessment",
]
