"""What one demo step hands to the next: the units it made and the latent facts behind them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np


@dataclass
class DemoContext:
    seed: int
    n_enterprises: int
    password: str
    rng: random.Random = field(init=False)
    np_rng: np.random.Generator = field(init=False)
    units: dict[str, object] = field(default_factory=dict)  # name -> OrgUnit
    towns: list = field(default_factory=list)
    parks: list = field(default_factory=list)
    zones: dict[int, list] = field(default_factory=dict)  # park id -> zones
    bureaus: dict[str, object] = field(default_factory=dict)
    enterprise_ids: list[int] = field(default_factory=list)
    # Latent annual main-business revenue (yuan) per enterprise id: later modules derive
    # monthly figures from it so every module tells the same story.
    latent_revenue: dict[int, float] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.np_rng = np.random.default_rng(self.seed)
