"""Spreadsheet import batches: who imported which file, what it changed, and how to undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ..choices import ImportAction, ImportStatus, ScaleAction


class ImportBatch(models.Model):
    """One applied spreadsheet: its file, its counts, and whether it was undone."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    applied_at = models.DateTimeField("生效时间", null=True)
    file_name = models.CharField("文件名", max_length=255)
    file_hash = models.CharField("文件摘要（SHA-256）", max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    entered_count = models.PositiveIntegerField("入规", default=0)
    exited_count = models.PositiveIntegerField("退规", default=0)
    skipped_count = models.PositiveIntegerField("跳过的合计行", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.APPLIED
    )
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The background undo of a large batch, whose progress the batch page shows.
    undo_job = models.ForeignKey(
        "core.BackgroundJob",
        verbose_name="撤销任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="导入批次变更记录")

    class Meta:
        verbose_name = "企业导入批次"
        verbose_name_plural = "企业导入批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"导入批次 #{self.pk} {self.file_name}"


class ImportBatchItem(models.Model):
    """One enterprise a batch created or updated; ``before`` holds the values it replaced."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="items"
    )
    enterprise = models.ForeignKey(
        "Enterprise", verbose_name="企业", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18)
    row = models.PositiveIntegerField("行号")
    action = models.CharField("操作", max_length=10, choices=ImportAction.choices)
    before = models.JSONField("原值", default=dict, blank=True)
    scale_change = models.CharField("入规/退规", max_length=10, choices=ScaleAction.choices, blank=True)
    designation = models.ForeignKey(
        "Designation",
        verbose_name="规上记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="导入明细变更记录")

    class Meta:
        verbose_name = "导入明细"
        verbose_name_plural = "导入明细"
        ordering = ["row"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.uscc}"

    @property
    def before_display(self) -> list[tuple[str, str]]:
        """The replaced values as the page shows them: (the column's Chinese name, the old value)."""
        from ..importers.headers import FIELD_LABELS

        shown = []
        for key, value in self.before.items():
            if key == "pinyin_initials":
                continue
            if isinstance(value, bool):
                value = "是" if value else "否"
            shown.append((FIELD_LABELS.get(key, key), "（空）" if value in (None, "") else str(value)))
        return shown


class RegistryImportProfile(models.Model):
    """A saved column mapping for a county's own registry file, chosen again at the next upload."""

    name = models.CharField("方案名称", max_length=100, unique=True)
    # normalised header -> registry field key ("" = ignore the column)
    mapping = models.JSONField("列对应关系", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="名录导入方案变更记录")

    class Meta:
        verbose_name = "名录导入方案"
        verbose_name_plural = "名录导入方案"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
