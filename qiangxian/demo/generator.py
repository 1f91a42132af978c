"""The demo county: a deterministic, realistic county for trying and measuring the platform.

Each module adds a step; steps run in order in one transaction and share a :class:`DemoContext`.
"""

from __future__ import annotations

import importlib

from django.db import transaction

from .context import DemoContext

# Modules with a ``generate(ctx)``, in dependency order.
STEPS = [
    "qiangxian.demo.steps_core",
    "qiangxian.demo.steps_enterprises",
    "qiangxian.demo.steps_registry",
    "qiangxian.demo.steps_statistics",
    "qiangxian.demo.steps_projects",
    "qiangxian.demo.steps_tiers",
    "qiangxian.demo.steps_land",
]


def generate_demo(
    *, seed: int = 20260101, enterprises: int = 1500, password: str, progress=None
) -> DemoContext:
    """Build the whole demo county; ``progress(label)`` is called before each step."""
    ctx = DemoContext(seed=seed, n_enterprises=enterprises, password=password)
    with transaction.atomic():
        for step in STEPS:
            module = importlib.import_module(step)
            if progress:
                progress(getattr(module, "LABEL", step))
            module.generate(ctx)
    return ctx
