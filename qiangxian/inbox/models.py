"""Notices (消息): what a user, or every member of a unit, needs to know or do.

A notice is addressed either to one user or to an org unit (every member of the unit sees it
and any of them may mark it read for the unit). Apps write notices through
``services.notice_send``; the link and the generic related object point back at the record.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from qiangxian.core.access import county_filter, scope_of


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notices addressed to the user or to the user's unit; the office sees every notice."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(self.addressed_to(user))

    @staticmethod
    def addressed_to(user) -> Q:
        condition = Q(recipient_user_id=user.pk)
        if user.org_unit_id is not None:
            condition |= Q(recipient_unit_id=user.org_unit_id)
        return condition

    def managed_by(self, user):
        """Every notice to a user or a unit inside the manager's county boundary (the gateway export)."""
        scope = scope_of(user)
        if not scope.everything:
            return self.none()
        return self.filter(
            county_filter(scope, "recipient_unit__county")
            | county_filter(scope, "recipient_user__org_unit__county")
        )

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One message in an inbox: to a user, or to a unit whose members all see it."""

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    recipient_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="接收单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField("类型", max_length=60, db_index=True, help_text="如 service.demand.routed")
    title = models.CharField("标题", max_length=200)
    body = models.CharField("内容", max_length=1000, blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="关联对象类型", null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField("关联对象", null=True, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="阅读人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | Q(recipient_unit__isnull=False),
                name="notice_has_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["recipient_user", "read_at"]),
            models.Index(fields=["recipient_unit", "read_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient_label(self) -> str:
        return str(self.recipient_user or self.recipient_unit)
