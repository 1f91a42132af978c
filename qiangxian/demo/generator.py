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
    "qiangxian.demo.steps_supervision",
    "qiangxian.demo.steps_chains",
    "qiangxian.demo.steps_policies",
    "qiangxian.demo.steps_service",
    "qiangxian.demo.steps_land",
    "qiangxian.demo.steps_portal",
    "qiangxian.demo.steps_reports",
]


# The steps run for the second and later counties of a demo city: their units, accounts,
# enterprises and monthly figures (the projects, registry and tiers demo stay the first county's).
CITY_STEPS = [
    "qiangxian.demo.steps_core",
    "qiangxian.demo.steps_enterprises",
    "qiangxian.demo.steps_statistics",
]


def generate_demo(
    *, seed: int = 20260101, enterprises: int = 1500, password: str, progress=None, counties: int = 1
) -> DemoContext:
    """Build the whole demo county; ``progress(label)`` is called before each step.

    With ``counties`` > 1 the counties form a demo city (with a city leader and office account):
    the first is the full demo county, the others have their own units, accounts (leader2,
    office2...), enterprises and figures.
    """
    ctx = DemoContext(seed=seed, n_enterprises=enterprises, password=password)
    with transaction.atomic():
        if counties > 1:
            from .steps_core import generate_city

            ctx.city = generate_city(ctx, counties)
        for step in STEPS:
            module = importlib.import_module(step)
            if progress:
                progress(getattr(module, "LABEL", step))
            module.generate(ctx)
        first = ctx
        for index in range(2, counties + 1):
            ctx = DemoContext(
                seed=seed + 1000 * index, n_enterprises=enterprises, password=password, county_index=index
            )
            ctx.city = first.city
            for step in CITY_STEPS:
                module = importlib.import_module(step)
                if progress:
                    progress(f"第{index}个县：{getattr(module, 'LABEL', step)}")
                module.generate(ctx)
            first.users.update({f"{k}{index}": v for k, v in ctx.users.items()})
            first.enterprise_ids.extend(ctx.enterprise_ids)
    return first
