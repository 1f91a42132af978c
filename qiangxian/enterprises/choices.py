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


class DesignationKind(models.TextChoices):
    """Titles an enterprise holds, in the order of the tier ladder (criteria.md §1.1)."""

    ABOVE_SCALE = "above_scale", "规上企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
    HIGH_TECH = "high_tech", "高新技术企业"
    SRDI_SME = "srdi_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”"
    SINGLE_CHAMPION = "single_champion", "制造业单项冠军"


# Years a title stays valid before re-review (criteria.md §1.0, §2, §7); 规上 has no fixed term.
VALIDITY_YEARS: dict[str, int] = {
    DesignationKind.TECH_SME: 1,
    DesignationKind.INNOVATIVE_SME: 3,
    DesignationKind.HIGH_TECH: 3,
    DesignationKind.SRDI_SME: 3,
    DesignationKind.LITTLE_GIANT: 3,
    DesignationKind.SINGLE_CHAMPION: 3,
}


class ChampionType(models.TextChoices):
    ENTERPRISE = "enterprise", "示范企业"
    PRODUCT = "product", "单项冠军产品"


class DesignationLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class LiaisonRole(models.TextChoices):
    LEADER = "leader", "包联领导"
    OFFICIAL = "official", "包联干部"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "实施中"
    ACHIEVED = "achieved", "已达成"
    CLOSED = "closed", "已终止"


class MeasureStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


OPEN_MEASURE_STATUSES = (MeasureStatus.PENDING, MeasureStatus.IN_PROGRESS)


class ReviewRating(models.TextChoices):
    ON_TRACK = "on_track", "按计划推进"
    AT_RISK = "at_risk", "存在风险"
    OFF_TRACK = "off_track", "明显滞后"


class ImportStatus(models.TextChoices):
    APPLIED = "applied", "已导入"
    UNDOING = "undoing", "撤销中"
    UNDONE = "undone", "已撤销"


class ImportAction(models.TextChoices):
    CREATED = "created", "新增"
    UPDATED = "updated", "更新"


class ScaleAction(models.TextChoices):
    ENTRY = "entry", "入规"
    EXIT = "exit", "退规"
