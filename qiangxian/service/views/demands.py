"""Demand pages: list with export, intake, detail with timeline and actions, my work, rules, league table."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qiangxian.core import exports
from qiangxian.core.access import issued_label, issuing_unit_id, scope_of
from qiangxian.core.concurrency import is_stale
from qiangxian.core.formatting import mask_phone
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list
from qiangxian.core.params import parse_year
from qiangxian.enterprises.services import can_see_contacts, contacts_visible_ids

from .. import selectors, services
from ..choices import DemandCategory, DemandState, ExtensionStatus, Rating
from ..filters import DemandFilter
from ..forms import (
    NEED_FORMS,
    AnswerForm,
    DemandForm,
    ExtensionForm,
    IssuedRuleForm,
    NoteForm,
    RateForm,
    ReopenForm,
    ReturnForm,
    RouteForm,
    RuleForm,
    need_initial,
)

CRUMBS = [("服务企业", "/service/")]


def _date(value):
    return value.strftime("%Y-%m-%d") if value else None


def _state(d) -> str:
    return "已超期" if selectors.is_overdue(d) else d.get_state_display()


def demand_columns() -> list[Column]:
    return [
        Column("code", "编号", sort="code", link=lambda d: reverse("service:demand_detail", args=[d.pk])),
        Column("enterprise", "企业", sort="enterprise__name", value=lambda d: d.enterprise.name),
        Column("title", "诉求"),
        Column("category", "类别", sort="category", value=lambda d: d.get_category_display()),
        Column("channel", "渠道", value=lambda d: d.get_channel_display()),
        Column(
            "lead_unit",
            "牵头单位",
            sort="lead_unit__name",
            value=lambda d: d.lead_unit.name if d.lead_unit else "待交办",
        ),
        Column("state", "状态", sort="state", value=_state),
        Column(
            "accepted_at",
            "受理日期",
            sort="accepted_at",
            value=lambda d: timezone.localtime(d.accepted_at).date(),
            display=lambda d: _date(timezone.localtime(d.accepted_at)),
        ),
        Column(
            "complete_due",
            "办结时限",
            sort="complete_due",
            value=lambda d: d.complete_due,
            display=lambda d: _date(d.complete_due) or "—",
        ),
        Column(
            "rating",
            "评价",
            value=lambda d: d.get_rating_display() if d.rating else "",
            display=lambda d: d.get_rating_display() or "—",
        ),
    ]


def contact_columns(user, queryset) -> list[Column]:
    """The enterprise's contact for the demand, for the export: the full number only to those who
    may see the enterprise's contacts (its town, park, liaisons, the office), masked for others."""
    visible: set[int] | None = None

    def phone(d) -> str:
        nonlocal visible
        if visible is None:  # once per export, for every enterprise of the user's demands
            visible = contacts_visible_ids(user, set(queryset.values_list("enterprise_id", flat=True)))
        return d.contact_phone if d.enterprise_id in visible else mask_phone(d.contact_phone)

    return [Column("contact_name", "联系人"), Column("contact_phone", "联系电话", value=phone)]


def demand_list(request):
    queryset = selectors.demand_list(user=request.user)
    columns = demand_columns()
    if request.GET.get("export") == "xlsx":
        columns = [*columns, *contact_columns(request.user, queryset)]
    return render_list(
        request,
        queryset=queryset,
        columns=columns,
        template="service/demand_list.html",
        title="企业诉求",
        filterset_class=DemandFilter,
        default_sort="-accepted_at",
        export_name="企业诉求",
        extra_context={"breadcrumbs": CRUMBS},
    )


def demand_create(request):
    if request.user.role == "leader":
        raise PermissionDenied("县领导只能查看诉求。")
    form = DemandForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.demand_create(
                actor=request.user,
                enterprise=data["enterprise"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                sub_category=data["sub_category"],
                tags=data["tags"],
                channel=data.get("channel") or "portal",
                wanted_by=data["wanted_by"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"诉求已受理，编号 {demand.code}。")
            return redirect("service:demand_detail", pk=demand.pk)
    return render(
        request,
        "core/form_page.html",
        {"title": "登记诉求", "form": form, "breadcrumbs": CRUMBS, "cancel_url": reverse("service:demands")},
    )


# Each action of the detail page: its form and the service call made with the cleaned data.
ACTIONS = {
    "route": (
        RouteForm,
        lambda r, d, c: services.demand_route(
            actor=r.user,
            demand=d,
            lead_unit=c["lead_unit"],
            supporting_units=c["supporting_units"],
            note=c["note"],
        ),
        "已交办。",
    ),
    "sign": (None, lambda r, d, c: services.demand_sign(actor=r.user, demand=d), "已签收。"),
    "note": (
        NoteForm,
        lambda r, d, c: services.demand_note(actor=r.user, demand=d, text=c["text"], interim=c["interim"]),
        "已登记办理情况。",
    ),
    "answer": (
        AnswerForm,
        lambda r, d, c: services.demand_answer(actor=r.user, demand=d, answer=c["answer"]),
        "已办结，等待企业评价。",
    ),
    "return": (
        ReturnForm,
        lambda r, d, c: services.demand_return(actor=r.user, demand=d, reason=c["reason"]),
        "已退回办公室。",
    ),
    "extend": (
        ExtensionForm,
        lambda r, d, c: services.demand_request_extension(
            actor=r.user, demand=d, new_due=c["new_due"], reason=c["reason"]
        ),
        "延期申请已提交。",
    ),
    "rate": (
        RateForm,
        lambda r, d, c: services.demand_rate(
            actor=r.user, demand=d, rating=c["rating"], comment=c["comment"], on_behalf=c["on_behalf"]
        ),
        "评价已登记。",
    ),
    "reopen": (
        ReopenForm,
        lambda r, d, c: services.demand_reopen(actor=r.user, demand=d, reason=c["reason"]),
        "已重办。",
    ),
    "archive": (None, lambda r, d, c: services.demand_archive(actor=r.user, demand=d), "已归档。"),
}


def demand_detail(request, pk):
    demand = selectors.access_demand_by_id(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        key: (spec[0](request.POST if action == key else None) if spec[0] else None)
        for key, spec in ACTIONS.items()
    }
    if action == "extension_decide":
        return _decide_extension(request, demand)
    need, need_form = _need(request, demand, action)
    if action == "need" and need_form.is_bound and need_form.is_valid():
        fields = (
            need_form.service_fields() if hasattr(need_form, "service_fields") else need_form.cleaned_data
        )
        try:
            services.need_save(actor=request.user, demand=demand, **fields)
        except ValidationError as error:
            apply_validation_error(need_form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("service:demand_detail", pk=demand.pk)
        else:
            messages.success(request, "需求表已保存。")
            return redirect("service:demand_detail", pk=demand.pk)
    if action in ACTIONS:
        _form_class, call, done = ACTIONS[action]
        form = forms[action]
        if form is None or form.is_valid():
            try:
                call(request, demand, form.cleaned_data if form is not None else {})
            except ValidationError as error:
                if form is None or is_stale(error):
                    messages.error(request, "；".join(error.messages))
                    return redirect("service:demand_detail", pk=demand.pk)
                apply_validation_error(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect("service:demand_detail", pk=demand.pk)
            else:
                messages.success(request, done)
                # A returned demand leaves the unit's scope: go back to its work list.
                if not selectors.demand_list(user=request.user).filter(pk=demand.pk).exists():
                    return redirect("service:my_work")
                return redirect("service:demand_detail", pk=demand.pk)
    user = request.user
    handler = services.can_handle(user, demand)
    office = user.can_manage
    state = demand.state
    allowed = {
        "route": office and state in (DemandState.ACCEPTED, DemandState.RETURNED),
        "sign": handler and state == DemandState.ASSIGNED,
        "note": handler and state in (DemandState.SIGNED, DemandState.HANDLING),
        "answer": handler and state in (DemandState.SIGNED, DemandState.HANDLING),
        "return": handler and state in (DemandState.ASSIGNED, DemandState.SIGNED),
        "extend": handler and state in (DemandState.SIGNED, DemandState.HANDLING),
        "rate": state == DemandState.ANSWERED and services.can_rate(user, demand),
        "reopen": state == DemandState.RATED
        and demand.rating == Rating.UNSATISFIED
        and (office or (user.role == "enterprise" and user.org_unit_id == demand.enterprise.org_unit_id)),
        "archive": office
        and state in (DemandState.ANSWERED, DemandState.RATED)
        and demand.rating != Rating.UNSATISFIED,
    }
    if forms["rate"] is not None and user.role == "enterprise":
        forms["rate"].fields.pop("on_behalf")
    return render(
        request,
        "service/demand_detail.html",
        {
            "title": f"{demand.code} {demand.title}",
            "breadcrumbs": [*CRUMBS, ("企业诉求", reverse("service:demands"))],
            "demand": demand,
            "contact_phone": demand.contact_phone
            if can_see_contacts(user, demand.enterprise)
            else mask_phone(demand.contact_phone),
            "steps": demand.steps.select_related("actor", "unit"),
            "extensions": demand.extensions.select_related("requested_by", "decided_by"),
            "supporting": list(demand.supporting_units.all()),
            "forms": forms,
            "allowed": allowed,
            "any_action": any(allowed.values()),
            "office": office,
            "overdue": selectors.is_overdue(demand),
            "history": timeline(demand),
            "need": need,
            **_space_offers(user, demand, need),
            "need_form": need_form
            if need_form is not None and services.can_edit_need(user, demand)
            else None,
        },
    )


def _space_offers(user, demand, need) -> dict:
    """For a land demand: the parcels and buildings offered (linked records) and the way to match more."""
    if demand.category != "land" or need is None:
        return {}
    from qiangxian.land import selectors as land_selectors
    from qiangxian.land.services.common import can_edit_space

    return {
        "space_offers": list(land_selectors.offers(user=user, demand=demand)),
        "can_match": can_edit_space(user) and bool(need.area),
    }


def _need(request, demand, action):
    """The demand's structured form (labour, finance, land) and its bound or initial form."""
    form_class = NEED_FORMS.get(demand.category)
    if form_class is None:
        return None, None
    need = getattr(demand, f"{demand.category}_need", None) if _has_need(demand) else None
    if action == "need":
        return need, form_class(request.POST, user=request.user)
    return need, form_class(initial=need_initial(need), user=request.user)


def _has_need(demand) -> bool:
    try:
        getattr(demand, f"{demand.category}_need")
    except ObjectDoesNotExist:
        return False
    return True


def _decide_extension(request, demand):
    extension = demand.extensions.filter(
        pk=request.POST.get("extension", "0")[:12] or 0, status=ExtensionStatus.PENDING
    ).first()
    if extension is None:
        messages.error(request, "该延期申请不存在或已审批。")
    else:
        try:
            services.demand_decide_extension(
                actor=request.user, extension=extension, approve=request.POST.get("approve") == "1"
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "延期申请已审批。")
    return redirect("service:demand_detail", pk=demand.pk)


def my_work(request):
    columns = [
        Column(
            "overdue", "超期", value=lambda d: d.overdue, display=lambda d: "已超期" if d.overdue else "—"
        ),
        Column("due", "当前时限", value=lambda d: d.due, display=lambda d: _date(d.due) or "—"),
        *[c for c in demand_columns() if c.key not in ("complete_due", "rating", "channel")],
    ]
    unit = request.user.org_unit
    return render_list(
        request,
        queryset=selectors.my_work(user=request.user),
        columns=columns,
        template="service/my_work.html",
        title="我的待办诉求",
        default_sort="pk",
        export_name="待办诉求",
        extra_context={"breadcrumbs": CRUMBS, "unit": unit},
    )


def rules(request):
    """The rule that applies to each category at the user's level (its own, or one issued above
    it, labelled), and the form for the level's own rule: a county names its units, a city or
    province names them as each county names them."""
    user = request.user
    if not user.can_issue:
        raise PermissionDenied("只有领导小组办公室可以修改分办规则。")
    level = issuing_unit_id(user)
    above = scope_of(user).above_counties
    existing = {value: services.routing_rule(value, level) for value, _ in DemandCategory.choices}
    initial = {}
    category = request.GET.get("category")
    rule = existing.get(category)
    if rule is not None:
        days = {"sign_days": rule.sign_days, "response_days": rule.response_days}
        initial = {"category": category, "complete_days": rule.complete_days, **days}
        if above:
            lead, supporting = rule.lead_name, rule.supporting_name_list
            if rule.lead_unit_id:
                lead = services.unit_name_in_county(rule.lead_unit)
                supporting = [services.unit_name_in_county(u) for u in rule.supporting_units.all()]
            initial.update(lead_name=lead, supporting_names=supporting)
        else:
            lead, supporting = services.rule_units(rule, level)
            initial.update(lead_unit=lead, supporting_units=supporting)
    if above:
        form = IssuedRuleForm(request.POST or None, initial=initial, names=services.unit_names_below(user))
    else:
        form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "分办规则已保存。")
            return redirect("service:rules")
    rows = []
    for value, label in DemandCategory.choices:
        rule = existing[value]
        issuer = ""
        if rule is not None and rule.county_id != level:
            issuer = issued_label(rule.county, "规则")
        if rule is None:
            lead, supporting = "", ""
        elif rule.lead_unit_id is None:
            lead, supporting = rule.lead_name, rule.supporting_names
        else:
            lead = str(rule.lead_unit)
            supporting = "、".join(str(u) for u in rule.supporting_units.all())
        rows.append((value, label, rule, lead, supporting, issuer))
    return render(
        request,
        "service/rules.html",
        {"title": "分办规则", "breadcrumbs": CRUMBS, "rows": rows, "form": form, "above": above},
    )


def _month_range(request) -> tuple[dt.date, dt.date, int, int | None]:
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    raw = request.GET.get("month", "")
    month = int(raw) if raw.isdigit() and 1 <= int(raw) <= 12 else None
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 1), year, None
    return dt.date(year, month, 1), dt.date(year, month, 1), year, month


LEAGUE_HEADERS = [
    "单位", "受理", "按时签收", "按时答复", "办结", "已评价", "满意（含基本满意）",
    "响应率（%）", "解决率（%）", "满意率（%）", "当前超期", "平均办理用时（工作日）",
]  # fmt: skip


def league(request):
    if request.user.role == "enterprise":
        raise PermissionDenied("晾晒排名仅供政府部门查看。")
    first, last, year, month = _month_range(request)
    rows = selectors.league_table(first_month=first, last_month=last)
    period = f"{year}年{month}月" if month else f"{year}年"
    if request.GET.get("export") == "xlsx":
        data = (
            [
                r.unit,
                r.received,
                r.signed_on_time,
                r.answered_on_time,
                r.solved,
                r.rated,
                r.satisfied,
                r.response_rate,
                r.resolution_rate,
                r.satisfaction_rate,
                r.overdue_now,
                r.average_days,
            ]
            for r in rows
        )
        return exports.xlsx_response(
            filename=f"诉求办理晾晒{period}.xlsx",
            title=f"诉求办理晾晒（{period}）",
            headers=LEAGUE_HEADERS,
            rows=data,
        )
    return render(
        request,
        "service/league.html",
        {
            "title": "诉求办理晾晒",
            "breadcrumbs": CRUMBS,
            "rows": rows,
            "period": period,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        },
    )
