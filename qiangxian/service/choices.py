"""Enumerations of visits and demands."""

from django.db import models


class DemandCategory(models.TextChoices):
    LABOUR = "labour", "用工"
    FINANCE = "finance", "融资"
    LAND = "land", "用地"
    UTILITIES = "utilities", "水电气"
    APPROVAL = "approval", "审批"
    POLICY = "policy", "政策"
    MARKET = "market", "市场"
    OTHER = "other", "其他"


# Sub-categories offered per category (free text is accepted too: the office adds its own).
SUB_CATEGORIES: dict[str, list[str]] = {
    DemandCategory.LABOUR: ["普工招聘", "技术工人", "管理人才", "职业培训"],
    DemandCategory.FINANCE: ["应急转贷", "小额信贷", "担保", "股权融资"],
    DemandCategory.LAND: ["新增用地", "标准厂房", "不动产登记"],
    DemandCategory.UTILITIES: ["供电", "供水", "供气", "道路"],
    DemandCategory.APPROVAL: ["环评", "能评", "施工许可", "消防验收"],
    DemandCategory.POLICY: ["奖补兑现", "政策咨询"],
    DemandCategory.MARKET: ["产销对接", "物流"],
    DemandCategory.OTHER: [],
}


class Channel(models.TextChoices):
    PORTAL = "portal", "企业提交"
    VISIT = "visit", "走访收集"
    OFFICE = "office", "办公室登记"
    HOTLINE = "hotline", "12345热线"


class DemandState(models.TextChoices):
    ACCEPTED = "accepted", "受理"
    ASSIGNED = "assigned", "交办"
    SIGNED = "signed", "签收"
    HANDLING = "handling", "办理中"
    ANSWERED = "answered", "办结"
    RATED = "rated", "已评价"
    ARCHIVED = "archived", "归档"
    RETURNED = "returned", "退回"


# States in which the lead unit still owes work (the "open" demands of "my work").
OPEN_STATES = (DemandState.ASSIGNED, DemandState.SIGNED, DemandState.HANDLING)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class StepKind(models.TextChoices):
    ACCEPT = "accept", "受理"
    ASSIGN = "assign", "交办"
    SIGN = "sign", "签收"
    NOTE = "note", "办理记录"
    INTERIM = "interim", "阶段答复"
    ANSWER = "answer", "办结答复"
    RATE = "rate", "评价"
    REOPEN = "reopen", "重办"
    RETURN = "return", "退回"
    EXTEND_REQUEST = "extend_request", "申请延期"
    EXTEND_APPROVE = "extend_approve", "同意延期"
    EXTEND_REFUSE = "extend_refuse", "不同意延期"
    ESCALATE = "escalate", "超期督办"
    REMIND = "remind", "到期提醒"
    ARCHIVE = "archive", "归档"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class VisitTopic(models.TextChoices):
    """What the enterprise reports during a visit, one text per topic."""

    PRODUCTION = "production", "生产经营"
    ORDERS = "orders", "订单"
    LABOUR = "labour", "用工"
    FINANCE = "finance", "资金"
    LAND = "land", "用地"
    UTILITIES = "utilities", "水电气"
    APPROVALS = "approvals", "审批"
    PLANS = "plans", "发展计划"


class FinanceKind(models.TextChoices):
    BRIDGE = "bridge", "应急转贷"
    MICRO = "micro", "小额信贷"
    GUARANTEE = "guarantee", "担保"
    EQUITY = "equity", "股权"


class AreaUnit(models.TextChoices):
    MU = "mu", "亩"
    SQM = "sqm", "平方米"
