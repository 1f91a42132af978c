"""Enumerations of the enterprise registry."""

from django.db import models


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", "在营"
    SUSPENDED = "suspended", "停产"
    PARTIAL = "partial", "半停产"
    DEREGISTERED = "deregistered", "注销"
    MOVED_OUT = "moved_out", "迁出"


class LandTenure(models.TextChoices):
    OWNED = "owned", "自有"
    LEASED = "leased", "租赁"
    NONE = "none", "无"
