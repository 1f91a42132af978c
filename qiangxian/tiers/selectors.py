"""Reads of the tiers app, always scoped to the user: the pool and one enterprise's evaluation."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.versions import digest, history_fingerprint
from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.engine import Explanation, Outcome, Snapshot, format_value
from qiangxian.rules.engine.loader import builtin_rules_version
from qiangxian.statistics.snapshot import build_snapshot

from . import tiers as tier_defs
from .evaluation import LIST_KEYS, NearRule, Status, TierEvaluation, evaluate_all, evaluate_tier
from .models import AssessmentAward, AssessmentDesignation, AssessmentJudgement, AssessmentValue
from .tiers import TIER_BY_CODE, TIERS, Tier


def evaluation_date() -> dt.date:
    """The date tiers are judged on: today (the version of each rule set in force today)."""
    return timezone.localdate()


def visible_enterprises(*, user):
    """Enterprises the user may see (the registry's scoping, liaisons included)."""
    return Enterprise.objects.visible_to(user)


@dataclass
class PoolData:
    """One evaluation of every tier over the user's (filtered) enterprises."""

    as_of: dt.date
    snapshot: Snapshot
    evaluations: dict[str, TierEvaluation]
    near: NearRule

    def counts(self) -> list[dict]:
        """Per tier: code, label, version and the number of enterprises per status."""
        out = []
        for ev in self.evaluations.values():
            out.append({"tier": ev.tier, "version": ev.ruleset.version, **ev.counts()})
        return out


def pool_data(
    *, user, enterprises=None, as_of: dt.date | None = None, near: NearRule | None = None
) -> PoolData:
    """Evaluate every tier for the enterprises the user may see (optionally narrowed by a filter).

    ``enterprises`` is a queryset the caller filtered (town, park, cluster); it is always
    intersected with what the user may see. The evaluation is kept in the cache per population,
    date and near rule under the fingerprint of its inputs (:func:`pool_version`), so every user
    who sees the same enterprises reads one stored evaluation until an input changes.
    """
    from django.core.cache import cache

    as_of = as_of or evaluation_date()
    scoped = visible_enterprises(user=user)
    if enterprises is not None:
        scoped = scoped.filter(pk__in=enterprises.order_by().values("pk"))
    near = near or NearRule.from_settings()
    ids = list(scoped.order_by("pk").values_list("pk", flat=True))
    key = f"qx:tiers:pool:{pool_version()}:{as_of:%Y%m%d}:{near.max_unmet}:{near.max_gap}:{digest(ids)}"
    found = cache.get(key)
    if found is None:
        snapshot = build_snapshot(enterprises=scoped, as_of=as_of, identifiers=tier_defs.rule_identifiers())
        found = PoolData(
            as_of=as_of, snapshot=snapshot, evaluations=evaluate_all(snapshot, on=as_of, near=near), near=near
        )
        cache.set(key, found, POOL_CACHE_SECONDS)
    return found


POOL_CACHE_SECONDS = 6 * 60 * 60


def pool_version() -> str:
    """Fingerprint of everything an evaluation reads: facts (through their import batches and the
    rollups' fill state), the registry and its titles, the assessment records and the rule files."""
    from django.db.models import Count, Max

    from qiangxian.enterprises.models import Designation
    from qiangxian.statistics.models import ImportBatch, RollupFillState

    filled = RollupFillState.objects.aggregate(at=Max("filled_at"), n=Count("pk"))
    return history_fingerprint(
        ImportBatch,
        Enterprise,
        Designation,
        AssessmentValue,
        AssessmentDesignation,
        AssessmentAward,
        AssessmentJudgement,
        extra=[filled, builtin_rules_version()],
    )


def pool_page_version() -> str:
    """Fingerprint of what the pool page shows besides the evaluation: the liaisons (a town's
    enterprises outside its jurisdiction), the units' names and the clusters of the filter."""
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Cluster, ClusterMembership, EnterpriseLiaison

    return history_fingerprint(EnterpriseLiaison, OrgUnit, Cluster, ClusterMembership)


@dataclass
class RowDetail:
    """Why one enterprise stands where it does against one tier, in the user's terms."""

    enterprise_id: int
    status: Status
    unmet: list[str] = field(default_factory=list)  # unmet criteria titles
    gaps: list[str] = field(default_factory=list)  # gap texts ("还差…，约需增加…")
    missing: list[str] = field(default_factory=list)  # data to complete
    confirm: list[str] = field(default_factory=list)  # 人工判断 texts nobody has recorded yet
    points: str = ""
    explanation: Explanation | None = None

    @property
    def status_label(self) -> str:
        return self.status.label


def _points_text(exp: Explanation) -> str:
    rs = exp.ruleset
    if exp.points is not None:
        text = f"总分 {format_value(exp.points)} 分"
    elif exp.points_low is not None and exp.points_high is not None:
        text = f"总分 {format_value(exp.points_low)}～{format_value(exp.points_high)} 分（部分数据缺失）"
    else:
        return ""
    if rs.pass_mark is not None:
        text += f"，需达到 {format_value(rs.pass_mark)} 分"
    return text


def row_detail(evaluation: TierEvaluation, snapshot: Snapshot, enterprise_id: int) -> RowDetail:
    """Unmet criteria with their gaps, and the data still missing, for one enterprise and tier."""
    exp = evaluation.compiled.explain(snapshot, enterprise_id)
    detail = RowDetail(
        enterprise_id=enterprise_id, status=evaluation.status_of(enterprise_id), explanation=exp
    )
    rs = evaluation.ruleset
    has_points = any(c.kind == "points" for c in rs.criteria)
    groups_short = [g for g in exp.groups if g.outcome is Outcome.NOT_MET]
    if exp.official_score is not None:
        points_short = exp.official_score < (rs.pass_mark or 0)
        groups_short = []
    else:
        points_short = bool(groups_short) or (
            rs.pass_mark is not None and exp.points_high is not None and (exp.points_high < rs.pass_mark)
        )
    direct_met = any(t.kind == "direct" and t.outcome is Outcome.MET for t in exp.criteria)
    for trace in exp.criteria:
        if trace.kind == "condition" and trace.outcome is Outcome.NOT_MET:
            detail.unmet.append(trace.title)
            detail.gaps.extend(trace.gaps or [f"不满足：{trace.title}"])
        if trace.kind != "points" and trace.outcome is Outcome.UNKNOWN:
            _sort_notes(detail, trace.notes)
    if has_points:
        detail.points = _points_text(exp)
        if points_short and not direct_met:
            detail.unmet.append("评价得分")
            if exp.official_score is not None:
                detail.gaps.append(exp.score_lines[0])
            elif exp.points_high is not None and rs.pass_mark is not None and exp.points_high < rs.pass_mark:
                detail.gaps.append(detail.points)
            # A group below its minimum fails the score even when the total is enough.
            detail.gaps.extend(f"分组得分未达最低分：{g.text}" for g in groups_short)
            # The bands one step up are the cheapest points to gain.
            for trace in exp.criteria:
                if trace.kind == "points":
                    detail.gaps.extend(g for g in trace.gaps if g not in detail.gaps)
        for trace in exp.criteria:
            if trace.kind == "points" and trace.points is None:
                _sort_notes(detail, trace.notes)
    return detail


JUDGEMENT_NOTE = "需人工判断："


def _sort_notes(detail: RowDetail, notes: list[str]) -> None:
    """Missing data and missing confirmations apart: both make a result 待定, for different reasons."""
    for note in notes:
        if note.startswith(JUDGEMENT_NOTE):
            text = note.removeprefix(JUDGEMENT_NOTE)
            if text not in detail.confirm:
                detail.confirm.append(text)
        elif note not in detail.missing:
            detail.missing.append(note)


def pool_rows(pool: PoolData, tier_code: str, list_key: str) -> list[int]:
    """Enterprise ids of one pool list (met / near / unknown) of a tier."""
    ev = pool.evaluations.get(tier_code)
    if ev is None or list_key not in LIST_KEYS:
        return []
    return ev.ids(LIST_KEYS[list_key])


def enterprises_by_id(ids: list[int]) -> dict[int, Enterprise]:
    """The enterprises of one page of a list, with their places, in one query."""
    return {e.pk: e for e in Enterprise.objects.filter(pk__in=ids).select_related("town", "park")}


def access_enterprise(user, pk) -> Enterprise:
    """One enterprise the user may see, or the same 404 for missing and forbidden."""
    return get_visible_or_404(Enterprise.objects.select_related("town", "park"), user, pk)


@dataclass
class TierCheck:
    tier: Tier
    version: str
    status: Status
    detail: RowDetail
    explanation: Explanation
    shortfall: float = float("inf")  # the largest relative gap of its unmet criteria


@dataclass
class EnterpriseEvaluation:
    """Every tier for one enterprise, with full traces and the nearest next tier."""

    enterprise: Enterprise
    as_of: dt.date
    checks: list[TierCheck]
    extras: list[Explanation]
    next_tier: TierCheck | None
    met_labels: list[str]
    near: NearRule

    @property
    def all_held(self) -> bool:
        """Whether the enterprise already holds every tier."""
        return all(c.status is Status.HELD for c in self.checks)


def enterprise_evaluation(*, user, pk, as_of: dt.date | None = None) -> EnterpriseEvaluation:
    """Evaluate one enterprise the user may see against every tier, with sources in the traces."""
    enterprise = access_enterprise(user, pk)
    as_of = as_of or evaluation_date()
    snapshot = build_snapshot(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk),
        as_of=as_of,
        with_sources=True,
        identifiers=tier_defs.rule_identifiers(),
    )
    near = NearRule.from_settings()
    checks = []
    for tier in TIERS:
        ev = evaluate_tier(tier, snapshot, on=as_of, near=near)
        if ev is None:
            continue
        detail = row_detail(ev, snapshot, enterprise.pk)
        assert detail.explanation is not None
        gap = float(ev.shortfall[ev.row_of(enterprise.pk)])
        checks.append(TierCheck(tier, ev.ruleset.version, detail.status, detail, detail.explanation, gap))
    extras = []
    for code in tier_defs.EXTRA_RULESETS:
        compiled = tier_defs.compiled(code, as_of)
        if compiled is not None:
            extras.append(compiled.explain(snapshot, enterprise.pk))
    return EnterpriseEvaluation(
        enterprise=enterprise,
        as_of=as_of,
        checks=checks,
        extras=extras,
        next_tier=nearest_next_tier(checks),
        met_labels=[c.tier.label for c in checks if c.status is Status.MET],
        near=near,
    )


def nearest_next_tier(checks: list[TierCheck]) -> TierCheck | None:
    """The tier to work towards: the lowest rung not held that is met, else near, else judged
    unknown, else the not-met rung with the smallest bridgeable gap.

    Higher rungs come after lower ones on the ladder, so among equals the lowest wins. None when
    every rung is held or none can be reached by growth (e.g. every open rung is for small and
    medium enterprises and the enterprise is far above their size limits).
    """
    open_checks = [c for c in checks if c.status is not Status.HELD]
    for wanted in (Status.MET, Status.NEAR, Status.UNKNOWN):
        for check in open_checks:
            if check.status is wanted:
                return check
    reachable = [c for c in open_checks if math.isfinite(c.shortfall)]
    return min(reachable, key=lambda c: c.shortfall) if reachable else None


def assessment_records(*, user, enterprise: Enterprise) -> dict[str, list]:
    """The assessment data recorded for one enterprise (already access-checked)."""
    return {
        "values": list(
            AssessmentValue.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("entered_by")
        ),
        "designations": list(
            AssessmentDesignation.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("recorded_by")
        ),
        "awards": list(
            AssessmentAward.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("recorded_by")
        ),
        "judgements": list(
            AssessmentJudgement.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("judged_by")
        ),
    }


def assessment_history(*, enterprise: Enterprise, limit: int = 200):
    """Every change to the enterprise's assessment data, deleted rows included, newest first.

    The enterprise is already access-checked; its assessment rows share its scope.
    """
    from qiangxian.core.history import records_timeline

    return records_timeline(
        [
            (
                AssessmentValue,
                {"enterprise_id": enterprise.pk},
                lambda r: f"指标数值：{tier_defs.indicator_name(r.indicator)}（{r.year}年）",
            ),
            (AssessmentDesignation, {"enterprise_id": enterprise.pk}, lambda r: f"资质：{r.name}"),
            (AssessmentAward, {"enterprise_id": enterprise.pk}, lambda r: f"科技奖励：{r.name}"),
            (AssessmentJudgement, {"enterprise_id": enterprise.pk}, lambda r: f"人工判断：{r.criterion}"),
        ],
        limit=limit,
    )


def tier_or_404(code: str) -> Tier:
    from django.http import Http404

    tier = TIER_BY_CODE.get(code)
    if tier is None:
        raise Http404("未找到该梯度。")
    return tier
