"""Titles an enterprise holds (规上, 高企, 科技型, 创新型, 专精特新, 小巨人, 单项冠军), with their terms."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..choices import ChampionType, DesignationKind, DesignationLevel
from .registry import Enterprise, EnterpriseChildQuerySet


class DesignationQuerySet(EnterpriseChildQuerySet):
    def current(self, on: dt.date | None = None):
        """Titles in force on a day: started, not yet expired and (for 规上) not exited."""
        on = on or dt.date.today()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            exit_month__isnull=True,
        )


class Designation(models.Model):
    """One title held by an enterprise, with its level, batch, document and term."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="designations"
    )
    kind = models.CharField("称号", max_length=20, choices=DesignationKind.choices, db_index=True)
    champion_type = models.CharField("单项冠军类型", max_length=20, choices=ChampionType.choices, blank=True)
    product_name = models.CharField("冠军产品", max_length=100, blank=True)
    level = models.CharField("级别", max_length=20, choices=DesignationLevel.choices, blank=True)
    batch = models.CharField("批次", max_length=50, blank=True, help_text="如“第五批”")
    year = models.PositiveIntegerField("认定年度", null=True, blank=True)
    document_no = models.CharField("文件号", max_length=100, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True, db_index=True)
    entry_month = models.DateField("入规月份", null=True, blank=True)
    exit_month = models.DateField("退规月份", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="称号变更记录")

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = "企业称号"
        verbose_name_plural = "企业称号"
        ordering = ["enterprise_id", "kind", "-valid_from"]
        indexes = [models.Index(fields=["kind", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"

    @property
    def label(self) -> str:
        """The title as officials write it, e.g. "制造业单项冠军（单项冠军产品）"."""
        text = self.get_kind_display()
        if self.champion_type:
            text += f"（{self.get_champion_type_display()}）"
        return text

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        if self.exit_month is not None:
            return False
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )
