"""The per-mu evaluation (亩均效益综合评价): yearly versioned schemes, runs, results and objections."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from qiangxian.core.access import IssuedQuerySet, ScopedQuerySet, issued_filter, issued_label, scope_of
from qiangxian.core.choices import OrgUnitKind

from ..choices import (
    AdjustmentKind,
    BenchmarkKind,
    Category,
    CutoffMode,
    Grade,
    Method,
    MissingRule,
    ObjectionState,
    RunKind,
    RunState,
    SchemeStatus,
)
from ..grading import INPUTS


class SchemeQuerySet(IssuedQuerySet):
    """Schemes issued by a county, its city or its province (``county`` is the issuing unit).

    A county reads its own and the adopted schemes issued above it (a level's drafts are its own
    business); a city or province office reads its own and those of the counties below.
    """

    issuer_field = "county"

    def visible_to(self, user):
        scope = scope_of(user)
        if not (scope.everything or scope.kind):
            return self.none()
        drafts_above = Q(status=SchemeStatus.DRAFT, county__kind__in=(OrgUnitKind.CITY, OrgUnitKind.PROVINCE))
        if scope.above_counties:
            drafts_above &= ~Q(county=scope.unit_id)
        return self.filter(issued_filter(scope, self.issuer_field)).exclude(drafts_above)


class Scheme(models.Model):
    """An evaluation scheme for one year, in numbered versions (草稿 → 已启用), issued by a county,
    a city or a province: a county evaluates with its own adopted scheme of the year, else its
    city's, else its province's (``services.evaluation.applicable_scheme``)."""

    year = models.PositiveSmallIntegerField("评价年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    name = models.CharField("方案名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_weight = models.DecimalField("权重合计", max_digits=6, decimal_places=2, default=Decimal(100))
    small_land_mu = models.DecimalField(
        "规下企业用地门槛（亩）", max_digits=6, decimal_places=2, default=Decimal(3)
    )
    sqm_per_mu = models.DecimalField(
        "租用厂房折算（平方米/亩）",
        max_digits=8,
        decimal_places=2,
        default=Decimal("666.67"),
        help_text="租用建筑面积按此折算为用地面积",
    )
    exempt_years = models.PositiveSmallIntegerField(
        "新办企业免评年限（年）", default=2, help_text="成立不满此年限的企业及在建地块企业不参评"
    )
    cutoff_mode = models.CharField(
        "分类方式", max_length=10, choices=CutoffMode.choices, default=CutoffMode.RANK
    )
    notes = models.TextField("说明", blank=True)
    # The issuing unit (a county, city or province): versions are numbered within it.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="发布单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="评价方案变更记录")
    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "评价方案"
        verbose_name_plural = "评价方案"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "version"], name="land_scheme_county_year_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def issued_above(self) -> bool:
        """Issued by a city or province (applies to the counties below without their own)."""
        return self.county_id is not None and self.county.kind in (OrgUnitKind.CITY, OrgUnitKind.PROVINCE)

    @property
    def issuer_label(self) -> str:
        """The label "市级方案（测试市发布）" for a scheme issued above a county; empty for a county's own."""
        return issued_label(self.county, "方案") if self.issued_above else ""


class SchemeIndicator(models.Model):
    """One indicator of one category in a scheme: weight, scoring method and benchmark."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="indicators"
    )
    category = models.CharField("企业类别", max_length=12, choices=Category.choices)
    code = models.CharField("指标", max_length=30)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)
    method = models.CharField("计分方法", max_length=10, choices=Method.choices, default=Method.RATIO)
    cap = models.DecimalField(
        "封顶倍数",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        help_text="单项得分不超过权重的倍数",
    )
    benchmark_kind = models.CharField(
        "基准值", max_length=10, choices=BenchmarkKind.choices, default=BenchmarkKind.COUNTY
    )
    benchmark_value = models.DecimalField(
        "固定基准值", max_digits=16, decimal_places=4, null=True, blank=True
    )
    missing = models.CharField(
        "缺少数据时",
        max_length=10,
        choices=MissingRule.choices,
        default=MissingRule.ZERO,
        help_text="企业缺少该项数据（如无排放数据）时计 0 分，或按平均分计（得该项权重分）",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords(verbose_name="评价指标变更记录")

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["scheme", "category", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "category", "code"], name="land_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.code}"


class GradeBand(models.Model):
    """A class's cut-off (score band, or rank percentile band) and the measures attached to it."""

    scheme = models.ForeignKey(Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="bands")
    grade = models.CharField("类别", max_length=1, choices=Grade.choices)
    lower = models.DecimalField("下限", max_digits=8, decimal_places=2)
    upper = models.DecimalField("上限", max_digits=8, decimal_places=2)
    measures = models.TextField(
        "差别化措施", blank=True, help_text="每行一项，如：差别化电价 +0.10 元/千瓦时"
    )
    history = HistoricalRecords(verbose_name="分类标准变更记录")

    class Meta:
        verbose_name = "分类标准"
        verbose_name_plural = "分类标准"
        ordering = ["scheme", "grade"]
        constraints = [models.UniqueConstraint(fields=["scheme", "grade"], name="land_band_unique")]

    def __str__(self) -> str:
        return f"{self.grade}类 {self.lower}–{self.upper}"


class SchemeAdjustment(models.Model):
    """A bonus item (points added) or a veto item (the class is held at or below a given class)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField("类型", max_length=10, choices=AdjustmentKind.choices)
    name = models.CharField("名称", max_length=100)
    points = models.DecimalField("加分", max_digits=6, decimal_places=2, default=Decimal(0))
    grade_cap = models.CharField(
        "最高评为", max_length=1, choices=Grade.choices, blank=True, help_text="否决项：最高只能评为该类"
    )
    history = HistoricalRecords(verbose_name="加分否决项变更记录")

    class Meta:
        verbose_name = "加分/否决项"
        verbose_name_plural = "加分/否决项"
        ordering = ["scheme", "kind", "pk"]

    def __str__(self) -> str:
        return self.name


class AdjustmentRecordQuerySet(ScopedQuerySet):
    scope_paths = {"park": "enterprise__park", "zone": "enterprise__zone", "town": "enterprise__town"}


class AdjustmentRecord(models.Model):
    """That a bonus or veto item applies to an enterprise in a year (entered by the office)."""

    year = models.PositiveSmallIntegerField("年度")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("事项", max_length=100, help_text="与方案中加分/否决项名称一致")
    source = models.CharField("依据", max_length=300)
    history = HistoricalRecords(verbose_name="加分否决记录变更记录")

    objects = AdjustmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "加分/否决记录"
        verbose_name_plural = "加分/否决记录"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "enterprise", "name"], name="land_adjustment_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class EvaluationRun(models.Model):
    """One grading of a year under a scheme: the official run goes 测算中 → 公示中 → 已定档."""

    scheme = models.ForeignKey(Scheme, verbose_name="方案", on_delete=models.PROTECT, related_name="runs")
    # The county graded: the scheme's own, or the county that evaluates with a scheme its city or
    # province issued.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="评价县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("评价年度")
    kind = models.CharField("类型", max_length=10, choices=RunKind.choices, default=RunKind.OFFICIAL)
    state = FSMField("状态", max_length=10, choices=RunState.choices, default=RunState.DRAFT, protected=False)
    compared_to = models.ForeignKey(
        "self", verbose_name="对照评价", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The scheme as graded (indicators, weights, benchmarks), so a result is explained by the
    # scheme it was computed under even after the scheme changes.
    layout = models.JSONField("计算口径", default=dict)
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    finalized_at = models.DateTimeField("定档时间", null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="评价批次变更记录", excluded_fields=["layout"])

    class Meta:
        verbose_name = "评价批次"
        verbose_name_plural = "评价批次"
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}（{self.scheme.name}）"

    @transition(field=state, source=RunState.DRAFT, target=RunState.NOTICE)
    def publish(self, *, start, until):
        """Publish the provisional results for the notice period (公示)."""
        self.notice_from = start
        self.notice_until = until

    @transition(field=state, source=RunState.NOTICE, target=RunState.FINAL)
    def finalize(self, *, at):
        """Freeze the results (定档): nothing changes them afterwards."""
        self.finalized_at = at


# The input codes kept on a result, each in the column ``input_<code>``.
RESULT_INPUTS = tuple(INPUTS)


class ResultQuerySet(ScopedQuerySet):
    scope_paths = {"park": "park", "zone": "zone", "town": "town", "enterprise": "enterprise__org_unit"}
    bureau_reads_all = True


class EvaluationResult(models.Model):
    """An enterprise's grade in a run, with the trace that explains every point."""

    # A run's 100,000 results are written at once, and each index and foreign-key check costs
    # time on that write: no index of their own on the run and the park (which lead the (run,
    # grade) and (run, park) indexes), on the enterprise (which leads the (enterprise, run)
    # constraint, serving an enterprise's results over the years), nor on the zone and the town
    # (a zone or town user's list is one run's rows; SET_NULL on deleting a zone or town scans
    # the table, a rare event). No foreign-key constraint in the database either (checking five
    # per row at commit took longer than the write on PostgreSQL): results are derived data,
    # written only by ``services.evaluation.store_results`` from ids read in the same
    # transaction, and the ORM still cascades and clears them (on_delete) when a run, an
    # enterprise or a unit is deleted.
    run = models.ForeignKey(
        EvaluationRun,
        verbose_name="评价批次",
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="land_results",
        db_index=False,
        db_constraint=False,
    )
    park = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    zone = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    town = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category = models.CharField("企业类别", max_length=12, choices=Category.choices)
    exempt = models.BooleanField("免评", default=False)
    land_mu = models.FloatField("计算用地（亩）", null=True)
    score = models.FloatField("得分", null=True)
    rank = models.PositiveIntegerField("类内排名", null=True)
    grade = models.CharField("评价类别", max_length=1, choices=Grade.choices, blank=True)
    previous_grade = models.CharField("上年类别", max_length=1, blank=True)
    vetoed = models.CharField("否决事项", max_length=200, blank=True)
    # The grading's inputs at full precision (NULL: not reported), so each indicator's value is
    # worked out again from them exactly as graded: plain columns, which a bulk write of 100,000
    # rows takes as numbers (no JSON text built and parsed per row) and aggregates can sum.
    input_tax = models.FloatField("税收（元）", null=True)
    input_revenue = models.FloatField("营业收入（元）", null=True)
    input_output = models.FloatField("工业总产值（元）", null=True)
    input_energy = models.FloatField("综合能耗（吨标准煤）", null=True)
    input_employees = models.FloatField("从业人员（人）", null=True)
    input_rd = models.FloatField("R&D经费支出（元）", null=True)
    input_kwh = models.FloatField("用电量（千瓦时）", null=True)
    input_emissions = models.FloatField("主要污染物排放量（吨）", null=True)
    input_land = models.FloatField("计算用地（亩，未取整）", null=True)
    # {"points": [...], "bonus": x} aligned with the run's layout for the category; the values
    # and benchmarks are added when shown (``selectors.full_trace``). Results of runs stored
    # before the inputs had columns may carry "values" and "benchmarks" here as well.
    trace = models.JSONField("计算过程", default=dict)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = "评价结果"
        verbose_name_plural = "评价结果"
        ordering = ["run", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "run"], name="land_result_unique")]
        indexes = [models.Index(fields=["run", "grade"]), models.Index(fields=["run", "park"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.grade or '—'}"

    @property
    def inputs(self) -> dict[str, float | None]:
        """The grading's inputs by input code (``grading.INPUTS``), NULL as None."""
        return {code: getattr(self, f"input_{code}") for code in RESULT_INPUTS}


class InputCorrection(models.Model):
    """A corrected input of an enterprise for a year, from an objection's ruling; read by every later run."""

    year = models.PositiveSmallIntegerField("年度")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+"
    )
    input_code = models.CharField("数据项", max_length=30)
    value = models.FloatField("更正后数值")
    objection = models.ForeignKey(
        "Objection", verbose_name="依据异议", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(verbose_name="数据更正记录")

    class Meta:
        verbose_name = "数据更正"
        verbose_name_plural = "数据更正"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "enterprise", "input_code"], name="land_correction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.input_code}"


class ObjectionQuerySet(ScopedQuerySet):
    scope_paths = {
        "park": "enterprise__park",
        "zone": "enterprise__zone",
        "town": "enterprise__town",
        "enterprise": "enterprise__org_unit",
    }


class Objection(models.Model):
    """An enterprise's objection to one input of its provisional result, and the office's ruling."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name="评价批次", on_delete=models.PROTECT, related_name="objections"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+"
    )
    input_code = models.CharField("异议数据项", max_length=30)
    recorded_value = models.FloatField("公示数值", null=True)
    claimed_value = models.FloatField("企业主张数值")
    reason = models.CharField("异议理由", max_length=500)
    evidence = models.CharField("证明材料", max_length=500, help_text="材料名称、文号或存放位置")
    filed_by = models.ForeignKey(
        "core.User", verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField("办公室代为提出", default=False)
    filed_on = models.DateField("提出日期")
    state = FSMField(
        "状态", max_length=10, choices=ObjectionState.choices, default=ObjectionState.FILED, protected=False
    )
    ruling = models.CharField("裁定意见", max_length=500, blank=True)
    ruled_by = models.ForeignKey(
        "core.User", verbose_name="裁定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruled_on = models.DateField("裁定日期", null=True, blank=True)
    grade_before = models.CharField("更正前类别", max_length=1, blank=True)
    grade_after = models.CharField("更正后类别", max_length=1, blank=True)
    history = HistoricalRecords(verbose_name="异议变更记录")

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.input_code}"

    @transition(field=state, source=ObjectionState.FILED, target=ObjectionState.CORRECTED)
    def correct(self, *, by, on, ruling):
        """Upheld: the input is corrected."""
        self.ruled_by, self.ruled_on, self.ruling = by, on, ruling

    @transition(field=state, source=ObjectionState.FILED, target=ObjectionState.REJECTED)
    def reject(self, *, by, on, ruling):
        """Rejected with a reason."""
        self.ruled_by, self.ruled_on, self.ruling = by, on, ruling
