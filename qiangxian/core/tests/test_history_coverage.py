"""Every domain model keeps its history (who, when, before and after)."""

from django.apps import apps

# Infrastructure records, not domain records: their own timestamps are their history.
# The audit trail is append-only (never changed, so nothing to keep a history of), and the
# password records are themselves history. A notice is a message about a record (whose own
# history says what changed); it carries when it was sent, read and by whom.
NOT_DOMAIN = {"core.BackgroundJob", "core.ApiToken", "core.AuditEvent", "core.PasswordRecord", "inbox.Notice"}
# Fact rows arrive by the hundred thousand in import batches; a row-level audit table would
# double every import. Their history is batch-level instead: each batch records who uploaded,
# committed and rolled it back and when, and FactRevision keeps every value a batch replaced.
HISTORY_BY_BATCH = {"statistics.MonthlyFact", "statistics.AnnualFact", "statistics.FactRevision"}
# Derived tables, recomputed from the facts (and never edited): nothing of their own to keep.
DERIVED = {
    "statistics.Rollup",
    "statistics.RollupFillState",
    "statistics.RollupRanking",
    "statistics.MonitorWarning",
    # A match run's results: recomputed by each recorded run (which keeps its rule versions and
    # data date); the decisions made on them live in grants, which keep history.
    "policies.Match",
    "policies.ClauseOutcome",
    "policies.EnterpriseSlice",  # the same results regrouped by enterprise for its page
    # Which enterprise was told of which clause, so it is told once: written with the notice,
    # never edited (the notice itself is in the inbox).
    "policies.MatchAlert",
    # Graded from the facts and the corrections (both with history); a run's history says when.
    "land.EvaluationResult",
}


def test_every_domain_model_has_history():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("qiangxian.") or model.__name__.startswith("Historical"):
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in NOT_DOMAIN | HISTORY_BY_BATCH | DERIVED or getattr(model._meta, "auto_created", False):
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert missing == [], f"没有变更记录的模型：{missing}"
