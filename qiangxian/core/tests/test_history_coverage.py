"""Every domain model keeps its history (who, when, before and after)."""

from django.apps import apps

# Infrastructure records, not domain records: their own timestamps are their history.
NOT_DOMAIN = {"core.BackgroundJob", "core.ApiToken"}


def test_every_domain_model_has_history():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("qiangxian.") or model.__name__.startswith("Historical"):
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in NOT_DOMAIN or getattr(model._meta, "auto_created", False):
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert missing == [], f"没有变更记录的模型：{missing}"
