"""Enumerations shared across the platform."""

from django.db import models


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    OFFICE = "office", "领导小组办公室"
    BUREAU = "bureau", "部门"
    TOWN = "town", "乡镇/街道"
    PARK = "park", "园区"
    ZONE = "zone", "片区"
    ENTERPRISE = "enterprise", "企业"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "领导"
    OFFICE = "office", "领导小组办公室"
    BUREAU = "bureau", "部门人员"
    PARK = "park", "园区人员"
    TOWN = "town", "乡镇人员"
    ENTERPRISE = "enterprise", "企业用户"


# Which org-unit kinds each role may belong to; enforced by the user services.
ROLE_UNIT_KINDS: dict[str, set[str]] = {
    # City and province users (leaders read, the office manages what applies below) sit in the city or
    # province unit or its office; county users in the county, its office or bureaus.
    Role.ADMIN: {
        OrgUnitKind.PROVINCE,
        OrgUnitKind.CITY,
        OrgUnitKind.COUNTY,
        OrgUnitKind.OFFICE,
        OrgUnitKind.BUREAU,
    },
    Role.LEADER: {OrgUnitKind.PROVINCE, OrgUnitKind.CITY, OrgUnitKind.COUNTY, OrgUnitKind.OFFICE},
    Role.OFFICE: {OrgUnitKind.PROVINCE, OrgUnitKind.CITY, OrgUnitKind.OFFICE, OrgUnitKind.BUREAU},
    Role.BUREAU: {OrgUnitKind.BUREAU},
    Role.PARK: {OrgUnitKind.PARK, OrgUnitKind.ZONE},
    Role.TOWN: {OrgUnitKind.TOWN},
    Role.ENTERPRISE: {OrgUnitKind.ENTERPRISE},
}


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"
