"""Fulfilment (兑现): an application (or an auto-granted benefit), its evidence and its payment.

The lifecycle is declared with django-fsm-2; ``ConcurrentTransitionMixin`` refuses a transition
when the row's state changed since it was read, so two officers approving at once cannot both win.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from ..choices import ApplicationStatus as S
from ..choices import GrantMode
from ._scoping import EnterpriseBenefitQuerySet
from .library import MONEY


class Application(ConcurrentTransitionMixin, models.Model):
    """One enterprise's benefit under one clause version for one year.

    免申即享: created by matching in state 待企业确认; the enterprise (or its liaison) confirms
    willingness and the bank account. 快申快享: created by the enterprise's short form. Both then
    go to review, approval (or exclusion) and payment.
    """

    clause = models.ForeignKey(
        "policies.Clause", verbose_name="条款", on_delete=models.PROTECT, related_name="applications"
    )
    clause_version = models.ForeignKey(
        "policies.ClauseVersion",
        verbose_name="条款版本",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    match = models.ForeignKey(
        "policies.Match",
        verbose_name="匹配结果",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    year = models.PositiveIntegerField("年度")
    mode = models.CharField("兑现方式", max_length=20, choices=GrantMode.choices)
    status = FSMField(
        "状态", max_length=10, choices=S.choices, default=S.MATCHED, protected=False, db_index=True
    )
    estimated_amount = models.DecimalField("测算金额（元）", **MONEY, default=0)
    declared_base = models.DecimalField("申报基数（元）", **MONEY, null=True, blank=True)
    approved_amount = models.DecimalField("核定金额（元）", **MONEY, null=True, blank=True)
    trace = models.JSONField("判定依据", default=list, blank=True)
    form_data = models.JSONField("申报信息", default=dict, blank=True)
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    bank_account = models.CharField("银行账号", max_length=40, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认/申报时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf = models.BooleanField("包联干部代为确认", default=False)
    review_deadline = models.DateField("审核时限", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField("退回原因", blank=True)
    exclusion_reason = models.TextField("不予兑现原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="兑现办理记录", excluded_fields=["updated_at"])

    objects = EnterpriseBenefitQuerySet.as_manager()

    class Meta:
        verbose_name = "兑现办理"
        verbose_name_plural = "兑现办理"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "enterprise", "year"], name="application_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.clause}（{self.year}年）"

    @transition(field=status, source=[S.MATCHED, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        """Willingness confirmed (免申即享) or the form submitted / resubmitted (快申快享)."""

    @transition(field=status, source=S.SUBMITTED, target=S.RETURNED)
    def return_for_correction(self):
        """Sent back to the enterprise with reasons (快申快享)."""

    @transition(field=status, source=S.SUBMITTED, target=S.APPROVED)
    def approve(self):
        """Approved with an amount."""

    @transition(field=status, source=[S.MATCHED, S.SUBMITTED], target=S.EXCLUDED)
    def exclude(self):
        """Excluded from the batch with a reason."""

    @transition(field=status, source=S.APPROVED, target=S.PAID)
    def pay(self):
        """The money was paid (a Payment is recorded)."""


def evidence_path(instance, filename: str) -> str:
    # Stored by application, under a name the server chooses (never the uploaded one).
    return f"policies/evidence/{instance.application_id}/{filename}"


class Evidence(models.Model):
    """A supporting document of a 快申快享 application, stored via Django's storage, not in the database."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="材料变更记录")

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Payment(models.Model):
    """Money paid to an enterprise for an approved application (amount ≤ the approved amount)."""

    application = models.OneToOneField(
        Application, verbose_name="兑现办理", on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField("拨付金额（元）", **MONEY)
    paid_on = models.DateField("拨付日期")
    voucher_number = models.CharField("凭证号", max_length=60)
    paying_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="拨付单位", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="拨付变更记录")

    class Meta:
        verbose_name = "资金拨付"
        verbose_name_plural = "资金拨付"
        ordering = ["-paid_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} 拨付 {self.amount}"
