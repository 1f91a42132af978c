"""The recruitment list 人社局 takes to job fairs and vocational schools, and the finance list."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse

from qiangxian.core.lists import Column, render_list

from .. import selectors
from ..choices import OPEN_STATES
from ..models import FinanceNeed, LabourNeed


def _demand_link(need) -> str:
    return reverse("service:demand_detail", args=[need.demand_id])


def recruitment(request):
    demands = selectors.demand_list(user=request.user)
    queryset = LabourNeed.objects.filter(demand__in=demands).select_related(
        "demand", "demand__enterprise", "demand__enterprise__town"
    )
    if request.GET.get("open", "1") == "1":
        queryset = queryset.filter(demand__state__in=OPEN_STATES)
    totals = queryset.aggregate(headcount=Sum("headcount"), filled=Sum("filled"))
    columns = [
        Column(
            "enterprise",
            "企业",
            sort="demand__enterprise__name",
            value=lambda n: n.demand.enterprise.name,
            link=_demand_link,
        ),
        Column("town", "乡镇", value=lambda n: n.demand.enterprise.town.name),
        Column("positions", "岗位", sort="positions"),
        Column("headcount", "需求人数", sort="headcount", numeric=True),
        Column("skills", "技能要求"),
        Column("wage", "工资待遇"),
        Column(
            "needed_by",
            "到岗时间",
            sort="needed_by",
            display=lambda n: n.needed_by.strftime("%Y-%m-%d") if n.needed_by else "—",
        ),
        Column("filled", "已招到", sort="filled", numeric=True),
        Column("contact", "联系人", value=lambda n: n.demand.contact_name),
    ]
    return render_list(
        request,
        queryset=queryset,
        columns=columns,
        template="service/recruitment.html",
        title="企业用工需求清单",
        default_sort="needed_by",
        export_name="企业用工需求清单",
        extra_context={
            "breadcrumbs": [("服务企业", "/service/")],
            "totals": totals,
            "open_only": request.GET.get("open", "1") == "1",
        },
    )


def finance_list(request):
    demands = selectors.demand_list(user=request.user)
    queryset = FinanceNeed.objects.filter(demand__in=demands).select_related("demand", "demand__enterprise")
    columns = [
        Column(
            "enterprise",
            "企业",
            sort="demand__enterprise__name",
            value=lambda n: n.demand.enterprise.name,
            link=_demand_link,
        ),
        Column("kind", "方式", sort="kind", value=lambda n: n.get_kind_display()),
        Column("amount", "需求金额", sort="amount", money=True, numeric=True, export_label="需求金额（元）"),
        Column("purpose", "用途"),
        Column("bank", "合作银行"),
        Column(
            "arranged", "已落实", sort="arranged", money=True, numeric=True, export_label="已落实金额（元）"
        ),
        Column("state", "办理状态", value=lambda n: n.demand.get_state_display()),
    ]
    return render_list(
        request,
        queryset=queryset,
        columns=columns,
        template="core/list_page.html",
        title="企业融资需求清单",
        default_sort="-amount",
        export_name="企业融资需求清单",
        extra_context={"breadcrumbs": [("服务企业", "/service/")]},
    )
