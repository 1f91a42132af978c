"""Demands (诉求): what an enterprise needs, routed to the unit that holds the lever, timed step by step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from qiangxian.core.access import CountyQuerySet, county_filter, county_path_of, scope_filter, scope_of

from ..choices import Channel, DemandCategory, DemandState, ExtensionStatus, Rating, StepKind


class RoutingRule(models.Model):
    """Which unit leads on a category, who supports it, and its deadlines in working days (office edits).

    A county's rule names its units. A rule issued by a city or province (applying to the
    counties below without their own) names them by their name within a county, "自然资源局":
    each county's demands go to that county's unit of the name (``services.demands.rule_units``).
    """

    category = models.CharField("类别", max_length=20, choices=DemandCategory.choices)
    # The issuing level: a county routes its own demands; a city's or province's rule routes
    # those of the counties below that have none of their own.
    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="发布单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    supporting_units = models.ManyToManyField(
        "core.OrgUnit", verbose_name="配合单位", blank=True, related_name="supporting_routing_rules"
    )
    lead_name = models.CharField(
        "牵头单位名称",
        max_length=50,
        blank=True,
        help_text="市级、省级规则：各县该名称的单位牵头，如：自然资源局",
    )
    supporting_names = models.CharField(
        "配合单位名称",
        max_length=300,
        blank=True,
        help_text="市级、省级规则：各县这些名称的单位配合，以顿号分隔",
    )
    sign_days = models.PositiveSmallIntegerField("签收时限（工作日）", default=1)
    response_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=5)
    complete_days = models.PositiveSmallIntegerField("办结时限（工作日）", default=10)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="分办规则变更记录")
    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = "分办规则"
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["county", "category"], name="routing_rule_county_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.lead_unit or self.lead_name}"

    @property
    def supporting_name_list(self) -> list[str]:
        return [n for n in self.supporting_names.split("、") if n]


class DemandQuerySet(models.QuerySet):
    scope_paths = {
        "town": "enterprise__town",
        "park": "enterprise__park",
        "zone": "enterprise__zone",
        "enterprise": "enterprise__org_unit",
    }

    def visible_to(self, user):
        """A town/park sees its enterprises' demands, an enterprise its own, a bureau what is routed
        to it (lead or supporting); every official also sees the demands they recorded."""
        scope = scope_of(user)
        if scope.everything:
            return self.filter(county_filter(scope, county_path_of(self.model)))
        if user is None or not user.is_authenticated:
            return self.none()
        if scope.kind == "bureau" and scope.unit_id is not None:
            condition = Q(lead_unit_id=scope.unit_id) | Q(
                pk__in=Demand.supporting_units.through.objects.filter(orgunit_id=scope.unit_id).values(
                    "demand_id"
                )
            )
        else:
            condition = scope_filter(scope, self.scope_paths)
        return self.filter(condition | Q(created_by_id=user.pk))


class Demand(models.Model):
    """One enterprise demand, from intake to archive; the state moves only through the transitions below."""

    code = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField("诉求", max_length=200)
    description = models.TextField("具体内容", blank=True)
    category = models.CharField("类别", max_length=20, choices=DemandCategory.choices, db_index=True)
    sub_category = models.CharField("子类", max_length=50, blank=True)
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用“；”分隔")
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices, default=Channel.OFFICE)
    visit = models.ForeignKey(
        "service.Visit",
        verbose_name="来自走访",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    external_no = models.CharField("12345工单号", max_length=40, blank=True, db_index=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    wanted_by = models.DateField("企业期望解决时间", null=True, blank=True)

    state = FSMField(
        "状态", max_length=20, choices=DemandState.choices, default=DemandState.ACCEPTED, protected=True
    )
    lead_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_demands",
    )
    supporting_units = models.ManyToManyField(
        "core.OrgUnit", verbose_name="配合单位", blank=True, related_name="supported_demands"
    )

    accepted_at = models.DateTimeField("受理时间")
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    # The month a demand is counted in the league table: the month it was first assigned.
    month = models.DateField("统计月份", null=True, blank=True)
    sign_due = models.DateField("签收时限", null=True, blank=True)
    response_due = models.DateField("答复时限", null=True, blank=True)
    complete_due = models.DateField("办结时限", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_on_time = models.BooleanField("按时签收", null=True, blank=True)
    responded_at = models.DateTimeField("首次答复时间", null=True, blank=True)
    responded_on_time = models.BooleanField("按时答复", null=True, blank=True)
    answered_at = models.DateTimeField("办结时间", null=True, blank=True)
    answer = models.TextField("办结答复", blank=True)
    answered_on_time = models.BooleanField("按时办结", null=True, blank=True)
    days_to_answer = models.PositiveIntegerField("办理用时（工作日）", null=True, blank=True)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评价人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_on_behalf = models.BooleanField("代企业评价", default=False)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    reminded_on = models.DateField("已提醒日期", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    task_group = models.ForeignKey(
        "service.DemandGroup",
        verbose_name="举一反三",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="诉求变更记录")

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-accepted_at", "-pk"]
        indexes = [
            # Covers every column the league table reads, so its one aggregate scans the index only.
            models.Index(
                fields=[
                    "lead_unit",
                    "month",
                    "state",
                    "signed_on_time",
                    "answered_on_time",
                    "rating",
                    "sign_due",
                    "complete_due",
                    "days_to_answer",
                ],
                name="demand_league_cover",
            ),
            models.Index(fields=["lead_unit", "state", "complete_due"]),
            models.Index(fields=["state", "complete_due"]),
            models.Index(fields=["enterprise", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("；") if t]

    def refresh_from_db(self, *args, **kwargs):
        # The state is protected (only transitions change it); reloading from the database is
        # not a modification, so let Django set it afresh.
        self.__dict__.pop("state", None)
        super().refresh_from_db(*args, **kwargs)

    # --- transitions: the only way the state changes; services call them inside a transaction ----

    @transition(field=state, source=[DemandState.ACCEPTED, DemandState.RETURNED], target=DemandState.ASSIGNED)
    def assign(self) -> None:
        """交办: routed to a lead unit (again after a return)."""

    @transition(field=state, source=DemandState.ASSIGNED, target=DemandState.SIGNED)
    def sign(self) -> None:
        """签收 by the lead unit."""

    @transition(field=state, source=[DemandState.SIGNED, DemandState.HANDLING], target=DemandState.HANDLING)
    def handle(self) -> None:
        """办理: a note or interim reply was recorded."""

    @transition(field=state, source=[DemandState.SIGNED, DemandState.HANDLING], target=DemandState.ANSWERED)
    def close(self) -> None:
        """办结: the answer went to the enterprise."""

    @transition(field=state, source=DemandState.ANSWERED, target=DemandState.RATED)
    def rate(self) -> None:
        """评价 by the enterprise (or an official on its behalf)."""

    @transition(
        field=state,
        source=DemandState.RATED,
        target=DemandState.HANDLING,
        conditions=[lambda d: d.rating == Rating.UNSATISFIED],
    )
    def reopen(self) -> None:
        """重办: the enterprise was not satisfied; the lead unit handles it again."""

    @transition(field=state, source=[DemandState.ASSIGNED, DemandState.SIGNED], target=DemandState.RETURNED)
    def send_back(self) -> None:
        """退回: wrong unit; the office re-routes."""

    @transition(field=state, source=[DemandState.RATED, DemandState.ANSWERED], target=DemandState.ARCHIVED)
    def archive(self) -> None:
        """归档."""


class DemandStep(models.Model):
    """One timed step of a demand (who, which unit, when, what): the demand's timeline."""

    demand = models.ForeignKey(Demand, verbose_name="诉求", on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", db_index=True)
    text = models.TextField("内容", blank=True)
    from_state = models.CharField("原状态", max_length=20, choices=DemandState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=DemandState.choices, blank=True)
    working_days = models.PositiveIntegerField("距上一环节（工作日）", null=True, blank=True)
    on_behalf = models.BooleanField("代企业", default=False)
    history = HistoricalRecords(verbose_name="诉求环节变更记录")

    class Meta:
        verbose_name = "诉求环节"
        verbose_name_plural = "诉求环节"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ExtensionRequest(models.Model):
    """A lead unit's request for more time, decided by the office."""

    demand = models.ForeignKey(
        Demand, verbose_name="诉求", on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name="申请单位", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间")
    new_due = models.DateField("申请延至")
    reason = models.CharField("理由", max_length=500)
    status = models.CharField(
        "审批结果", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="延期申请变更记录")

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand"], condition=Q(status="pending"), name="extension_one_pending_per_demand"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand.code} 延至 {self.new_due}"


class DemandGroup(models.Model):
    """举一反三: demands found to describe one recurring problem, turned into one task or proposal."""

    title = models.CharField("共性问题", max_length=200)
    kind = models.CharField(
        "转化为", max_length=20, choices=[("task", "督办任务"), ("proposal", "政策建议")], default="task"
    )
    lead_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="举一反三变更记录")

    class Meta:
        verbose_name = "举一反三"
        verbose_name_plural = "举一反三"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
