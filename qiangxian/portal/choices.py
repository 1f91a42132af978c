"""Enumerations of the enterprise's portal."""

from django.db import models


class RegistrationState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class CorrectionState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已采纳"
    REJECTED = "rejected", "未采纳"


class DataRequestState(models.TextChoices):
    REQUESTED = "requested", "待企业填报"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "已采用"


# The registry fields an enterprise may ask to correct, with their labels.
CORRECTABLE_FIELDS = {
    "name": "企业名称",
    "short_name": "简称",
    "legal_representative": "法定代表人",
    "registered_address": "注册地址",
    "production_address": "生产地址",
}
