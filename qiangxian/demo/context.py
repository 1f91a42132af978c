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
    # A city of several counties: this county's number (1 = the full demo county, whose accounts
    # keep their plain names) and the city unit above it (None: a lone county).
    county_index: int = 1
    city: object = None
    county: object = None

    @property
    def suffix(self) -> str:
        """Appended to the usernames of the second and later counties (leader2, office2...)."""
        return "" if self.county_index == 1 else str(self.county_index)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.np_rng = np.random.default_rng(self.seed)
