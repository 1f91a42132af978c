"""Enumerations of the industrial chains (产业链图谱)."""

from django.db import models


class Segment(models.TextChoices):
    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"


SEGMENT_ORDER = [Segment.UPSTREAM, Segment.MIDSTREAM, Segment.DOWNSTREAM]


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已确认"


class PlacementBasis(models.TextChoices):
    INDUSTRY = "industry", "按行业小类"
    PRODUCT = "product", "按产品关键词"
    MANUAL = "manual", "人工指定"


class Strength(models.TextChoices):
    STRONG = "strong", "强"
    THIN = "thin", "薄弱"
    MISSING = "missing", "缺失"
    IN_PROGRESS = "in_progress", "推进中"


# Colours of the map and the table badges, one per strength.
STRENGTH_COLOURS = {
    Strength.STRONG: "#2e7d32",
    Strength.THIN: "#f9a825",
    Strength.MISSING: "#c62828",
    Strength.IN_PROGRESS: "#1565c0",
}


class TargetStatus(models.TextChoices):
    OPEN = "open", "招引中"
    LANDED = "landed", "已落地"
    CLOSED = "closed", "已放弃"
