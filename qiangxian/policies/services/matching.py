"""Matching (政策找人): all open clauses × all enterprises as one recorded run, then the notices."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qiangxian.core.access import scope_of
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.formatting import format_money, mask_phone
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Enterprise, EnterpriseLiaison
from qiangxian.enterprises.services import contacts_visible_ids
from qiangxian.inbox.services import notice_send
from qiangxian.rules.catalogue import rule_catalogue
from qiangxian.rules.engine import RuleError, Snapshot
from qiangxian.rules.engine.vector import VectorEvaluator
from qiangxian.statistics.snapshot import build_snapshot

from ..calc import (
    MET,
    UNKNOWN,
    ClauseResult,
    CompiledClause,
    apply_limits,
    compile_clause,
    evaluate_clause,
)
from ..choices import ApplicationStatus, GrantMode, MatchOutcome, PolicyStatus, RunStatus
from ..models import (
    Application,
    Clause,
    ClauseOutcome,
    ClauseVersion,
    EnterpriseSlice,
    Match,
    MatchAlert,
    MatchRun,
)
from ..outcomes import Unpacked, materialise, money_of, outcome_row, slice_rows
from .library import can_manage_policies


def open_versions(as_of: dt.date, *, actor=None) -> list[ClauseVersion]:
    """The version in force on ``as_of`` of every published clause of a published policy in force
    (with ``actor``: of the policies that apply in the actor's counties)."""
    clauses = Clause.objects.all() if actor is None else Clause.objects.visible_to(actor)
    clauses = (
        clauses.filter(
            is_published=True, policy__status=PolicyStatus.PUBLISHED, policy__effective_from__lte=as_of
        )
        .filter(Q(policy__effective_to__isnull=True) | Q(policy__effective_to__gte=as_of))
        .select_related("policy")
        .prefetch_related("versions")
        .order_by("policy_id", "sort_order", "pk")
    )
    out = []
    for clause in clauses:
        version = clause.version_on(as_of)
        if version is not None:
            version.clause = clause
            out.append(version)
    return out


def compile_open(versions: list[ClauseVersion]) -> tuple[list[CompiledClause], list[str]]:
    """Compiled clauses, and the reasons of those that no longer compile (skipped, not fatal)."""
    compiled, problems = [], []
    for v in versions:
        cap = v.clause.policy.cap_per_enterprise_year
        try:
            compiled.append(compile_clause(v, policy_cap=float(cap) if cap is not None else None))
        except RuleError as exc:
            problems.append(f"{v.clause}：{exc.message}")
    return compiled, problems


def granted_this_year(year: int) -> dict[str, dict[int, int]]:
    """Exclusion group -> {enterprise: clause} of the benefits already decided this year."""
    out: dict[str, dict[int, int]] = defaultdict(dict)
    rows = (
        Application.objects.filter(year=year)
        .exclude(status__in=[ApplicationStatus.EXCLUDED, ApplicationStatus.MATCHED])
        .exclude(clause_version__exclusion_group="")
        .values_list("clause_version__exclusion_group", "enterprise_id", "clause_id")
    )
    for group, enterprise, clause in rows:
        out[group].setdefault(enterprise, clause)
    return out


def evaluate_all(compiled: list[CompiledClause], snapshot: Snapshot, *, year: int) -> list[ClauseResult]:
    """Every clause over the snapshot, with exclusions, caps and budgets applied across them."""
    ev = VectorEvaluator(snapshot)
    results = [evaluate_clause(cc, snapshot, ev) for cc in compiled]
    apply_limits(results, enterprise_ids=snapshot.enterprise_ids, granted=granted_this_year(year))
    return results


def snapshot_for(compiled: list[CompiledClause], *, as_of: dt.date, enterprises=None) -> Snapshot:
    """The indicators the clauses read, for the given enterprises (None: all), on ``as_of``."""
    identifiers = set().union(*(cc.identifiers() for cc in compiled)) if compiled else set()
    return build_snapshot(
        enterprises=enterprises, as_of=as_of, catalogue=rule_catalogue(), identifiers=identifiers or None
    )


def run_matching(*, actor, as_of: dt.date | None = None, snapshot: Snapshot | None = None) -> MatchRun:
    """Match every open clause against every enterprise and record the run.

    ``snapshot`` may be given (benchmarks, tests); otherwise it is built through the indicators
    layer for the whole registry. Kept: met, unknown and near-miss results only, packed one row
    per clause (see :mod:`..outcomes`).
    """
    if actor is not None and not can_manage_policies(actor):
        raise PermissionDenied("只有领导小组办公室可以发起政策匹配。")
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    versions = open_versions(as_of, actor=actor)
    compiled, problems = compile_open(versions)
    scope = scope_of(actor) if actor is not None else None
    bounded = scope is not None and scope.counties is not None
    if snapshot is None:
        # Inside a county boundary only the actor's counties' enterprises are matched.
        enterprises = Enterprise.objects.visible_to(actor) if bounded else None
        snapshot = snapshot_for(compiled, as_of=as_of, enterprises=enterprises)
    results = evaluate_all(compiled, snapshot, year=as_of.year)
    with transaction.atomic():
        run = MatchRun.objects.create(
            as_of=as_of,
            started_by=actor,
            county_id=scope.counties[0] if bounded and len(scope.counties) == 1 else None,
            versions={str(cc.clause_id): cc.version_id for cc in compiled},
            enterprise_count=snapshot.size,
            clause_count=len(compiled),
            error="\n".join(problems),
        )
        met = near = unknown = 0
        total = 0.0
        for result in results:
            met += int(np.count_nonzero(result.outcome == MET))
            unknown += int(np.count_nonzero(result.outcome == UNKNOWN))
            near += int(np.count_nonzero(result.near))
            total += float(np.nansum(np.where(result.outcome == MET, result.amount, 0.0)))
        outcomes = [outcome_row(run, result, snapshot.enterprise_ids) for result in results]
        ClauseOutcome.objects.bulk_create(outcomes, batch_size=20)
        EnterpriseSlice.objects.bulk_create(slice_rows(run, outcomes), batch_size=20)
        run.sliced = True
        alert_run(run, outcomes)
        run.met_count, run.near_count, run.unknown_count = met, near, unknown
        run.total_amount = Decimal(str(round(total, 2)))
        run.status = RunStatus.DONE
        run.seconds = time.perf_counter() - started
        run.save()
    return run


def _office_units(county_id) -> list[int]:
    units = OrgUnit.objects.filter(kind=OrgUnitKind.OFFICE, is_active=True)
    if county_id is not None:
        units = units.filter(Q(county_id=county_id) | Q(pk=county_id))
    return list(units.values_list("pk", flat=True))


def alert_run(run: MatchRun, outcomes: list[ClauseOutcome]) -> int:
    """Tell the enterprises what they newly meet or are newly close to, once, and the office.

    Every enterprise with a portal account or a liaison that meets a clause with money (or comes
    close to one) for the first time gets one notice in its inbox listing those clauses, and its
    liaisons one notice listing their enterprises; what was told before (:class:`MatchAlert`) is
    not told again on a later run. The office gets a summary of the run. ``outcomes`` carry their
    arrays (from :func:`..outcomes.outcome_row`). Returns how many enterprises were told.
    """
    units = dict(
        Enterprise.objects.filter(org_unit__isnull=False).values_list("pk", "org_unit_id").iterator()
    )
    liaisons: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, user_id in EnterpriseLiaison.objects.filter(user__is_active=True).values_list(
        "enterprise_id", "user_id"
    ):
        liaisons[enterprise_id].append(user_id)
    reachable = np.array(sorted(set(units) | set(liaisons)), dtype=np.int64)
    fresh: dict[int, list[tuple[ClauseOutcome, str, int]]] = defaultdict(list)
    if len(reachable):
        kinds = (MatchAlert.Kind.MET, MatchAlert.Kind.NEAR)
        # Candidates in (clause, kind, row) order, as arrays: enterprise, clause's index, kind, row.
        ents, owners, kind_codes, rows = [], [], [], []
        for k, o in enumerate(outcomes):
            a = o.arrays
            here = np.isin(a["enterprise"], reachable)
            met = here & (a["outcome"] == MET) & (np.nan_to_num(a["amount"]) > 0)
            for code, mask in enumerate((met, here & a["near"])):
                pos = np.flatnonzero(mask)
                ents.append(a["enterprise"][pos])
                owners.append(np.full(len(pos), k, dtype=np.int64))
                kind_codes.append(np.full(len(pos), code, dtype=np.int64))
                rows.append(pos)
        ent = np.concatenate(ents) if ents else np.zeros(0, dtype=np.int64)
        if len(ent):
            owner, kind_code, row = np.concatenate(owners), np.concatenate(kind_codes), np.concatenate(rows)
            clause_of = np.array([o.clause_id for o in outcomes], dtype=np.int64)
            told = MatchAlert.objects.filter(clause_id__in=clause_of.tolist()).values_list(
                "enterprise_id", "clause_id", "kind"
            )
            code_of = {kind: code for code, kind in enumerate(kinds)}
            told_keys = np.fromiter(
                (_alert_key(e, c, code_of[kind]) for e, c, kind in told.iterator(chunk_size=5000)),
                dtype=np.int64,
            )
            new = ~np.isin(_alert_key(ent, clause_of[owner], kind_code), told_keys)
            picked = (ent[new], owner[new], kind_code[new], row[new])
            for e, k, code, pos in zip(*(a.tolist() for a in picked), strict=True):
                fresh[e].append((outcomes[k], kinds[code], pos))
    if fresh:
        MatchAlert.objects.bulk_create(
            [
                MatchAlert(enterprise_id=e, clause_id=o.clause_id, kind=kind, run=run)
                for e, items in fresh.items()
                for o, kind, _ in items
            ],
            batch_size=2000,
        )
        _send_alerts(run, fresh, units, liaisons)
    office = _office_units(run.county_id)
    met, near = sum(o.met_count for o in outcomes), sum(o.near_count for o in outcomes)
    cost = sum((o.cost for o in outcomes), Decimal(0))
    if office:
        notice_send(
            kind="policies.run.done",
            title=f"政策匹配完成：{run.as_of:%Y-%m-%d} 数据",
            body=(
                f"{run.clause_count} 项条款 × {run.enterprise_count} 家企业：符合 {met} 家次，"
                f"接近 {near} 家次，测算金额 {format_money(cost)}；新告知 {len(fresh)} 家企业。"
            ),
            link=reverse("policies:run", args=[run.pk]),
            units=office,
            related=run,
        )
    return len(fresh)


def _alert_key(enterprise, clause, kind_code):
    """One integer for (enterprise, clause, kind) (ids below 2**31), for set tests in numpy."""
    return (enterprise << 32) | (clause << 1) | kind_code


def _send_alerts(run, fresh, units, liaisons) -> None:
    clauses = {
        c.pk: c
        for c in Clause.objects.filter(
            pk__in={o.clause_id for items in fresh.values() for o, _, _ in items}
        ).select_related("policy")
    }
    names = dict(Enterprise.objects.filter(pk__in=list(fresh)).values_list("pk", "name"))
    by_liaison: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, items in fresh.items():
        lines = []
        for o, kind, pos in items:
            clause = clauses[o.clause_id]
            u = Unpacked(o, o.arrays)
            if kind == MatchAlert.Kind.MET:
                amount = format_money(money_of(o.arrays["amount"][pos]))
                lines.append(f"符合《{clause.policy.title}》{clause}，预计可享 {amount}")
            else:
                lines.append(f"接近《{clause.policy.title}》{clause}：{u.gap(pos) or '差距见平台'}")
        met = sum(1 for _, kind, _ in items if kind == MatchAlert.Kind.MET)
        title = f"政策找人：贵企业新符合 {met} 项政策条款" if met else "政策找人：贵企业接近符合政策条款"
        body = "；".join(lines) + "。详情请登录平台查看“可享政策”。"
        notice_send(
            kind="policies.match.met" if met else "policies.match.near",
            title=title,
            body=body,
            link=reverse("policies:enterprise", args=[enterprise_id]),
            units=[units[enterprise_id]] if enterprise_id in units else [],
            related=run,
        )
        for user_id in liaisons.get(enterprise_id, []):
            by_liaison[user_id].append(f"{names.get(enterprise_id, enterprise_id)}（{'；'.join(lines)}）")
    for user_id, lines in by_liaison.items():
        notice_send(
            kind="policies.match.liaison",
            title=f"待办：您包联的 {len(lines)} 家企业有新符合或接近符合的政策",
            body="\n".join(lines),
            link=reverse("policies:exposure"),
            users=[user_id],
            related=run,
        )


@transaction.atomic
def notify_run(*, actor, run: MatchRun) -> int:
    """Open a 免申即享 item (待企业确认) for every met match of an auto-granted clause with money.

    An enterprise already holding an item for the clause this year is not notified again.
    Returns how many were notified.
    """
    if not can_manage_policies(actor):
        raise PermissionDenied("只有领导小组办公室可以推送政策。")
    now = timezone.now()
    year = run.as_of.year
    existing = set(Application.objects.filter(year=year).values_list("clause_id", "enterprise_id"))
    materialise(
        run,
        ClauseOutcome.objects.filter(
            run=run, clause_version__mode__in=[GrantMode.AUTO_GRANT, GrantMode.ON_NOTICE], met_count__gt=0
        ).values_list("clause_id", flat=True),
    )
    matches = (
        Match.objects.filter(run=run, outcome=MatchOutcome.MET, amount__gt=0)
        .filter(clause_version__mode__in=[GrantMode.AUTO_GRANT, GrantMode.ON_NOTICE])
        .select_related("clause_version")
    )
    created = [
        Application(
            clause_id=m.clause_id,
            clause_version_id=m.clause_version_id,
            enterprise_id=m.enterprise_id,
            match=m,
            year=year,
            mode=m.clause_version.mode,
            estimated_amount=m.amount,
            notified_at=now,
        )
        for m in matches.iterator(chunk_size=2000)
        if (m.clause_id, m.enterprise_id) not in existing
    ]
    Application.objects.bulk_create(created, batch_size=2000)
    _send_requests(created)
    return len(created)


def notice_text(enterprise_name: str, policy_title: str, clause, amount) -> str:
    """The message asking an enterprise to confirm a benefit it need not apply for."""
    return (
        f"【政策找人】{enterprise_name}：根据平台现有数据，贵企业符合《{policy_title}》"
        f"{clause}，预计可享受 {amount:,.2f} 元，无需申报，请登录平台确认享受意愿和收款账户。"
    )


def _send_requests(created: list[Application]) -> None:
    """Each notified enterprise's inbox (its account, else its liaisons) gets the message."""
    if not created:
        return
    enterprises = Enterprise.objects.in_bulk({a.enterprise_id for a in created})
    clauses = Clause.objects.select_related("policy").in_bulk({a.clause_id for a in created})
    liaisons: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, user_id in EnterpriseLiaison.objects.filter(
        enterprise_id__in=list(enterprises), user__is_active=True
    ).values_list("enterprise_id", "user_id"):
        liaisons[enterprise_id].append(user_id)
    for app in created:
        enterprise, clause = enterprises[app.enterprise_id], clauses[app.clause_id]
        recipients = (
            {"units": [enterprise.org_unit_id], "users": liaisons[enterprise.pk]}
            if enterprise.org_unit_id
            else {"users": liaisons[enterprise.pk]}
        )
        if not recipients.get("units") and not recipients["users"]:
            continue
        notice_send(
            kind="policies.grant.confirm",
            title=f"免申即享待确认：{clause}",
            body=notice_text(enterprise.name, clause.policy.title, clause, app.estimated_amount),
            link=reverse("policies:application", args=[app.pk]),
            related=app,
            **recipients,
        )


@dataclass(frozen=True)
class Notice:
    """One message to send an enterprise (platform inbox, SMS or WeCom)."""

    application_id: int
    enterprise_id: int
    enterprise: str
    recipient: str
    phone: str
    liaison: str
    clause: str
    amount: Decimal
    text: str
    read: bool
    confirmed: bool


def match_notices(*, user, run: MatchRun | None = None, only_unconfirmed: bool = True) -> list[Notice]:
    """The message list of notified benefits the user may see (the inbox and the exports read it)."""
    from ..selectors import application_list

    qs = application_list(user=user).filter(notified_at__isnull=False)
    if run is not None:
        qs = qs.filter(match__run=run)
    if only_unconfirmed:
        qs = qs.filter(status=ApplicationStatus.MATCHED)
    qs = qs.select_related("enterprise", "clause__policy").prefetch_related(
        "enterprise__contacts", "enterprise__liaisons__user"
    )
    apps = list(qs.order_by("enterprise__name", "clause_id"))
    # Full numbers only for the enterprise's own liaisons, town, park and the office (等保: 个人信息).
    full_phone = contacts_visible_ids(user, {app.enterprise_id for app in apps})
    out = []
    for app in apps:
        contacts = list(app.enterprise.contacts.all())
        contact = contacts[0] if contacts else None
        liaisons = "、".join(str(li.user) for li in app.enterprise.liaisons.all())
        phone = getattr(contact, "phone", "") or ""
        amount = app.estimated_amount
        text = notice_text(app.enterprise.name, app.clause.policy.title, app.clause, amount)
        out.append(
            Notice(
                application_id=app.pk,
                enterprise_id=app.enterprise_id,
                enterprise=app.enterprise.name,
                recipient=getattr(contact, "name", "") or "",
                phone=phone if app.enterprise_id in full_phone else mask_phone(phone),
                liaison=liaisons,
                clause=str(app.clause),
                amount=amount,
                text=text,
                read=app.read_at is not None,
                confirmed=app.confirmed_at is not None,
            )
        )
    return out
