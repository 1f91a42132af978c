"""Demo step: the enterprise's portal: the demo enterprise's account is its administrator, the office
asks it for assessment data, and a neighbour in its town has registered and waits for the town."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qiangxian.enterprises.models import Enterprise
from qiangxian.portal import services
from qiangxian.portal.models import EnterpriseAccount

from .context import DemoContext

LABEL = "企业服务（企业账号、注册申请、数据填报）"


def generate(ctx: DemoContext) -> None:
    user = ctx.users.get("enterprise")
    if user is None:
        return
    firm = Enterprise.objects.select_related("town").get(org_unit=user.org_unit)
    EnterpriseAccount.objects.create(user=user, enterprise=firm, is_admin=True)
    today = timezone.localdate()
    _ensure_service(ctx, firm, user, today)
    services.data_request_create(
        actor=ctx.users["office"],
        enterprise=firm,
        title="专精特新中小企业申报评价数据",
        year=today.year - 1,
        indicators=["ip_class1", "rd_staff", "niche_market_years"],
        note="请填报上年度数据并上传知识产权证书、研发人员花名册等证明材料。",
        due_on=today + dt.timedelta(days=14),
    )
    unclaimed = Enterprise.objects.filter(town=firm.town, org_unit__isnull=True).exclude(pk=firm.pk)
    neighbour = unclaimed.order_by("pk").first()
    if neighbour is not None:
        services.registration_submit(
            uscc=neighbour.uscc,
            contact_name="赵会计",
            phone="13970001234",
            username="qiye" + ctx.suffix,
            password=ctx.password,
        )


def _ensure_service(ctx: DemoContext, firm: Enterprise, user, today: dt.date) -> None:
    """The portal's first screen has a visit and a demand whatever the random draw of the service step."""
    from qiangxian.service import services as service
    from qiangxian.service.models import Demand, Visit

    if not Visit.objects.filter(enterprise=firm).exists():
        service.visit_create(
            actor=ctx.users["town"],
            enterprise=firm,
            visited_on=today - dt.timedelta(days=12),
            purpose="一线大走访",
            people_met="总经理",
            topics={"production": "订单饱满，满负荷生产"},
        )
    if not Demand.objects.filter(enterprise=firm).exists():
        service.demand_create(
            actor=user,
            enterprise=firm,
            category="labour",
            title="招不到熟练缝纫工",
            description="旺季订单增加，缝纫车间缺熟练工约20人，希望协助招聘",
            channel="portal",
        )
