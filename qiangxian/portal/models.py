"""The enterprise's own accounts and what it asks of the county: registrations, record corrections,
and the data the office asks of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from qiangxian.enterprises.models.registry import EnterpriseChildQuerySet

from .choices import CorrectionState, DataRequestState, RegistrationState


class EnterpriseAccount(models.Model):
    """An enterprise user's place in its enterprise; its administrator adds and removes the others."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="enterprise_account",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="accounts"
    )
    is_admin = models.BooleanField("企业管理员", default=False)
    created_at = models.DateTimeField("开通时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="企业账号变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "企业账号"
        verbose_name_plural = "企业账号"
        ordering = ["enterprise", "-is_admin", "user__username"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.user}"


class Registration(ConcurrentTransitionMixin, models.Model):
    """An enterprise registering itself: its USCC, a contact and a phone; its town or the office decides."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="registrations"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18)
    contact_name = models.CharField("联系人", max_length=50)
    phone = models.CharField("手机号码", max_length=30)
    username = models.CharField("申请的用户名", max_length=150)
    # The password the applicant chose, hashed as Django stores passwords; it becomes the account's.
    password = models.CharField("密码", max_length=128, editable=False)
    state = FSMField(
        "状态",
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.SUBMITTED,
        protected=True,
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="开通的账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )
    history = HistoricalRecords(verbose_name="企业注册变更记录", excluded_fields=["password"])

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "企业注册申请"
        verbose_name_plural = "企业注册申请"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.username}"

    @transition(field=state, source=RegistrationState.SUBMITTED, target=RegistrationState.APPROVED)
    def approve(self) -> None:
        """通过: the account is opened."""

    @transition(field=state, source=RegistrationState.SUBMITTED, target=RegistrationState.REJECTED)
    def reject(self) -> None:
        """不通过, with the reason."""


class CorrectionRequest(ConcurrentTransitionMixin, models.Model):
    """The enterprise asks to correct its registry record; the office decides, the registry applies it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    # {field: value asked for} and the values on record when asked.
    changes = models.JSONField("申请更正为", default=dict)
    before = models.JSONField("原登记内容", default=dict)
    reason = models.CharField("更正理由", max_length=500)
    state = FSMField(
        "状态",
        max_length=20,
        choices=CorrectionState.choices,
        default=CorrectionState.SUBMITTED,
        protected=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="信息更正变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "企业信息更正申请"
        verbose_name_plural = "企业信息更正申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} · 信息更正"

    @transition(field=state, source=CorrectionState.SUBMITTED, target=CorrectionState.APPROVED)
    def approve(self) -> None:
        """采纳: the registry record is changed."""

    @transition(field=state, source=CorrectionState.SUBMITTED, target=CorrectionState.REJECTED)
    def reject(self) -> None:
        """不采纳, with the reason."""


class DataRequest(ConcurrentTransitionMixin, models.Model):
    """The office asks an enterprise for assessment data (e.g. for a tier application); the
    enterprise fills it in with evidence; the values count only once the office approves them."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="data_requests"
    )
    title = models.CharField("事项", max_length=100)
    year = models.PositiveSmallIntegerField("数据年度")
    note = models.CharField("说明", max_length=500, blank=True)
    due_on = models.DateField("填报截止日期", null=True, blank=True)
    state = FSMField(
        "状态",
        max_length=20,
        choices=DataRequestState.choices,
        default=DataRequestState.REQUESTED,
        protected=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("发起时间", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("填报时间", null=True, blank=True)
    evidence = models.FileField("证明材料", upload_to="portal/evidence/%Y/", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="数据填报变更记录")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "数据填报请求"
        verbose_name_plural = "数据填报请求"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"

    @transition(
        field=state,
        source=[DataRequestState.REQUESTED, DataRequestState.RETURNED],
        target=DataRequestState.SUBMITTED,
    )
    def submit(self) -> None:
        """填报: the enterprise sends its values and evidence."""

    @transition(field=state, source=DataRequestState.SUBMITTED, target=DataRequestState.RETURNED)
    def send_back(self) -> None:
        """退回补正, with the reason."""

    @transition(field=state, source=DataRequestState.SUBMITTED, target=DataRequestState.APPROVED)
    def approve(self) -> None:
        """采用: the values are written to the assessment data."""


class DataRequestItemQuerySet(EnterpriseChildQuerySet):
    scope_paths = {
        "town": "request__enterprise__town",
        "park": "request__enterprise__park",
        "zone": "request__enterprise__zone",
        "enterprise": "request__enterprise__org_unit",
    }
    enterprise_path = "request__enterprise_id"
    county_path = "request__enterprise__town__county"


class DataRequestItem(models.Model):
    """One indicator asked for, and the value the enterprise gave (pending until approved)."""

    request = models.ForeignKey(
        DataRequest, verbose_name="填报请求", on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.CharField("指标", max_length=80)
    label = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=20, blank=True)
    value = models.DecimalField("填报值", max_digits=20, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords(verbose_name="填报指标变更记录")

    objects = DataRequestItemQuerySet.as_manager()

    class Meta:
        verbose_name = "填报指标"
        verbose_name_plural = "填报指标"
        ordering = ["request", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "indicator"], name="portal_item_unique")]

    def __str__(self) -> str:
        return self.label
