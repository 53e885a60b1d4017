"""For a mortality measure: the deaths a year to avert to reach its target, from the
closing-the-gap model (``healthgap.methods.trajectory_deaths_to_avert``), against the deaths
the programmes say they will avert, and the shortfall."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Sum

from healthgap.delivery.models import OutcomeMeasure
from healthgap.delivery.targets import latest_value
from healthgap.methods import trajectory_deaths_to_avert
from healthgap.methods._series import format_value


@dataclass(frozen=True)
class DeathsToAvert:
    measure: OutcomeMeasure
    needed: float  # deaths a year to avert to be at the target
    claimed: float
    claims: list[tuple[str, float]]

    @property
    def shortfall(self) -> float:
        return max(0.0, self.needed - self.claimed)

    @property
    def words(self) -> str:
        number = lambda x: format_value(x, 0)  # noqa: E731
        if self.needed <= 0:
            return "No deaths to avert: the latest rate is already at or better than the target."
        text = (
            f"Reaching the target means {number(self.needed)} fewer deaths a year; the "
            f"programmes claim {number(self.claimed)}"
        )
        if self.shortfall > 0:
            return f"{text}, a shortfall of {number(self.shortfall)} deaths a year."
        return f"{text}, enough to cover it."


def years_in(period) -> int:
    return period.end.year - period.start.year + 1


def deaths_to_avert(measure: OutcomeMeasure) -> DeathsToAvert | None:
    """None unless the measure is a mortality measure with a target and deaths in the store."""
    if not measure.is_mortality or measure.target_value is None:
        return None
    latest = latest_value(measure)
    if latest is None or not latest.count or not latest.value:
        return None
    path = pd.DataFrame({"year": [measure.target_date.year], "expected": [measure.target_value]})
    needed = trajectory_deaths_to_avert(
        path, deaths=latest.count, rate=latest.value, years_of_data=years_in(latest.period)
    )["deaths_to_avert"].iloc[-1]
    claims = [
        (claim.programme.name, claim.deaths_a_year)
        for claim in measure.claims.select_related("programme").exclude(deaths_a_year=None)
    ]
    claimed = measure.claims.aggregate(total=Sum("deaths_a_year"))["total"] or 0.0
    return DeathsToAvert(measure, float(needed), float(claimed), claims)
