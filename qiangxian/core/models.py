"""Org units, users and background jobs: what every other app stands on."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords

from .choices import AuditKind, JobStatus, OrgUnitKind, RequestStatus, Role, TokenScope

_ABOVE_OR_COUNTY = (OrgUnitKind.COUNTY, OrgUnitKind.CITY, OrgUnitKind.PROVINCE)


class OrgUnitQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Like ``save``, give each new unit its parent's county (bulk inserts skip ``save``)."""
        objs = list(objs)
        parents = {o.parent_id for o in objs if o.parent_id and o.kind not in _ABOVE_OR_COUNTY}
        counties = dict(self.model.objects.filter(pk__in=parents).values_list("pk", "county_id"))
        for obj in objs:
            if obj.kind not in _ABOVE_OR_COUNTY and obj.county_id is None and obj.parent_id:
                obj.county_id = counties.get(obj.parent_id)
        created = super().bulk_create(objs, *args, **kwargs)
        for obj in created:
            if obj.kind == OrgUnitKind.COUNTY and obj.pk and obj.county_id != obj.pk:
                self.model.objects.filter(pk=obj.pk).update(county_id=obj.pk)
                obj.county_id = obj.pk
        return created

    def visible_to(self, user) -> OrgUnitQuerySet:
        """Government units are visible to every government user; an enterprise sees only itself."""
        from .access import scope_of

        scope = scope_of(user)
        if scope.kind == "enterprise":
            return self.filter(pk=scope.unit_id)
        if not (scope.everything or scope.kind):
            return self.none()
        qs = self.all() if scope.everything else self.exclude(kind=OrgUnitKind.ENTERPRISE)
        if scope.counties is None:
            return qs
        # Inside a county boundary: the units of the user's counties, and the city and province
        # above them (their names head the pages), never a neighbouring county's.
        above = OrgUnit.objects.filter(kind__in=(OrgUnitKind.CITY, OrgUnitKind.PROVINCE))
        return qs.filter(models.Q(county__in=scope.counties) | models.Q(pk__in=above.values("pk")))


class CountySettings(models.Model):
    """A settings singleton per county.

    The row without a county is the installation's default: a lone county only ever has that row
    (nothing changes for it). A city or province office's settings are a row of that city or
    province (``county`` names the issuing unit), applying to the counties below that have none of
    their own; a county reads the nearest of its own, its city's, its province's and the default
    row until its office saves settings of its own, which then apply to that county alone (``own``).
    """

    county = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True

    @classmethod
    def current(cls, county_id: int | None = None):
        """The settings that apply to a county (default: the asking user's): its own row, else its
        city's, else its province's, else the default row (created with the defaults on first use).
        ``county_id`` may also name a city or province: its row, else the levels above it."""
        from .access import settings_county_id

        county_id = county_id if county_id is not None else settings_county_id()
        return cls.current_many([county_id])[county_id]

    @classmethod
    def current_many(cls, county_ids) -> dict:
        """:meth:`current` of several counties (keys; 0 or None: the default row) in a few queries."""
        from .access import nearest_issued_many

        ids = {c for c in county_ids if c}
        rows = nearest_issued_many(cls.objects.all(), ids) if ids else {}
        default = None
        result = {}
        for county in county_ids:
            row = rows.get(county) if county else None
            if row is None:
                default = default or cls.default_row()
                row = default
            result[county] = row
        return result

    @classmethod
    def default_row(cls):
        """The installation's default row (a lone county's settings), whoever asks."""
        return cls.objects.filter(county__isnull=True).order_by("pk").first() or cls.objects.create()

    @classmethod
    def own(cls, county_id: int | None = None):
        """The row a county's (or city's, province's) office edits: its own, made the first time
        from the row that applied until then (the nearest level's above, or the default)."""
        from .access import settings_county_id

        county_id = county_id if county_id is not None else settings_county_id()
        row = cls.current(county_id)
        if county_id is None or row.county_id == county_id:
            return row
        row.pk = row.id = None
        row._state.adding = True
        row.county_id = county_id
        row.save()
        return row


class OrgUnit(models.Model):
    """A unit of the organisation: a province or city, a county, a bureau, a town, a park or zone,
    an enterprise.

    ``county`` is the county the unit lies in (a county is its own), kept on save from the parent:
    every row that hangs off a unit reaches its county in one join, which is how the access gate
    keeps counties apart. Province and city units have none.
    """

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("单位代码", max_length=40, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    county = models.ForeignKey(
        "self",
        verbose_name="所属县",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="单位变更记录", excluded_fields=["county"])

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent"),
        ]
        indexes = [models.Index(fields=["kind", "sort_order"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.kind == OrgUnitKind.COUNTY:
            self.county_id = self.pk  # None on the first save: set just after
        elif self.kind in (OrgUnitKind.CITY, OrgUnitKind.PROVINCE):
            self.county_id = None
        else:
            self.county_id = self.parent.county_id if self.parent_id else None
        super().save(*args, **kwargs)
        if self.kind == OrgUnitKind.COUNTY and self.county_id != self.pk:
            self.county_id = self.pk
            OrgUnit.objects.filter(pk=self.pk).update(county_id=self.pk)

    def ancestors(self) -> list[OrgUnit]:
        """From the root down to this unit's parent (the tree is shallow, so a walk is fine)."""
        chain: list[OrgUnit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class QxUserManager(UserManager):
    def get_queryset(self):
        # The access gate reads the user's unit and its county on every request: load them with
        # the user (the session's user lookup goes through this manager).
        return super().get_queryset().select_related("org_unit__county")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in; belongs to one org unit and acts in one role."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.BUREAU)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    # 单位负责人/分管领导: overdue work of the unit is escalated to them by name, not just to the unit.
    is_unit_leader = models.BooleanField(
        "单位负责人",
        default=False,
        help_text="单位负责人或分管领导：本单位办理超期的事项督办到本人。",
    )
    # Set when the password is set; the expiry (SecuritySettings.password_max_age_days) counts from it.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # An initial or reset password must be changed by its owner at the next login.
    must_change_password = models.BooleanField("须修改密码", default=False)
    history = HistoricalRecords(
        verbose_name="用户变更记录", excluded_fields=["password", "last_login", "password_changed_at"]
    )

    objects = QxUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def can_manage(self) -> bool:
        """Office and administrators manage every record of their county; leaders only read.

        City and province users read the counties below them: a county's records are its own.
        """
        if not (self.is_authenticated and self.role in (Role.OFFICE, Role.ADMIN)):
            return False
        from .access import scope_of

        return not scope_of(self).above_counties

    @property
    def can_issue(self) -> bool:
        """Settings and routing rules are issued by the office (or an administrator) of any level:
        a county's apply to that county, a city's or province's to the counties below that have
        none of their own (``core.access.nearest_issued``)."""
        return self.is_authenticated and (self.is_superuser or self.role in (Role.OFFICE, Role.ADMIN))

    @property
    def can_administer(self) -> bool:
        """Users, units and login logs are managed by the office and administrators."""
        return self.is_authenticated and (self.role in (Role.OFFICE, Role.ADMIN) or self.is_superuser)


class BackgroundJob(models.Model):
    """Long work (imports, exports, reports) with progress a page can poll."""

    kind = models.CharField("任务类型", max_length=50)
    title = models.CharField("任务名称", max_length=200)
    owner = models.ForeignKey(User, verbose_name="发起人", on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField("总量", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Written by the running task every few seconds (core.tasks.heartbeat): a job that is not
    # finished and whose heartbeat stopped belongs to a worker that died.
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Not finished and silent past the limit: its worker died (``core.tasks.job_is_stale``)."""
        from .tasks import job_is_stale

        return job_is_stale(self)


class ApiToken(models.Model):
    """A personal token for the API; only its hash is stored, the key is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=8, db_index=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("最近使用地址", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    scope = models.CharField("权限", max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"


class AuditLocked(Exception):
    """An audit record cannot be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    """Audit records are append-only: no bulk update or delete through the ORM either."""

    def update(self, **kwargs):
        raise AuditLocked("审计记录不能修改。")

    def delete(self):
        raise AuditLocked("审计记录不能删除。")

    def bulk_update(self, *args, **kwargs):
        raise AuditLocked("审计记录不能修改。")


class AuditEvent(models.Model):
    """One security-relevant act: who did what, when, from where (安全审计, append-only).

    Only ``qiangxian.core.audit.purge`` removes records, and only those older than the legal
    minimum retention.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=AuditKind.choices, db_index=True)
    # No database constraint: a record outlives the account it names (the name is kept below).
    user = models.ForeignKey(
        User,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    target = models.CharField("对象", max_length=300, blank=True)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["username", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AuditLocked("审计记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLocked("审计记录不能删除。")


class SecuritySettings(models.Model):
    """The security administrator's settings (one row): password rules, lockout, sessions, tokens."""

    password_min_length = models.PositiveSmallIntegerField("密码最小长度", default=10)
    password_classes = models.PositiveSmallIntegerField(
        "密码字符类别数", default=3, help_text="大写字母、小写字母、数字、符号中至少包含几类（1–4）"
    )
    password_history = models.PositiveSmallIntegerField("不得与最近几次密码相同", default=5)
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）", default=90, help_text="0 表示不过期"
    )
    lockout_account_failures = models.PositiveSmallIntegerField("同一账号连续失败几次锁定", default=10)
    lockout_address_failures = models.PositiveSmallIntegerField("同一地址连续失败几次锁定", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=30)
    session_idle_minutes = models.PositiveSmallIntegerField("无操作自动退出（分钟）", default=30)
    token_max_days = models.PositiveSmallIntegerField("API 令牌最长有效期（天）", default=180)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="安全设置变更记录")

    class Meta:
        verbose_name = "安全设置"
        verbose_name_plural = "安全设置"

    def __str__(self) -> str:
        return "安全设置"

    @classmethod
    def current(cls) -> SecuritySettings:
        """The one row, created with the defaults on first use."""
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls.objects.create()


class PasswordRecord(models.Model):
    """A hash of one of a user's earlier passwords, so a new one may not repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_records")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RoleChangeRequest(models.Model):
    """A role change the system administrator asks for and the security administrator decides."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_requests"
    )
    old_role = models.CharField("原角色", max_length=20, choices=Role.choices)
    new_role = models.CharField("新角色", max_length=20, choices=Role.choices)
    old_unit = models.ForeignKey(
        OrgUnit, verbose_name="原单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_unit = models.ForeignKey(
        OrgUnit, verbose_name="新单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("理由", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name="申请人", on_delete=models.PROTECT, related_name="role_requests_made"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="角色变更申请记录")

    class Meta:
        verbose_name = "角色变更申请"
        verbose_name_plural = "角色变更申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}：{self.get_old_role_display()} → {self.get_new_role_display()}"
