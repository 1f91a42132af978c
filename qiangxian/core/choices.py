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
    # 三员分立: the security and the audit administrator, beside the system administrator.
    SECURITY = "security", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


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
    Role.SECURITY: {
        OrgUnitKind.PROVINCE,
        OrgUnitKind.CITY,
        OrgUnitKind.COUNTY,
        OrgUnitKind.OFFICE,
        OrgUnitKind.BUREAU,
    },
    Role.AUDITOR: {
        OrgUnitKind.PROVINCE,
        OrgUnitKind.CITY,
        OrgUnitKind.COUNTY,
        OrgUnitKind.OFFICE,
        OrgUnitKind.BUREAU,
    },
}

# The three administrators of 三员分立: none may hold another's role or do another's job.
ADMINISTRATOR_ROLES = frozenset({Role.ADMIN, Role.SECURITY, Role.AUDITOR})


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载"
    VIEW_OUTSIDE = "view_outside", "查看辖区外企业"
    ROLE_CHANGE = "role_change", "角色变更"
    SECURITY_CHANGE = "security_change", "安全设置变更"
    ACCOUNT_CHANGE = "account_change", "账号变更"
    IMPORT_COMMIT = "import_commit", "导入提交"
    IMPORT_ROLLBACK = "import_rollback", "导入撤销"
    TOKEN_CREATED = "token_created", "创建令牌"
    TOKEN_NEW_ADDRESS = "token_new_address", "令牌从新地址使用"
    PURGE = "purge", "清理过期审计记录"


class TokenScope(models.TextChoices):
    READ = "read", "只读"
    WRITE = "write", "读写"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
