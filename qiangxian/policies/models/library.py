"""The policy library: a policy document, its clauses, and each clause's dated versions.

A clause's eligibility and benefit live on a :class:`ClauseVersion`; editing a clause adds a
version effective from a date, so a decision (an application) keeps pointing at the version it
was made under and never changes afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qiangxian.core.access import ScopedQuerySet, issued_filter, scope_of

from ..choices import BenefitKind, ExclusionRule, GrantMode, PolicyLevel, PolicyStatus

MONEY = {"max_digits": 16, "decimal_places": 2}


class PolicyQuerySet(ScopedQuerySet):
    """Published policies are public to every signed-in user; drafts to the office and the
    bureaus responsible for them."""

    def visible_to(self, user):
        scope = scope_of(user)
        # Inside a county boundary: the county's own policies and those of the city and province
        # above it (a city policy applies in all its counties, a county's only in that county).
        issued = self.filter(issued_filter(scope, "issuer"))
        if scope.everything:
            return issued
        if user is None or not user.is_authenticated:
            return self.none()
        condition = Q(status=PolicyStatus.PUBLISHED)
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition |= Q(responsible_units=scope.unit_id)
        return issued.filter(condition).distinct()


class ClauseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(policy__in=Policy.objects.visible_to(user).values("pk"))


class Policy(models.Model):
    """A policy document (惠企政策) with its 兑现指南."""

    title = models.CharField("政策名称", max_length=200)
    issuer = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="发文单位（本县）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_policies",
    )
    issuer_name = models.CharField("发文机关", max_length=200, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    level = models.CharField("层级", max_length=10, choices=PolicyLevel.choices, default=PolicyLevel.COUNTY)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("有效期至", null=True, blank=True)
    full_text = models.TextField("政策原文", blank=True)
    responsible_units = models.ManyToManyField(
        "core.OrgUnit", verbose_name="责任单位", blank=True, related_name="responsible_policies"
    )
    status = models.CharField(
        "状态", max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT, db_index=True
    )
    cap_per_enterprise_year = models.DecimalField(
        "同一企业年度奖补上限（元）", **MONEY, null=True, blank=True
    )
    # 兑现指南: who, what, when, where, contact.
    guide_who = models.TextField("兑现指南：适用对象", blank=True)
    guide_what = models.TextField("兑现指南：支持内容", blank=True)
    guide_when = models.TextField("兑现指南：办理时间", blank=True)
    guide_where = models.TextField("兑现指南：办理地点与方式", blank=True)
    guide_contact = models.CharField("兑现指南：咨询电话", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="政策变更记录", excluded_fields=["updated_at"])

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"
        ordering = ["-effective_from", "title"]

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    """One benefit inside a policy (政策条款); its rules are on its versions."""

    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField("条款序号", max_length=30, blank=True)
    title = models.CharField("条款名称", max_length=200)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_published = models.BooleanField("已确认发布", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="条款变更记录")

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = "政策条款"
        verbose_name_plural = "政策条款"
        ordering = ["policy", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def version_on(self, day):
        """The version in force on ``day`` (the latest effective_from not after it), or None."""
        versions = [v for v in self.versions.all() if v.effective_from <= day]
        return max(versions, key=lambda v: (v.effective_from, v.pk)) if versions else None


class ClauseVersion(models.Model):
    """A clause's rules from a date: eligibility, benefit, mode, window, units, exclusions."""

    clause = models.ForeignKey(Clause, verbose_name="条款", on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField("生效日期")
    quote = models.TextField("原文摘录")
    eligibility = models.TextField("享受条件（规则表达式）")
    benefit_kind = models.CharField("奖补方式", max_length=10, choices=BenefitKind.choices)
    benefit_amount = models.DecimalField("定额（元）", **MONEY, null=True, blank=True)
    benefit_rate = models.DecimalField("比例", max_digits=8, decimal_places=6, null=True, blank=True)
    benefit_base = models.CharField("计算基数（规则表达式）", max_length=500, blank=True)
    benefit_tiers = models.JSONField("分档（基数门槛 元 → 金额 元）", default=list, blank=True)
    cap_per_enterprise_year = models.DecimalField("单个企业年度上限（元）", **MONEY, null=True, blank=True)
    budget = models.DecimalField("条款年度预算（元）", **MONEY, null=True, blank=True)
    mode = models.CharField(
        "兑现方式", max_length=20, choices=GrantMode.choices, default=GrantMode.AUTO_GRANT
    )
    window_from = models.DateField("申报开始", null=True, blank=True)
    window_to = models.DateField("申报截止", null=True, blank=True)
    documents_required = models.JSONField("所需材料", default=list, blank=True)
    review_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="审核单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paying_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="拨付单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_days = models.PositiveIntegerField("审核时限（工作日）", default=15)
    exclusion_group = models.CharField("互斥组", max_length=50, blank=True)
    exclusion_rule = models.CharField(
        "互斥规则", max_length=10, choices=ExclusionRule.choices, default=ExclusionRule.STACK
    )
    note = models.CharField("修订说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修订人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("修订时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="条款版本变更记录")

    class Meta:
        verbose_name = "条款版本"
        verbose_name_plural = "条款版本"
        ordering = ["clause", "-effective_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.clause}（{self.effective_from:%Y-%m-%d}起）"

    def window_open(self, day) -> bool:
        """Whether an application may be made on ``day``."""
        return (self.window_from is None or self.window_from <= day) and (
            self.window_to is None or day <= self.window_to
        )
