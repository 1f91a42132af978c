"""Enumerations of the policy module (惠企政策)."""

from django.db import models


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已停止执行"


class GrantMode(models.TextChoices):
    AUTO_GRANT = "auto_grant", "免申即享"
    QUICK_APPLICATION = "quick_application", "快申快享"
    ON_NOTICE = "on_notice", "凭通知兑现"


class BenefitKind(models.TextChoices):
    FIXED = "fixed", "定额"
    RATE = "rate", "按比例"
    TIERS = "tiers", "分档"


class ExclusionRule(models.TextChoices):
    STACK = "stack", "可叠加享受"
    HIGHEST = "highest", "就高不就低"
    NO_REPEAT = "no_repeat", "不重复享受"


class MatchOutcome(models.TextChoices):
    MET = "met", "符合"
    NOT_MET = "not_met", "不符合"
    UNKNOWN = "unknown", "待定"


class RunStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ApplicationStatus(models.TextChoices):
    MATCHED = "matched", "待企业确认"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过"
    EXCLUDED = "excluded", "不予兑现"
    PAID = "paid", "已拨付"


# Evidence files an application may carry: extension -> the content types accepted for it.
EVIDENCE_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
