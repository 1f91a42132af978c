"""Enumerations of supervised tasks."""

from django.db import models


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    COMPLETED = "completed", "已完成"
    OVERDUE = "overdue", "逾期"
    CLOSED = "closed", "销号"


class SourceKind(models.TextChoices):
    MEETING = "meeting", "会议"
    DOCUMENT = "document", "文件"
    INSTRUCTION = "instruction", "领导批示"


class DocumentKind(models.TextChoices):
    SPEECH = "speech", "讲话"
    WORK_PLAN = "work_plan", "工作要点"
    REPORT = "report", "政府工作报告"
    NOTICE = "notice", "任务分解通知"
    OTHER = "other", "其他"


class Comparator(models.TextChoices):
    GE = "≥", "不少于（≥）"
    GT = ">", "超过（>）"
    ABOUT = "≈", "左右（≈）"
    LE = "≤", "不超过（≤）"


class TargetKind(models.TextChoices):
    LEVEL = "level", "总量"
    GROWTH = "growth", "增速"
    COUNT = "count", "数量"
    RATIO = "ratio", "比率"


class ReportState(models.TextChoices):
    """Where a month's report stands against the reporting day."""

    ON_TIME = "on_time", "按时报送"
    LATE = "late", "逾期报送"
    MISSING = "missing", "未报送"
    DUE_SOON = "due_soon", "即将到期"
    PENDING = "pending", "未到报送日"
