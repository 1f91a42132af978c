"""Enumerations of parks, land, buildings, idle space and the per-mu evaluation."""

from django.db import models


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", "工业用地"
    WAREHOUSE = "warehouse", "仓储用地"
    COMMERCIAL = "commercial", "商服用地"
    PUBLIC = "public", "公共设施用地"
    OTHER = "other", "其他用地"


class ParcelStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    IDLE = "idle", "闲置"
    INEFFICIENT = "inefficient", "低效"
    BUILDING = "building", "在建"
    RESERVE = "reserve", "储备"
    APPROVED_UNSUPPLIED = "approved", "批而未供"
    SUPPLIED_UNUSED = "supplied", "供而未用"


# Statuses that make a parcel available for a new project (matching) or count as idle stock.
AVAILABLE_STATUSES = (
    ParcelStatus.IDLE,
    ParcelStatus.RESERVE,
    ParcelStatus.APPROVED_UNSUPPLIED,
    ParcelStatus.SUPPLIED_UNUSED,
)
IDLE_STATUSES = (
    ParcelStatus.IDLE,
    ParcelStatus.INEFFICIENT,
    ParcelStatus.SUPPLIED_UNUSED,
)


class BuildingKind(models.TextChoices):
    STANDARD = "standard", "标准厂房"
    OWN = "own", "自建厂房"
    WAREHOUSE = "warehouse", "仓库"
    OFFICE = "office", "研发办公楼"
    OTHER = "other", "其他"


class IdleKind(models.TextChoices):
    PARCEL = "parcel", "闲置/低效土地"
    FLOOR = "floor", "闲置厂房"


class IdleReason(models.TextChoices):
    NO_START = "no_start", "供地后未按期开工"
    STOPPED = "stopped", "企业停产/半停产"
    FUNDS = "funds", "资金不足"
    MARKET = "market", "市场原因"
    DISPUTE = "dispute", "权属或债务纠纷"
    LEFT = "left", "承租企业退租"
    OTHER = "other", "其他"


class IdleState(models.TextChoices):
    OPEN = "open", "待处置"
    DISPOSING = "disposing", "处置中"
    DISPOSED = "disposed", "已处置"
    REUSED = "reused", "已再利用"


class DisposalMethod(models.TextChoices):
    RECOVER = "recover", "回收"
    TRANSFER = "transfer", "转让"
    JOINT = "joint", "合作开发"
    INVEST = "invest", "招商"
    URGE = "urge", "督促开工"


class BreachKind(models.TextChoices):
    NO_START = "no_start", "未按期开工"
    NO_COMPLETION = "no_completion", "未按期竣工"
    INTENSITY = "intensity", "投资强度未达约定"
    OUTPUT = "output", "亩均产值未达约定"
    TAX = "tax", "亩均税收未达约定"


class Category(models.TextChoices):
    ABOVE = "above", "规上企业"
    BELOW_LARGE = "below_large", "规下企业（自有用地≥门槛）"
    BELOW_SMALL = "below_small", "规下企业（自有用地<门槛）"
    TENANT = "tenant", "租赁企业（无自有用地）"


class Method(models.TextChoices):
    RATIO = "ratio", "比值法（实际值÷基准值×权重，封顶）"
    MINMAX = "minmax", "极差法（最小最大值标准化）"


class BenchmarkKind(models.TextChoices):
    COUNTY = "county", "全县平均"
    PARK = "park", "所在园区平均"
    FIXED = "fixed", "固定值"


class MissingRule(models.TextChoices):
    ZERO = "zero", "计 0 分"
    AVERAGE = "average", "按平均分计（得该项权重分）"


class CutoffMode(models.TextChoices):
    SCORE = "score", "按得分区间"
    RANK = "rank", "按排名百分位"


class Grade(models.TextChoices):
    A = "A", "A类（优先发展）"
    B = "B", "B类（鼓励提升）"
    C = "C", "C类（帮扶转型）"
    D = "D", "D类（倒逼整治）"


GRADE_ORDER = ("A", "B", "C", "D")


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", "加分项"
    VETO = "veto", "否决项"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ADOPTED = "adopted", "已启用"


class RunKind(models.TextChoices):
    OFFICIAL = "official", "正式评价"
    SANDBOX = "sandbox", "模拟测算"


class RunState(models.TextChoices):
    DRAFT = "draft", "测算中"
    NOTICE = "notice", "公示中"
    FINAL = "final", "已定档"


class ObjectionState(models.TextChoices):
    FILED = "filed", "待裁定"
    CORRECTED = "corrected", "已更正"
    REJECTED = "rejected", "已驳回"


class OfferOutcome(models.TextChoices):
    OFFERED = "offered", "已推荐"
    VISITED = "visited", "已踏勘"
    ACCEPTED = "accepted", "已落地"
    DECLINED = "declined", "未采纳"
