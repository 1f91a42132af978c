"""Demand lifecycle: intake, routing, sign-off, handling, answer, rating, reopening, return,
extension and escalation. Every step is a transition of ``Demand.state`` plus a timed
``DemandStep``; notices go to the inbox inside the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from qiangxian.core import workdays
from qiangxian.core.access import home_county_id, issuing_unit_id, nearest_issued, scope_of, within_counties
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.concurrency import STALE
from qiangxian.core.models import OrgUnit, User
from qiangxian.enterprises.models import Enterprise
from qiangxian.inbox.services import notice_send

from ..choices import (
    Channel,
    DemandCategory,
    DemandState,
    ExtensionStatus,
    Rating,
    StepKind,
)
from ..models import Demand, DemandStep, ExtensionRequest, RoutingRule

# Deadlines when the office has not written a rule for a category (12345 practice: sign the same
# day, answer within 5 working days, close within 10).
DEFAULT_DAYS = (1, 5, 10)
GOVERNMENT_ROLES = (Role.BUREAU, Role.TOWN, Role.PARK, Role.OFFICE, Role.ADMIN)


# --- who may do what -------------------------------------------------------------------------


def _is_office(user) -> bool:
    return bool(user and user.is_authenticated and user.can_manage)


def can_handle(user, demand: Demand) -> bool:
    """The lead unit's staff handle a demand (sign, notes, replies, answer, return, extension)."""
    return bool(
        user
        and user.is_authenticated
        and user.role in GOVERNMENT_ROLES
        and demand.lead_unit_id is not None
        and user.org_unit_id == demand.lead_unit_id
    )


def _is_enterprise_user(user, demand: Demand) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.ENTERPRISE
        and demand.enterprise.org_unit_id is not None
        and user.org_unit_id == demand.enterprise.org_unit_id
    )


def can_rate(user, demand: Demand) -> bool:
    """The enterprise itself, or an official (not of the handling unit) recording its rating."""
    if _is_enterprise_user(user, demand):
        return True
    return (
        user.is_authenticated
        and user.role in GOVERNMENT_ROLES
        and not can_handle(user, demand)
        and Demand.objects.visible_to(user).filter(pk=demand.pk).exists()
    )


def _require_handler(actor, demand: Demand, what: str) -> None:
    if not can_handle(actor, demand):
        holder = demand.lead_unit or "办公室（待交办）"
        raise PermissionDenied(f"该诉求由{holder}办理，您所在单位不能{what}。")


def _require_office(actor) -> None:
    if not _is_office(actor):
        raise PermissionDenied("只有领导小组办公室可以执行此操作。")


# --- helpers ---------------------------------------------------------------------------------


def _locked(demand: Demand) -> Demand:
    return (
        Demand.objects.select_for_update(of=("self",))
        .select_related("enterprise", "lead_unit")
        .get(pk=demand.pk)
    )


def _step(
    demand: Demand, *, kind: str, actor, at: dt.datetime, text: str = "", before: str = "", on_behalf=False
):
    """Record one step with the working days since the previous one."""
    last = demand.steps.order_by("-at", "-pk").values_list("at", flat=True).first()
    days = (
        workdays.working_days_between(timezone.localtime(last).date(), timezone.localtime(at).date())
        if last
        else None
    )
    step = DemandStep(
        demand=demand,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=getattr(actor, "org_unit", None),
        at=at,
        text=text,
        from_state=before,
        to_state=demand.state,
        working_days=days,
        on_behalf=on_behalf,
    )
    step._history_user = actor if getattr(actor, "pk", None) else None
    step.save()
    return step


def _save(demand: Demand, actor) -> None:
    demand._history_user = actor if getattr(actor, "pk", None) else None
    demand.save()


def _link(demand: Demand) -> str:
    return reverse("service:demand_detail", args=[demand.pk])


def _notify(demand: Demand, *, kind: str, title: str, body: str = "", **recipients) -> None:
    """A notice about a demand, linking back to its page."""
    notice_send(kind=kind, title=title, body=body, link=_link(demand), related=demand, **recipients)


def _office_units(demand: Demand) -> list[int]:
    """The active offices of the demand's county (never a neighbouring county's)."""
    return list(
        OrgUnit.objects.filter(
            kind=OrgUnitKind.OFFICE, is_active=True, county_id=demand.enterprise.town.county_id
        ).values_list("pk", flat=True)
    )


def _unit_leaders(unit_id: int | None) -> list[int]:
    """The active users marked 单位负责人 in the unit (escalations go to them by name)."""
    if unit_id is None:
        return []
    return list(
        User.objects.filter(org_unit_id=unit_id, is_unit_leader=True, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _enterprise_recipients(demand: Demand) -> dict:
    """The enterprise's own account when it has one, else whoever recorded the demand."""
    if demand.enterprise.org_unit_id:
        return {"units": [demand.enterprise.org_unit_id]}
    return {"users": [demand.created_by_id]} if demand.created_by_id else {}


def _next_code(year: int) -> str:
    prefix = f"SQ{year}"
    last = (
        Demand.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:06d}"


def routing_rule(category: str, county_id: int | None) -> RoutingRule | None:
    """The rule of a category in a county: the county's own, else its city's, else its province's,
    else the installation's default (each level routes the demands of the counties below that
    have no rule of their own)."""
    rules = RoutingRule.objects.filter(category=category).select_related("lead_unit")
    if county_id is None:
        return rules.order_by(F("county").asc(nulls_first=True), "pk").first()
    return nearest_issued(rules, county_id)


HANDLING_KINDS = (OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK)


def unit_name_in_county(unit: OrgUnit) -> str:
    """A unit's name without its county's: "自然资源局" for "甲县自然资源局" (what a rule issued
    above the counties names)."""
    county = unit.county if unit.county_id and unit.county_id != unit.pk else None
    if county is not None and unit.name.startswith(county.name) and len(unit.name) > len(county.name):
        return unit.name[len(county.name) :]
    return unit.name


def county_unit_named(name: str, county_id: int | None) -> OrgUnit | None:
    """The county's active handling unit of a name ("自然资源局": the county's 自然资源局, named
    either way); None when the county has no such unit or when there is no county."""
    if not name or county_id is None:
        return None
    units = OrgUnit.objects.filter(county=county_id, kind__in=HANDLING_KINDS, is_active=True).select_related(
        "county"
    )
    found = [u for u in units.filter(name__endswith=name) if unit_name_in_county(u) == name]
    return min(found, key=lambda u: (u.sort_order, u.pk)) if found else None


def rule_units(rule: RoutingRule, county_id: int | None) -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The lead and supporting units a rule gives a demand of a county: always units of that
    county. A rule issued above the counties names them; a county's rule (or the installation's
    default) names its units, used as they are when they lie in the county (or no county is
    known) and otherwise by their name within the county."""
    if rule.lead_unit_id is None:
        lead_name, names = rule.lead_name, rule.supporting_name_list
    else:
        units = [rule.lead_unit, *rule.supporting_units.all()]
        if county_id is None or all(u.county_id == county_id for u in units):
            return rule.lead_unit, units[1:]
        lead_name, names = unit_name_in_county(units[0]), [unit_name_in_county(u) for u in units[1:]]
    lead = county_unit_named(lead_name, county_id)
    supporting = [u for u in (county_unit_named(n, county_id) for n in names) if u is not None]
    return lead, supporting


def unit_names_below(user) -> list[str]:
    """The names of the bureaus in the counties below a city's or province's office, for the
    rules it issues ("自然资源局", once however many counties have one)."""
    units = within_counties(
        OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, is_active=True, county__isnull=False), scope_of(user)
    ).select_related("county")
    return sorted({unit_name_in_county(u) for u in units})


def county_of_demand(demand: Demand) -> int | None:
    """The county of the demand's enterprise."""
    return Enterprise.objects.filter(pk=demand.enterprise_id).values_list("town__county", flat=True).first()


def rule_days(category: str, county_id: int | None = None) -> tuple[int, int, int]:
    rule = routing_rule(category, county_id)
    return (rule.sign_days, rule.response_days, rule.complete_days) if rule else DEFAULT_DAYS


def _clean_tags(tags: str | Iterable[str]) -> str:
    items = (
        tags.replace(";", "；").replace("，", "；").replace(",", "；").split("；")
        if isinstance(tags, str)
        else tags
    )
    return "；".join(dict.fromkeys(t.strip() for t in items if t and t.strip()))[:200]


# --- intake and routing ----------------------------------------------------------------------


@transaction.atomic
def demand_create(
    *,
    actor,
    enterprise: Enterprise | None,
    category: str,
    title: str,
    description: str = "",
    sub_category: str = "",
    tags: str | Iterable[str] = "",
    channel: str = Channel.OFFICE,
    visit=None,
    wanted_by: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    external_no: str = "",
    at: dt.datetime | None = None,
    route: bool = True,
) -> Demand:
    """受理 a demand and, when a routing rule covers its category, 交办 it to the lead unit at once."""
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    errors: dict[str, list[str]] = {}
    if enterprise is None:
        errors["enterprise"] = ["请选择提出诉求的企业。"]
    elif not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        errors["enterprise"] = ["您无权为该企业登记诉求。"]
    if category not in DemandCategory.values:
        errors["category"] = ["请选择诉求类别。"]
    if not (title or "").strip():
        errors["title"] = ["请填写诉求内容。"]
    if wanted_by is not None and wanted_by < today:
        errors["wanted_by"] = ["期望解决时间不能早于今天。"]
    if channel not in Channel.values:
        errors["channel"] = ["来源渠道不正确。"]
    if actor.role == Role.ENTERPRISE and channel != Channel.PORTAL:
        channel = Channel.PORTAL
    if errors:
        raise ValidationError(errors)
    demand = Demand(
        code=_next_code(today.year),
        enterprise=enterprise,
        category=category,
        sub_category=(sub_category or "").strip()[:50],
        tags=_clean_tags(tags),
        title=title.strip()[:200],
        description=(description or "").strip(),
        channel=channel,
        visit=visit,
        wanted_by=wanted_by,
        contact_name=contact_name[:50],
        contact_phone=contact_phone[:30],
        external_no=external_no[:40],
        accepted_at=at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(demand, actor)
    _step(demand, kind=StepKind.ACCEPT, actor=actor, at=at, text=demand.get_channel_display())
    county_id = enterprise.town.county_id if enterprise.town_id else home_county_id(actor)
    rule = routing_rule(category, county_id)
    lead, supporting = rule_units(rule, county_id) if route and rule is not None else (None, [])
    # A county without the unit the rule names keeps the demand for its office to assign.
    if lead is not None:
        _route(demand, actor=actor, lead_unit=lead, supporting=supporting, at=at)
    return demand


def _route(demand: Demand, *, actor, lead_unit: OrgUnit, supporting: list[OrgUnit], at: dt.datetime, note=""):
    before = demand.state
    county_id = county_of_demand(demand)
    # A demand is handled in its enterprise's county, never by another county's unit.
    if county_id is not None and any(u.county_id not in (None, county_id) for u in [lead_unit, *supporting]):
        raise ValidationError({"lead_unit": "牵头单位和配合单位应为企业所在县的单位。"})
    sign_days, response_days, complete_days = rule_days(demand.category, county_id)
    start = timezone.localtime(at).date()
    demand.assign()
    demand.lead_unit = lead_unit
    demand.assigned_at = at
    if demand.month is None:
        demand.month = start.replace(day=1)
    demand.sign_due = workdays.add_working_days(start, sign_days)
    demand.response_due = workdays.add_working_days(start, response_days)
    demand.complete_due = workdays.add_working_days(start, complete_days)
    if demand.wanted_by and demand.wanted_by < demand.complete_due:
        # The enterprise's own date is honoured when it is sooner but not less than the answer time.
        demand.complete_due = max(demand.wanted_by, demand.response_due)
    demand.signed_at = demand.signed_by = demand.signed_on_time = None
    demand.escalated_at = None
    _save(demand, actor)
    demand.supporting_units.set([u for u in supporting if u.pk != lead_unit.pk])
    names = "、".join(u.name for u in supporting if u.pk != lead_unit.pk)
    text = (
        f"牵头单位：{lead_unit}" + (f"；配合单位：{names}" if names else "") + (f"。{note}" if note else "")
    )
    _step(demand, kind=StepKind.ASSIGN, actor=actor, at=at, text=text, before=before)
    _notify(
        demand,
        kind="service.demand.routed",
        title=f"新交办诉求：{demand.enterprise}「{demand.title}」",
        body=f"请于{demand.sign_due:%Y-%m-%d}前签收，{demand.complete_due:%Y-%m-%d}前办结。",
        units=[lead_unit, *supporting],
    )


@transaction.atomic
def demand_route(
    *,
    actor,
    demand: Demand,
    lead_unit: OrgUnit | None,
    supporting_units: Iterable[OrgUnit] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """交办 (or re-route after a return) by the office to a lead unit and supporting units."""
    _require_office(actor)
    current = _locked(demand)
    if lead_unit is None:
        raise ValidationError({"lead_unit": "请选择牵头单位。"})
    if lead_unit.kind in (OrgUnitKind.ENTERPRISE, OrgUnitKind.COUNTY):
        raise ValidationError({"lead_unit": "牵头单位应为部门、乡镇或园区。"})
    if current.state not in (DemandState.ACCEPTED, DemandState.RETURNED):
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，不能再交办。", code=STALE)
    _route(
        current,
        actor=actor,
        lead_unit=lead_unit,
        supporting=list(supporting_units),
        at=at or timezone.now(),
        note=note,
    )
    return current


@transaction.atomic
def routing_rule_save(
    *,
    actor,
    category: str,
    lead_unit: OrgUnit | None = None,
    supporting_units: Iterable[OrgUnit] = (),
    lead_name: str = "",
    supporting_names: Iterable[str] = (),
    sign_days: int = 1,
    response_days: int = 5,
    complete_days: int = 10,
) -> RoutingRule:
    """Write the office's rule for a category (lead unit, supporting units, deadlines in working days).

    A county's office names its county's units; a city's or province's office names the units by
    their name within a county ("自然资源局"), so each county's demands go to its own unit."""
    if not (actor and actor.can_issue):
        raise PermissionDenied("只有领导小组办公室可以执行此操作。")
    county_id = issuing_unit_id(actor)  # a city or province office writes its level's rule
    above = scope_of(actor).above_counties
    errors: dict[str, list[str]] = {}
    if category not in DemandCategory.values:
        errors["category"] = ["请选择诉求类别。"]
    lead_name = (lead_name or "").strip()
    names = [n for n in dict.fromkeys((n or "").strip() for n in supporting_names) if n and n != lead_name]
    if above:
        lead_unit, supporting_units = None, []
        if not lead_name:
            errors["lead_name"] = ["请选择牵头单位（各县该名称的单位牵头）。"]
    else:
        lead_name, names = "", []
        supporting_units = list(supporting_units)
        if lead_unit is None or lead_unit.kind not in HANDLING_KINDS:
            errors["lead_unit"] = ["牵头单位应为部门、乡镇或园区。"]
        elif county_id is not None and any(u.county_id != county_id for u in [lead_unit, *supporting_units]):
            errors["lead_unit"] = ["牵头单位和配合单位应为本县的单位。"]
    if not 0 < sign_days <= response_days <= complete_days <= 250:
        errors["complete_days"] = ["时限应满足：0 < 签收 ≤ 答复 ≤ 办结 ≤ 250 个工作日。"]
    if errors:
        raise ValidationError(errors)
    rule = RoutingRule.objects.filter(category=category, county=county_id).first() or RoutingRule(
        category=category, county_id=county_id
    )
    rule.lead_unit, rule.lead_name, rule.supporting_names = lead_unit, lead_name, "、".join(names)
    rule.sign_days, rule.response_days, rule.complete_days = sign_days, response_days, complete_days
    rule._history_user = actor
    rule.save()
    rule.supporting_units.set([u for u in supporting_units if lead_unit is None or u.pk != lead_unit.pk])
    return rule


# --- the lead unit's work --------------------------------------------------------------------


@transaction.atomic
def demand_sign(*, actor, demand: Demand, at: dt.datetime | None = None) -> Demand:
    """签收. Two staff signing at once: the row lock lets the first win; the second is told who signed."""
    at = at or timezone.now()
    current = _locked(demand)
    if current.state == DemandState.SIGNED or (current.signed_at and current.state != DemandState.ASSIGNED):
        who = current.signed_by or "他人"
        when = timezone.localtime(current.signed_at).strftime("%Y-%m-%d %H:%M") if current.signed_at else ""
        raise ValidationError(f"该诉求已由{who}于{when}签收，无需重复签收。", code=STALE)
    if current.state != DemandState.ASSIGNED:
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，不能签收。", code=STALE)
    _require_handler(actor, current, "签收")
    before = current.state
    current.sign()
    current.signed_at, current.signed_by = at, actor
    current.signed_on_time = timezone.localtime(at).date() <= current.sign_due
    _save(current, actor)
    _step(current, kind=StepKind.SIGN, actor=actor, at=at, before=before)
    return current


def _mark_response(demand: Demand, at: dt.datetime) -> None:
    if demand.responded_at is None:
        demand.responded_at = at
        demand.responded_on_time = timezone.localtime(at).date() <= demand.response_due


@transaction.atomic
def demand_note(
    *, actor, demand: Demand, text: str, interim: bool = False, at: dt.datetime | None = None
) -> DemandStep:
    """办理: a note, or an interim reply to the enterprise (which counts as the first response)."""
    at = at or timezone.now()
    current = _locked(demand)
    _require_handler(actor, current, "答复或登记办理情况")
    if not (text or "").strip():
        raise ValidationError({"text": "请填写办理情况。"})
    if current.state not in (DemandState.SIGNED, DemandState.HANDLING):
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，请先签收再办理。")
    before = current.state
    current.handle()
    if interim:
        _mark_response(current, at)
    _save(current, actor)
    step = _step(
        current,
        kind=StepKind.INTERIM if interim else StepKind.NOTE,
        actor=actor,
        at=at,
        text=text.strip(),
        before=before,
    )
    if interim:
        _notify(
            current,
            kind="service.demand.interim",
            title=f"诉求「{current.title}」有阶段答复",
            body=text.strip()[:200],
            **_enterprise_recipients(current),
        )
    return step


@transaction.atomic
def demand_answer(*, actor, demand: Demand, answer: str, at: dt.datetime | None = None) -> Demand:
    """办结: the answer goes to the enterprise, which is asked to rate it."""
    at = at or timezone.now()
    current = _locked(demand)
    _require_handler(actor, current, "答复")
    if not (answer or "").strip():
        raise ValidationError({"answer": "请填写办结答复。"})
    if current.state not in (DemandState.SIGNED, DemandState.HANDLING):
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，不能办结。")
    before = current.state
    current.close()
    day = timezone.localtime(at).date()
    _mark_response(current, at)
    current.answered_at, current.answer = at, answer.strip()
    current.answered_on_time = day <= current.complete_due
    current.days_to_answer = workdays.working_days_between(
        timezone.localtime(current.assigned_at).date(), day
    )
    _save(current, actor)
    _step(current, kind=StepKind.ANSWER, actor=actor, at=at, text=current.answer, before=before)
    _notify(
        current,
        kind="service.demand.answered",
        title=f"诉求「{current.title}」已办结，请评价",
        body=current.answer[:200],
        **_enterprise_recipients(current),
    )
    return current


@transaction.atomic
def demand_return(*, actor, demand: Demand, reason: str, at: dt.datetime | None = None) -> Demand:
    """退回: not this unit's matter; the office re-routes it."""
    at = at or timezone.now()
    current = _locked(demand)
    _require_handler(actor, current, "退回")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写退回理由。"})
    if current.state not in (DemandState.ASSIGNED, DemandState.SIGNED):
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，不能退回。")
    before, unit = current.state, current.lead_unit
    current.send_back()
    current.return_reason = reason.strip()[:500]
    current.lead_unit = None
    _save(current, actor)
    current.supporting_units.clear()
    _step(current, kind=StepKind.RETURN, actor=actor, at=at, text=current.return_reason, before=before)
    _notify(
        current,
        kind="service.demand.returned",
        title=f"{unit}退回诉求「{current.title}」，请重新交办",
        body=current.return_reason,
        units=_office_units(current),
    )
    return current


@transaction.atomic
def demand_request_extension(
    *, actor, demand: Demand, new_due: dt.date | None, reason: str, at: dt.datetime | None = None
) -> ExtensionRequest:
    """申请延期: the lead unit asks the office for a later completion date."""
    at = at or timezone.now()
    current = _locked(demand)
    _require_handler(actor, current, "申请延期")
    errors: dict[str, list[str]] = {}
    if current.state not in (DemandState.SIGNED, DemandState.HANDLING):
        errors["__all__"] = ["签收后、办结前才能申请延期。"]
    if new_due is None or new_due < timezone.localtime(at).date():
        errors["new_due"] = ["延期后的时限不能早于今天。"]
    elif current.complete_due and new_due <= current.complete_due:
        errors["new_due"] = [f"延期后的时限应晚于现办结时限 {current.complete_due:%Y-%m-%d}。"]
    if not (reason or "").strip():
        errors["reason"] = ["请填写延期理由。"]
    if current.extensions.filter(status=ExtensionStatus.PENDING).exists():
        errors["__all__"] = ["已有待审批的延期申请。"]
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest(
        demand=current,
        unit=current.lead_unit,
        requested_by=actor,
        requested_at=at,
        new_due=new_due,
        reason=reason.strip(),
    )
    request._history_user = actor
    request.save()
    _step(
        current,
        kind=StepKind.EXTEND_REQUEST,
        actor=actor,
        at=at,
        text=f"申请延至{new_due:%Y-%m-%d}：{reason.strip()}",
    )
    _notify(
        current,
        kind="service.demand.extension",
        title=f"{current.lead_unit}申请延期：「{current.title}」",
        body=reason.strip(),
        units=_office_units(current),
    )
    return request


@transaction.atomic
def demand_decide_extension(
    *, actor, extension: ExtensionRequest, approve: bool, at: dt.datetime | None = None
) -> ExtensionRequest:
    """The office approves (the completion date moves) or refuses an extension request."""
    _require_office(actor)
    at = at or timezone.now()
    request = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已审批。", code=STALE)
    current = _locked(request.demand)
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at = actor, at
    request._history_user = actor
    request.save()
    if approve:
        current.complete_due = request.new_due
        current.escalated_at = None
        _save(current, actor)
    _step(
        current,
        kind=StepKind.EXTEND_APPROVE if approve else StepKind.EXTEND_REFUSE,
        actor=actor,
        at=at,
        text=f"办结时限{'延至' if approve else '仍为'}{current.complete_due:%Y-%m-%d}",
    )
    _notify(
        current,
        kind="service.demand.extension_decided",
        title=f"延期申请{'已同意' if approve else '未同意'}：「{current.title}」",
        units=[request.unit_id],
    )
    return request


# --- the enterprise's side -------------------------------------------------------------------


@transaction.atomic
def demand_rate(
    *,
    actor,
    demand: Demand,
    rating: str,
    comment: str = "",
    on_behalf: bool = False,
    at: dt.datetime | None = None,
) -> Demand:
    """评价: by the enterprise, or by an official recording it on the enterprise's behalf (marked)."""
    at = at or timezone.now()
    current = _locked(demand)
    is_enterprise = _is_enterprise_user(actor, current)
    if not can_rate(actor, current):
        raise PermissionDenied("只有提出诉求的企业（或代企业登记评价的工作人员）可以评价，办理单位不能自评。")
    if not is_enterprise and not on_behalf:
        raise ValidationError({"on_behalf": "工作人员评价须勾选“代企业评价”，并注明企业的意见。"})
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    if rating == Rating.UNSATISFIED and not (comment or "").strip():
        raise ValidationError({"comment": "不满意时请说明原因。"})
    if current.state != DemandState.ANSWERED:
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，办结后才能评价。", code=STALE)
    before = current.state
    current.rate()
    current.rating, current.rating_comment = rating, (comment or "").strip()[:500]
    current.rated_at, current.rated_by, current.rated_on_behalf = at, actor, not is_enterprise
    _save(current, actor)
    text = current.get_rating_display() + (f"：{current.rating_comment}" if current.rating_comment else "")
    _step(
        current, kind=StepKind.RATE, actor=actor, at=at, text=text, before=before, on_behalf=not is_enterprise
    )
    if rating == Rating.UNSATISFIED:
        _notify(
            current,
            kind="service.demand.unsatisfied",
            title=f"企业对「{current.title}」不满意",
            body=current.rating_comment,
            units=[*_office_units(current), current.lead_unit_id],
        )
    return current


@transaction.atomic
def demand_reopen(*, actor, demand: Demand, reason: str = "", at: dt.datetime | None = None) -> Demand:
    """重办: an unsatisfied rating sends the demand back to the lead unit with a new completion date."""
    at = at or timezone.now()
    current = _locked(demand)
    if not (_is_office(actor) or _is_enterprise_user(actor, current)):
        raise PermissionDenied("只有领导小组办公室或企业本身可以要求重办。")
    if current.state != DemandState.RATED or current.rating != Rating.UNSATISFIED:
        raise ValidationError("只有评价为不满意的诉求可以重办。")
    before = current.state
    current.reopen()
    _, _, complete_days = rule_days(current.category, county_of_demand(current))
    current.complete_due = workdays.add_working_days(timezone.localtime(at).date(), complete_days)
    current.reopen_count += 1
    current.escalated_at = None
    _save(current, actor)
    _step(
        current,
        kind=StepKind.REOPEN,
        actor=actor,
        at=at,
        text=(reason or current.rating_comment).strip(),
        before=before,
    )
    _notify(
        current,
        kind="service.demand.reopened",
        title=f"诉求「{current.title}」重办",
        body=f"企业不满意，请于{current.complete_due:%Y-%m-%d}前重新办结。",
        units=[current.lead_unit_id],
    )
    return current


@transaction.atomic
def demand_archive(*, actor, demand: Demand, at: dt.datetime | None = None) -> Demand:
    """归档 a rated (or long answered) demand."""
    _require_office(actor)
    at = at or timezone.now()
    current = _locked(demand)
    if current.state == DemandState.RATED and current.rating == Rating.UNSATISFIED:
        raise ValidationError("企业不满意的诉求应先重办，不能直接归档。")
    if current.state not in (DemandState.RATED, DemandState.ANSWERED):
        raise ValidationError(f"诉求当前为“{current.get_state_display()}”，不能归档。")
    before = current.state
    current.archive()
    _save(current, actor)
    _step(current, kind=StepKind.ARCHIVE, actor=actor, at=at, before=before)
    return current


# --- deadlines -------------------------------------------------------------------------------


def _due(demand: Demand) -> dt.date | None:
    return demand.sign_due if demand.state == DemandState.ASSIGNED else demand.complete_due


@transaction.atomic
def demands_escalate(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily deadline pass: remind units of demands due tomorrow (once a day) and escalate
    demands whose deadline passed (once, to the lead unit's leaders and the county's office)."""
    today = today or timezone.localdate()
    tomorrow = workdays.next_working_day(today + dt.timedelta(days=1))
    now = timezone.now()
    reminded = escalated = 0
    open_demands = Demand.objects.filter(
        state__in=[DemandState.ASSIGNED, DemandState.SIGNED, DemandState.HANDLING]
    ).select_related("enterprise__town", "lead_unit")
    for demand in open_demands.select_for_update(of=("self",)):
        due = _due(demand)
        if due is None:
            continue
        what = "签收" if demand.state == DemandState.ASSIGNED else "办结"
        if due < today and demand.escalated_at is None:
            demand.escalated_at = now
            _save(demand, None)
            _step(demand, kind=StepKind.ESCALATE, actor=None, at=now, text=f"{what}时限{due:%Y-%m-%d}已过")
            # To the lead unit's leaders by name (the unit itself when it has none marked) and
            # to the county's office.
            leaders = _unit_leaders(demand.lead_unit_id)
            _notify(
                demand,
                kind="service.demand.escalated",
                title=f"超期督办：{demand.lead_unit}「{demand.title}」",
                body=f"{what}时限{due:%Y-%m-%d}已过，请单位负责人督促办理。",
                users=leaders,
                units=[*([] if leaders else [demand.lead_unit_id]), *_office_units(demand)],
            )
            escalated += 1
        elif today <= due <= tomorrow and demand.reminded_on != today:
            demand.reminded_on = today
            _save(demand, None)
            _notify(
                demand,
                kind="service.demand.due_soon",
                title=f"即将到期：「{demand.title}」",
                body=f"请于{due:%Y-%m-%d}前{what}。",
                units=[demand.lead_unit_id],
            )
            reminded += 1
    return {"reminded": reminded, "escalated": escalated}


@transaction.atomic
def demand_group_create(
    *,
    actor,
    demands: Iterable[Demand],
    title: str,
    kind: str,
    lead_unit: OrgUnit | None,
    description: str = "",
):
    """举一反三: turn a group of similar demands into one supervised task or policy proposal, linked
    back to every demand in it (office only)."""
    from ..models import DemandGroup

    _require_office(actor)
    demands = list(demands)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = ["请填写共性问题。"]
    if kind not in ("task", "proposal"):
        errors["kind"] = ["请选择督办任务或政策建议。"]
    if lead_unit is None:
        errors["lead_unit"] = ["请选择牵头单位。"]
    if len(demands) < 2:
        errors["__all__"] = ["至少选择两件诉求。"]
    elif Demand.objects.filter(pk__in=[d.pk for d in demands], task_group__isnull=False).exists():
        errors["__all__"] = ["所选诉求中已有诉求归入其他举一反三事项。"]
    if errors:
        raise ValidationError(errors)
    group = DemandGroup(
        title=title.strip()[:200], kind=kind, lead_unit=lead_unit, description=description, created_by=actor
    )
    group._history_user = actor
    group.save()
    Demand.objects.filter(pk__in=[d.pk for d in demands]).update(task_group=group)
    now = timezone.now()
    for demand in demands:
        _step(
            demand,
            kind=StepKind.NOTE,
            actor=actor,
            at=now,
            text=f"举一反三：归入“{group.title}”（{group.get_kind_display()}）",
        )
    notice_send(
        kind="service.group.created",
        title=f"举一反三{group.get_kind_display()}：{group.title}",
        body=f"涉及 {len(demands)} 件诉求，请牵头研究一并解决。",
        link=reverse("service:groups"),
        units=[lead_unit],
        related=group,
    )
    return group
