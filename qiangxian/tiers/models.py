"""Assessment data (评价数据): what the office records per enterprise for the tier criteria.

The statistics carry revenue, R&D expense, employees, the balance sheet and IP counts; the tier
criteria also ask for figures no statistical return holds (years in a niche market, the SRDI
quality score, equity financing, market shares and ranks...), for facts that are held or not
(a provincial R&D centre, being on the abnormal-operations list) and for a person's judgement
of a qualitative criterion ("market share relatively high"). Each is one row here, entered by
the office with its source, kept with its history, scoped like the enterprise it belongs to.
Unknown stays unknown: a missing row is "no data", never a default value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.enterprises.models.registry import EnterpriseChildQuerySet


class AssessmentValue(models.Model):
    """One indicator value for one enterprise and year, in the engine's units (元, fraction, 人...)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="assessment_values",
    )
    indicator = models.CharField("指标", max_length=64, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("数值", max_digits=20, decimal_places=6)
    source_note = models.CharField("数据来源", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)
    history = HistoricalRecords(verbose_name="评价数据变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "评价数据"
        verbose_name_plural = "评价数据"
        ordering = ["enterprise_id", "indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "year"], name="assessment_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.indicator} {self.year}"


class AssessmentDesignation(models.Model):
    """Whether an enterprise holds a qualification the registry does not track (研发机构, 信用名单...)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="assessment_designations",
    )
    name = models.CharField("资质或事项", max_length=64)
    held = models.BooleanField("是否具备")
    valid_to = models.DateField("有效期止", null=True, blank=True, help_text="留空表示长期有效。")
    evidence = models.CharField(
        "依据", max_length=300, blank=True, help_text="如文件号、证书编号、查询日期。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now=True)
    history = HistoricalRecords(verbose_name="资质记录变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "资质记录"
        verbose_name_plural = "资质记录"
        ordering = ["enterprise_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="assessment_designation_unique")
        ]
        # The snapshot reads every enterprise's records of the names a rule set uses.
        indexes = [
            models.Index(
                fields=["name", "enterprise", "held", "valid_to"], name="assessment_designation_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.name}"


class AssessmentJudgement(models.Model):
    """A person's recorded judgement of a qualitative criterion (人工判断("...")) for one enterprise."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="assessment_judgements",
    )
    criterion = models.CharField("判断事项", max_length=500)
    satisfied = models.BooleanField("判断结果")
    reason = models.CharField("判断依据", max_length=500)
    judged_on = models.DateField("判断日期")
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="判断人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="人工判断变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "人工判断"
        verbose_name_plural = "人工判断"
        ordering = ["enterprise_id", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "criterion"], name="assessment_judgement_unique")
        ]
        # The snapshot reads one criterion at a time for all enterprises.
        indexes = [
            models.Index(
                fields=["criterion", "enterprise", "judged_on", "satisfied"], name="assessment_judgement_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.criterion[:20]}"


class AssessmentAward(models.Model):
    """A science and technology award (科技奖励) with its level, the enterprise's rank and its date.

    The criteria ask for an award "within the last three (five) years": that is worked out from
    ``awarded_on`` and the evaluation date, so the same record counts on one date and not on a
    later one (tiers.AWARD_DESIGNATIONS).
    """

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="assessment_awards",
    )
    name = models.CharField("奖项名称", max_length=200, help_text="如：省科学技术进步奖二等奖。")
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    rank = models.PositiveSmallIntegerField(
        "在获奖单位中的排名", null=True, blank=True, help_text="第几完成单位；不清楚留空。"
    )
    awarded_on = models.DateField("授奖日期")
    evidence = models.CharField("依据", max_length=300, blank=True, help_text="如：授奖文件号、证书编号。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now=True)
    history = HistoricalRecords(verbose_name="科技奖励变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "科技奖励"
        verbose_name_plural = "科技奖励"
        ordering = ["enterprise_id", "-awarded_on"]
        indexes = [models.Index(fields=["enterprise", "awarded_on"], name="assessment_award_date")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.name}"
