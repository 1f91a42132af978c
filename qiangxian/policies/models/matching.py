"""Match runs (政策找人): every open clause against every enterprise, recorded as one run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet, county_filter, scope_of
from qiangxian.enterprises.models.registry import EnterpriseChildQuerySet

from ..choices import MatchOutcome, RunStatus
from ._scoping import EnterpriseBenefitQuerySet
from .library import MONEY


class MatchRunQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # A run is county-wide; its matches are scoped row by row. Enterprise users see matches only.
        scope = scope_of(user)
        if scope.everything or scope.kind in ("bureau", "town", "park", "zone"):
            return self.filter(county_filter(scope, "county"))
        return self.none()


class MatchRun(models.Model):
    """One recorded matching: which clause versions, data as of which date, how many matched."""

    as_of = models.DateField("数据截至")
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    versions = models.JSONField("条款版本", default=dict)  # clause id -> version id
    enterprise_count = models.PositiveIntegerField("企业数", default=0)
    clause_count = models.PositiveIntegerField("条款数", default=0)
    met_count = models.PositiveIntegerField("符合", default=0)
    near_count = models.PositiveIntegerField("接近", default=0)
    unknown_count = models.PositiveIntegerField("待定", default=0)
    total_amount = models.DecimalField("测算金额（元）", **MONEY, default=0)
    seconds = models.FloatField("用时（秒）", default=0)
    # Whether the results are also kept per block of enterprises (EnterpriseSlice); older runs are not.
    sliced = models.BooleanField("按企业分段", default=False)
    error = models.TextField("错误", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField("发起时间", auto_now_add=True)
    # The county whose enterprises were matched (empty in a lone-county installation).
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="匹配记录变更")

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        verbose_name = "政策匹配"
        verbose_name_plural = "政策匹配"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d} 政策匹配"


class Match(models.Model):
    """One enterprise against one clause in a run: 符合 / 待定 / near miss (不符合 but close).

    Only met, unknown and near-miss rows are stored: "ineligible" needs no row, while "eligible
    for 0" is a met row with amount 0.
    """

    run = models.ForeignKey(MatchRun, verbose_name="匹配", on_delete=models.CASCADE, related_name="matches")
    clause = models.ForeignKey(
        "policies.Clause", verbose_name="条款", on_delete=models.CASCADE, related_name="+"
    )
    clause_version = models.ForeignKey(
        "policies.ClauseVersion", verbose_name="条款版本", on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="policy_matches"
    )
    outcome = models.CharField("结果", max_length=10, choices=MatchOutcome.choices)
    near = models.BooleanField("接近符合", default=False)
    gross_amount = models.DecimalField("测算金额（封顶前，元）", **MONEY, null=True, blank=True)
    amount = models.DecimalField("预计可享（元）", **MONEY, null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    missing = models.CharField("缺少的数据", max_length=500, blank=True)
    gap = models.CharField("差距", max_length=500, blank=True)

    objects = EnterpriseBenefitQuerySet.as_manager()

    class Meta:
        verbose_name = "匹配结果"
        verbose_name_plural = "匹配结果"
        ordering = ["run", "clause", "enterprise"]
        indexes = [
            models.Index(fields=["run", "clause", "outcome"]),
            models.Index(fields=["run", "enterprise"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} × {self.clause_id}：{self.get_outcome_display()}"


class ClauseOutcome(models.Model):
    """One clause's results in a run, packed: the stored rows (met, unknown for want of data, near
    misses) as arrays, with the numbers the gap and missing-data texts are written from.

    A run of 100 clauses over 100,000 enterprises is 100 of these rather than ~700,000 rows;
    :class:`Match` rows are written from them only where a list, an export or a notice needs one.
    """

    run = models.ForeignKey(MatchRun, verbose_name="匹配", on_delete=models.CASCADE, related_name="outcomes")
    clause = models.ForeignKey(
        "policies.Clause", verbose_name="条款", on_delete=models.CASCADE, related_name="+"
    )
    clause_version = models.ForeignKey(
        "policies.ClauseVersion", verbose_name="条款版本", on_delete=models.PROTECT, related_name="+"
    )
    met_count = models.PositiveIntegerField("符合", default=0)
    near_count = models.PositiveIntegerField("接近", default=0)
    unknown_count = models.PositiveIntegerField("待定", default=0)
    cost = models.DecimalField("测算金额（元）", **MONEY, default=0)
    layout = models.JSONField("数组布局", default=list)  # [[name, dtype, length], ...] in ``data`` order
    texts = models.JSONField("文字", default=dict)  # gap parts, missing-data labels, notes
    data = models.BinaryField("数组")
    materialised = models.BooleanField("已展开为逐企业记录", default=False)

    class Meta:
        verbose_name = "条款匹配结果"
        verbose_name_plural = "条款匹配结果"
        ordering = ["run", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "clause"], name="policies_outcome_run_clause")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.clause_id}"


class EnterpriseSlice(models.Model):
    """The same kept results of a run, grouped by enterprise: every result of the enterprises whose
    id falls in one block of 2**SLICE_BITS ids, packed with the clause of each row, in enterprise
    order. One enterprise's page reads one of these instead of every clause's arrays.
    """

    run = models.ForeignKey(MatchRun, verbose_name="匹配", on_delete=models.CASCADE, related_name="slices")
    block = models.PositiveIntegerField("企业编号段")
    layout = models.JSONField("数组布局", default=list)
    # clause id -> the texts of its packed row (gap parts, missing-data labels, notes), so reading
    # a slice needs no clause row: on SQLite a clause row's columns after its arrays are slow to reach.
    texts = models.JSONField("文字", default=dict)
    data = models.BinaryField("数组")

    class Meta:
        verbose_name = "企业匹配结果分段"
        verbose_name_plural = "企业匹配结果分段"
        ordering = ["run", "block"]
        constraints = [models.UniqueConstraint(fields=["run", "block"], name="policies_slice_run_block")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.block}"


class MatchAlert(models.Model):
    """That an enterprise was told it meets (or is close to) a clause: told once, not on every run."""

    class Kind(models.TextChoices):
        MET = "met", "符合"
        NEAR = "near", "接近符合"

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="policy_alerts"
    )
    clause = models.ForeignKey(
        "policies.Clause", verbose_name="条款", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("提醒类型", max_length=10, choices=Kind.choices)
    run = models.ForeignKey(MatchRun, verbose_name="匹配", on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "政策匹配提醒"
        verbose_name_plural = "政策匹配提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "clause", "kind"], name="policies_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} × {self.clause_id}：{self.get_kind_display()}"
