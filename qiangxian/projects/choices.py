"""Enumerations of the project pipeline."""

from django.db import models


class Stage(models.TextChoices):
    SOURCING = "sourcing", "线索"
    NEGOTIATING = "negotiating", "在谈"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "竣工"
    PRODUCING = "producing", "投产"
    AT_CAPACITY = "at_capacity", "达效"
    TERMINATED = "terminated", "终止"


# The pipeline in order; terminated sits outside it.
STAGE_ORDER = [
    Stage.SOURCING,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.BUILDING,
    Stage.COMPLETED,
    Stage.PRODUCING,
    Stage.AT_CAPACITY,
]
LEAD_STAGES = [Stage.SOURCING, Stage.NEGOTIATING]
# Stages in which the project has broken ground.
STARTED_STAGES = [Stage.STARTED, Stage.BUILDING, Stage.COMPLETED, Stage.PRODUCING, Stage.AT_CAPACITY]


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    NONE = "none", "不适用"


LIGHT_RANK = {Light.NONE: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


class SizeClass(models.TextChoices):
    BELOW_100M = "below_100m", "1亿元以下"
    FROM_100M = "100m", "1亿元以上"
    FROM_500M = "500m", "5亿元以上"
    FROM_1B = "1b", "10亿元以上"


class LeadSource(models.TextChoices):
    BUSINESS = "business", "以商招商"
    RESIDENT = "resident", "驻点招商"
    AGENCY = "agency", "委托招商"
    FAIR = "fair", "展会推介"
    EXPANSION = "expansion", "本地企业增资扩产"
    REFERRAL = "referral", "乡贤推荐"
    OTHER = "other", "其他"


class ProblemCategory(models.TextChoices):
    LAND = "land", "用地"
    PLANNING = "planning", "规划报建"
    APPROVAL = "approval", "审批手续"
    ENVIRONMENT = "environment", "环评能评"
    UTILITIES = "utilities", "水电气配套"
    FINANCE = "finance", "融资"
    LABOUR = "labour", "用工"
    DEMOLITION = "demolition", "征迁"
    OTHER = "other", "其他"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "办理中"
    SOLVED = "solved", "已解决"


class BatchStatus(models.TextChoices):
    STAGED = "staged", "待确认"
    APPLIED = "applied", "已导入"
    ROLLED_BACK = "rolled_back", "已撤销"
    REJECTED = "rejected", "校验未通过"


class ProblemState(models.TextChoices):
    """The states a problem list can be filtered by; overdue is derived from the deadline."""

    OPEN = "open", "办理中"
    OVERDUE = "overdue", "已超期"
    SOLVED = "solved", "已解决"


class ProjectKind(models.TextChoices):
    """Which approval checklist a project starts with."""

    NEW_BUILD = "new_build", "新建工业项目"
    UPGRADE = "upgrade", "技术改造项目"
    STANDARD_BUILDING = "standard_building", "标准厂房入驻项目"


class ApprovalCategory(models.TextChoices):
    APPROVAL = "approval", "审批手续"
    UTILITY = "utility", "要素保障"


class ApprovalStatus(models.TextChoices):
    """An item's state, derived from its dates (never stored)."""

    WAITING = "waiting", "未申报"
    SUBMITTED = "submitted", "已申报待受理"
    IN_PROGRESS = "in_progress", "办理中"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "已办结"
    INHERITED = "inherited", "区域评估覆盖"
    NOT_APPLICABLE = "not_applicable", "不适用"


DONE_STATUSES = (ApprovalStatus.APPROVED, ApprovalStatus.INHERITED, ApprovalStatus.NOT_APPLICABLE)


class ImportKind(models.TextChoices):
    PROGRESS = "progress", "月度进度"
    APPROVALS = "approvals", "审批事项"
