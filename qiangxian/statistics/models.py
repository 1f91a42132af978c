"""Monthly and annual facts, import batches, stored rollups, targets and official figures.

Fact storage: one *wide* row per (enterprise, month, source)
------------------------------------------------------------
A source sends a sheet with one row per enterprise and a dozen figures on it, and every
aggregation reads several figures of the same rows at once (output, its 上年同期, revenue,
tax...). A wide row per (enterprise, month, source) with four columns per figure (cumulative,
single month, and both 上年同期 values) therefore matches both the writes and the reads:

- an import of N sheet rows is N inserts (a narrow (enterprise, month, figure) table would be
  12 N rows with 12 copies of the key and its indexes: a province's 100,000-row file becomes
  1.2 million rows);
- the rollup refresh of a month reads one row per enterprise and source through the
  ``(month, source)`` index and gets every figure in one pass;
- provenance stays exact: the row knows its source and import batch, and a figure belongs to
  one source (``figures.Figure.source``), so a value's origin is (row.source, row.batch).

Adding a figure is a migration (a column), which is rare and reviewed anyway. Corrections write
the replaced values to :class:`FactRevision` (who, when, which batch, old values) before the
row changes, so history and batch rollback need no per-row simple-history writes on bulk loads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet
from qiangxian.core.models import CountySettings

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, MONTHLY_PARTS, ROLLUP_FIGURES, Source

MONEY = {"max_digits": 20, "decimal_places": 2, "null": True, "blank": True}


class FactQuerySet(ScopedQuerySet):
    scope_paths = {
        "town": "enterprise__town",
        "park": "enterprise__park",
        "zone": "enterprise__zone",
        "enterprise": "enterprise__org_unit",
    }
    bureau_reads_all = True


class ImportProfile(models.Model):
    """How one source's sheet maps to figures: columns, units, cumulative or monthly, matching."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月度"
        ANNUAL = "annual", "年度"

    class MatchBy(models.TextChoices):
        USCC = "uscc", "统一社会信用代码"
        NAME = "name", "企业名称（需确认）"

    name = models.CharField("方案名称", max_length=100, unique=True)
    source = models.CharField("数据来源", max_length=20, choices=Source.choices, default=Source.STATS)
    kind = models.CharField("报表类型", max_length=10, choices=Kind.choices, default=Kind.MONTHLY)
    match_by = models.CharField("企业匹配方式", max_length=10, choices=MatchBy.choices, default=MatchBy.USCC)
    key_column = models.CharField("代码列标题", max_length=50, default="统一社会信用代码", blank=True)
    name_column = models.CharField("名称列标题", max_length=50, default="企业名称", blank=True)
    period_column = models.CharField(
        "期别列标题", max_length=50, blank=True, help_text="留空时使用上传时选择的月份。"
    )
    # [{"header": "工业总产值（万元）", "figure": "gross_output", "unit": "wan",
    #   "basis": "ytd"|"month", "year": "current"|"last"}]
    columns = models.JSONField("列映射", default=list)
    # Where the table sits in the workbook: the bureau's own layout has a title row and a unit
    # row above the header, and 合计/小计 rows or rows without a code inside the data.
    sheet_name = models.CharField("工作表", max_length=100, blank=True, help_text="留空时读取第一个工作表。")
    header_row = models.PositiveSmallIntegerField("表头所在行", default=1)
    skip_total_rows = models.BooleanField("跳过合计/小计行", default=True)
    skip_blank_key = models.BooleanField("跳过没有企业代码（名称）的行", default=True)
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="导入方案变更记录")

    class Meta:
        verbose_name = "导入方案"
        verbose_name_plural = "导入方案"
        ordering = ["source", "name"]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One uploaded file: staged, validated, reviewed, then committed or rolled back as a whole."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "校验中"
        INVALID = "invalid", "校验未通过"
        STAGED = "staged", "待提交"
        COMMITTING = "committing", "提交中"
        COMMITTED = "committed", "已提交"
        ROLLED_BACK = "rolled_back", "已撤销"
        FAILED = "failed", "失败"

    profile = models.ForeignKey(
        ImportProfile, verbose_name="导入方案", on_delete=models.PROTECT, related_name="batches"
    )
    source = models.CharField("数据来源", max_length=20, choices=Source.choices)
    file_name = models.CharField("文件名", max_length=200)
    # SHA-256 of the uploaded bytes: the same file uploaded twice is recognised.
    file_hash = models.CharField("文件指纹", max_length=64, blank=True, db_index=True)
    stored_file = models.CharField("存储文件", max_length=300, blank=True)
    month = models.DateField("报表月份", null=True, blank=True)
    combined_jan_feb = models.BooleanField("1-2月合并报表", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.VALIDATING)
    row_count = models.PositiveIntegerField("行数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    review = models.JSONField("校验结果", default=dict, blank=True)
    months = models.JSONField("涉及月份", default=list, blank=True)
    inserted = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更正", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    job = models.ForeignKey(
        "core.BackgroundJob",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # The county whose file this is (the uploader's); a lone county may leave it empty.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_at = models.DateTimeField("提交时间", null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField("撤销时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="导入批次变更记录", excluded_fields=["review"])

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"


class MonthlyFact(models.Model):
    """One enterprise's figures for one month from one source (see the module docstring)."""

    # No index of its own: the unique (enterprise, month, source) key serves lookups by enterprise.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="monthly_facts",
        db_index=False,
    )
    month = models.DateField("月份")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_facts",
        db_index=False,  # indexed by Meta.indexes (monthly_fact_batch)
    )
    above_scale = models.BooleanField("规上（报告期）", default=False)
    # January and February reported together: the February row holds 1-2月 and no single month.
    combined_jan_feb = models.BooleanField("1-2月合并", default=False)

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = "月度数据"
        verbose_name_plural = "月度数据"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month", "source"], name="monthly_fact_unique")
        ]
        indexes = [
            models.Index(fields=["month", "source"], name="monthly_fact_month_src"),
            models.Index(fields=["batch"], name="monthly_fact_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} {self.source}"


for _code in MONTHLY_FIGURES:
    _name = MONTHLY_FIGURES[_code].name
    for _part, _label in zip(MONTHLY_PARTS, ("1-N月累计", "当月", "上年同期累计", "上年同月"), strict=True):
        MonthlyFact.add_to_class(f"{_code}_{_part}", models.DecimalField(f"{_name}（{_label}）", **MONEY))


class AnnualFact(models.Model):
    """One enterprise's annual figures (land, energy, emissions, R&D staff, IP, balance sheet)."""

    # No index of its own: the unique (enterprise, year, source) key serves lookups by enterprise.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="annual_facts",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_facts",
    )

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = "年度数据"
        verbose_name_plural = "年度数据"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "source"], name="annual_fact_unique")
        ]
        indexes = [models.Index(fields=["year", "source"], name="annual_fact_year_src")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.source}"


for _code, _figure in ANNUAL_FIGURES.items():
    AnnualFact.add_to_class(_code, models.DecimalField(_figure.name, **MONEY))


class FactRevision(models.Model):
    """The values a batch replaced: the history of corrections and what a rollback restores.

    Written only by the commit of a batch, in bulk, with keys it has just read from the facts it
    replaces: its relations have no database constraint (Django still cascades and nulls them on
    delete), so a corrected month of a hundred thousand rows does not pay three deferred key
    checks per row at COMMIT.
    """

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="更正批次",
        on_delete=models.CASCADE,
        related_name="revisions",
        db_constraint=False,
    )
    kind = models.CharField("类型", max_length=10, default="monthly")
    # No index of its own: fact_revision_ent (enterprise, period) serves lookups by enterprise.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.DateField("期别")  # the month, or 1 January of the year for annual facts
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    old_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="原批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    old_values = models.JSONField("原值")
    changed_at = models.DateTimeField("更正时间", auto_now_add=True)

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = "数据更正记录"
        verbose_name_plural = "数据更正记录"
        indexes = [models.Index(fields=["enterprise", "period"], name="fact_revision_ent")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period:%Y-%m} {self.source}（批次 {self.batch_id}）"


class Rollup(models.Model):
    """A stored aggregate: every rollup figure for one group, month and population.

    ``scope`` is the jurisdiction the reader sees (the county, a town, a park, a zone) and
    ``group`` the breakdown inside it (its total, or one town/park/zone/cluster/division), so a
    park user's page reads its own rows. For each figure: ``_v`` 1-N月 value of every enterprise
    that reported it, ``_b`` the comparable 上年同期 (a new entrant, with no prior-year value,
    adds nothing), ``_vc`` the value of the comparable enterprises only (those with both values),
    ``_n``/``_nc`` how many enterprises reported the figure / are comparable; ``_m``, ``_mb``,
    ``_mc``, ``_mn``, ``_mnc`` the same for the single month. Growth on the comparable basis is
    ``_vc`` ÷ ``_b`` − 1; the new entrants are ``_n − _nc`` enterprises worth ``_v − _vc``.
    """

    month = models.DateField("月份")
    above_only = models.BooleanField("仅规上")
    scope_kind = models.CharField("范围", max_length=10)
    scope_id = models.BigIntegerField("范围单位", default=0)
    group_kind = models.CharField("分组", max_length=10)
    group_key = models.CharField("分组值", max_length=20, default="")
    n = models.PositiveIntegerField("企业数", default=0)

    class Meta:
        verbose_name = "汇总数据"
        verbose_name_plural = "汇总数据"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "above_only", "scope_kind", "scope_id", "group_kind", "group_key"],
                name="rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_kind}:{self.scope_id} {self.group_kind}:{self.group_key}"


ROLLUP_SUFFIXES = ("v", "b", "m", "mb", "vc", "mc")
ROLLUP_COUNT_SUFFIXES = ("n", "nc", "mn", "mnc")
for _code in ROLLUP_FIGURES:
    for _suffix in ROLLUP_SUFFIXES:
        Rollup.add_to_class(f"{_code}_{_suffix}", models.DecimalField(f"{_code}_{_suffix}", **MONEY))
    for _suffix in ROLLUP_COUNT_SUFFIXES:
        Rollup.add_to_class(
            f"{_code}_{_suffix}", models.PositiveIntegerField(f"{_code}_{_suffix}", default=0)
        )


class RollupFillState(models.Model):
    """Which months' rollups are filled, and when (Zulip analytics' FillState)."""

    month = models.DateField("月份", unique=True)
    filled_at = models.DateTimeField("汇总时间", auto_now=True)
    fact_rows = models.PositiveIntegerField("明细行数", default=0)

    class Meta:
        verbose_name = "汇总状态"
        verbose_name_plural = "汇总状态"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class RollupRanking(models.Model):
    """Top and bottom enterprises of a scope and month, kept with the rollups."""

    month = models.DateField("月份")
    above_only = models.BooleanField("仅规上")
    scope_kind = models.CharField("范围", max_length=10)
    scope_id = models.BigIntegerField("范围单位", default=0)
    figure = models.CharField("指标", max_length=30)
    data = models.JSONField("排名")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "above_only", "scope_kind", "scope_id", "figure"],
                name="rollup_ranking_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_kind}:{self.scope_id} {self.figure}"


class GrowthBasis(models.TextChoices):
    """Which enterprises a growth, contribution and pull count (criteria.md §6)."""

    COMPARABLE = "comparable", "可比口径"
    ALL = "all", "含新投产企业"


class HeadlineRevenue(models.TextChoices):
    AUTO = "auto", "自动（主营业务收入，无数据时用营业收入）"
    MAIN_REVENUE = "main_revenue", "主营业务收入"
    REVENUE = "revenue", "营业收入"


class MonitorSettings(CountySettings):
    """Thresholds for warnings and target colours; one row per county, edited by its office."""

    output_drop_pct = models.DecimalField("产值下降预警线（%）", max_digits=6, decimal_places=2, default=10)
    stalled_months = models.PositiveSmallIntegerField("停产判定（连续月数）", default=2)
    scale_threshold = models.DecimalField(
        "规上门槛（元）", max_digits=20, decimal_places=2, default=20_000_000
    )
    scale_margin_pct = models.DecimalField(
        "入规/退规观察范围（%）", max_digits=6, decimal_places=2, default=25
    )
    disagreement_pp = models.DecimalField(
        "电/税/产增速背离（个百分点）", max_digits=6, decimal_places=2, default=15
    )
    jump_pct = models.DecimalField("导入跳变提示（%）", max_digits=8, decimal_places=2, default=50)
    target_slight_pp = models.DecimalField(
        "目标略慢于序时（个百分点）", max_digits=6, decimal_places=2, default=5
    )
    growth_basis = models.CharField(
        "增速口径",
        max_length=20,
        choices=GrowthBasis.choices,
        default=GrowthBasis.COMPARABLE,
        help_text="可比口径：无上年同期数的新投产/新入统企业计入总量和占比，不计入增速；"
        "含新投产企业：其上年同期按0计入增速。每个增速旁都标明所用口径。",
    )
    headline_revenue = models.CharField(
        "驾驶舱收入指标",
        max_length=20,
        choices=HeadlineRevenue.choices,
        default=HeadlineRevenue.AUTO,
        help_text="只收到营业收入的县可选“营业收入”；“自动”在本月无主营业务收入数据时显示营业收入，并注明。",
    )
    history = HistoricalRecords(verbose_name="监测参数变更记录")

    class Meta:
        verbose_name = "监测参数"
        verbose_name_plural = "监测参数"
        constraints = [models.UniqueConstraint(fields=["county"], name="monitor_settings_one_per_county")]

    def __str__(self) -> str:
        return "监测参数"


class MonitorWarning(models.Model):
    """One enterprise flagged for one month: falling output, stalled, 退规 risk, 入规 candidate."""

    class Kind(models.TextChoices):
        OUTPUT_DROP = "output_drop", "产值下降"
        STALLED = "stalled", "停产/无数据"
        SCALE_DOWN = "scale_down", "退规风险"
        SCALE_UP = "scale_up", "入规潜力"

    month = models.DateField("月份")
    kind = models.CharField("预警类型", max_length=20, choices=Kind.choices)
    # No index of its own: the (enterprise, month) index below serves every lookup by enterprise,
    # and a month's refresh rewrites tens of thousands of warnings through each index it keeps.
    # No constraint in the database either: warnings are derived rows, rebuilt from the facts
    # (whose own enterprise constraint holds) at every refresh, and the constraint's check of each
    # new row locks its enterprise row, a quarter of a second for a 100,000-enterprise month.
    # Deleting an enterprise still deletes its warnings (Django's cascade).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    value = models.DecimalField("相关数值", **MONEY)
    reason = models.CharField("原因", max_length=300)

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = "运行预警"
        verbose_name_plural = "运行预警"
        indexes = [
            models.Index(fields=["month", "kind"], name="monitor_warning_month"),
            # A county's refresh replaces its enterprises' warnings of a month: one probe each,
            # whatever the planner believes of a month it has not analysed yet.
            models.Index(fields=["enterprise", "month"], name="monitor_warning_ent_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.enterprise_id}"


class AreaQuerySet(models.QuerySet):
    """Rows keyed by an area (scope_kind, scope_id): visible inside the user's jurisdiction."""

    def visible_to(self, user):
        from qiangxian.core.access import area_filter, scope_of

        return self.filter(area_filter(scope_of(user)))


class Target(models.Model):
    """An annual target for an indicator and group, with the unit responsible for it.

    ``issuer`` is the level that set it (a county's office, or a city's for its counties); the
    area it applies to is (scope_kind, scope_id): a county under a city is keyed by its id.
    """

    indicator = models.CharField("指标", max_length=50)
    year = models.PositiveSmallIntegerField("年度")
    scope_kind = models.CharField("范围", max_length=10, default="county")
    scope_id = models.BigIntegerField("范围单位", default=0)
    above_only = models.BooleanField("仅规上", default=True)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=2)
    responsible_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    issuer = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="下达单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="目标变更记录")

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["year", "indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator}"


class OfficialFigure(models.Model):
    """A figure published by the statistics bureau, shown beside (never mixed with) estimates."""

    indicator = models.CharField("指标", max_length=50)
    month = models.DateField("月份")
    scope_kind = models.CharField("范围", max_length=10, default="county")
    scope_id = models.BigIntegerField("范围单位", default=0)
    value = models.DecimalField("发布值", **MONEY)
    growth = models.DecimalField("发布增速", max_digits=10, decimal_places=4, null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="发布数变更记录")

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "统计局发布数"
        verbose_name_plural = "统计局发布数"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month", "scope_kind", "scope_id"], name="official_figure_unique"
            )
        ]
        ordering = ["-month", "indicator"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.indicator}"
