"""Land-contract breaches (履约): terms of the transfer contract not met, as lights to follow.

Pure: takes a contract's terms and facts and today's date, answers the breaches with a light
(red for a hard deadline passed, yellow for a shortfall) and a Chinese reason, like project lights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .choices import BreachKind


@dataclass(frozen=True)
class Breach:
    kind: str
    light: str  # "red" | "yellow"
    text: str

    @property
    def label(self) -> str:
        return BreachKind(self.kind).label


def _wan(value: Decimal) -> str:
    return f"{(Decimal(value) / 10_000).quantize(Decimal('0.01'))}万元"


def contract_breaches(
    contract,
    *,
    area_mu: Decimal,
    today: dt.date,
    output_per_mu: float | None = None,
    tax_per_mu: float | None = None,
) -> list[Breach]:
    """The breaches of one contract as of ``today`` (output and tax per mu from the latest year, if known)."""
    found: list[Breach] = []
    if contract.start_deadline and not contract.started_on and today > contract.start_deadline:
        days = (today - contract.start_deadline).days
        found.append(
            Breach(
                BreachKind.NO_START,
                "red",
                f"约定 {contract.start_deadline:%Y-%m-%d} 开工，已逾期 {days} 天未开工",
            )
        )
    if contract.completion_deadline and not contract.completed_on and today > contract.completion_deadline:
        days = (today - contract.completion_deadline).days
        found.append(
            Breach(
                BreachKind.NO_COMPLETION,
                "red",
                f"约定 {contract.completion_deadline:%Y-%m-%d} 竣工，已逾期 {days} 天未竣工",
            )
        )
    if (
        contract.intensity_promised
        and contract.completed_on
        and contract.investment_actual is not None
        and area_mu
    ):
        actual = Decimal(contract.investment_actual) / Decimal(area_mu)
        if actual < contract.intensity_promised:
            found.append(
                Breach(
                    BreachKind.INTENSITY,
                    "yellow",
                    f"实际投资强度 {_wan(actual)}/亩，低于约定 {_wan(contract.intensity_promised)}/亩",
                )
            )
    for kind, label, actual, promised in (
        (BreachKind.OUTPUT, "亩均产值", output_per_mu, contract.output_per_mu_promised),
        (BreachKind.TAX, "亩均税收", tax_per_mu, contract.tax_per_mu_promised),
    ):
        if promised and actual is not None and contract.completed_on and Decimal(str(actual)) < promised:
            text = f"{label} {_wan(Decimal(str(actual)))}，低于约定 {_wan(promised)}"
            found.append(Breach(kind, "yellow", text))
    return found
