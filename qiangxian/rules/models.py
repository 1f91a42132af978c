"""Custom rules (自定义规则): expressions the office writes in the workbench and saves with history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qiangxian.core.access import IssuedQuerySet

from .choices import ResultType


class CustomRule(models.Model):
    """A saved expression of the rule language, checked by the engine before it is stored.

    ``version`` starts at 1 and grows with every update: a write names the version it was based
    on, so two people editing the same rule never silently overwrite each other.
    """

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)
    expression = models.TextField("表达式")
    result_type = models.CharField(
        "结果类型", max_length=10, choices=ResultType.choices, default=ResultType.BOOL
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        related_name="custom_rules_created",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        related_name="custom_rules_updated",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # The county (or city, province) whose rule it is: it is read there and below.
    issuer = models.ForeignKey(
        "core.OrgUnit",
        verbose_name="制定单位",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = IssuedQuerySet.as_manager()

    class Meta:
        verbose_name = "自定义规则"
        verbose_name_plural = "自定义规则"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
