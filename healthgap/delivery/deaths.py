"""For a mortality measure: the deaths a year to avert to reach its target, from the
closing-the-gap model on the deaths it counts by age band (``healthgap.methods.deaths_to_avert``,
as the public closing-the-gap page), against the deaths the programmes say they will avert, and
the shortfall.

The deaths are those of the measure's cause, sex and age range (``measure_deaths``: ONS's
published deaths for all causes, the record-level extract for a cause group). The target is
reached with England's age-specific death rates where it is England's value and the measure
counts all causes (England's rates by cause are not held); otherwise the area's own rates in
every band are scaled by target / latest value (the fall the target asks of the indicator), so
that each band's share of the deaths to avert follows its own deaths."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from django.db.models import Sum

from healthgap.constants import ENGLAND_CODE
from healthgap.delivery.measure_deaths import MeasureDeaths, banded_deaths, published_rows
from healthgap.delivery.models import OutcomeMeasure, TargetKind
from healthgap.delivery.targets import TargetError, latest_value
from healthgap.methods import deaths_to_avert as closing_the_gap
from healthgap.methods import disclose
from healthgap.methods._series import format_value
from healthgap.mortality.causes import ALL_CAUSES
from healthgap.mortality.models import BAND_STARTS

BAND_LABELS = dict(
    zip(BAND_STARTS, ["<1", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"])
)
NAN = float("nan")


@dataclass(frozen=True)
class DeathsToAvert:
    measure: OutcomeMeasure
    needed: float  # deaths a year to avert to be at the target
    claimed: float
    claims: list[tuple[str, float]]
    lower: float = NAN  # 95% limits of ``needed`` (Poisson, on the observed deaths)
    upper: float = NAN
    bands: tuple[dict, ...] = ()  # per age band: band, observed, expected, value
    basis: str = ""  # the deaths and target rates used, in words
    synthetic: bool = False  # the deaths come from a synthetic extract
    missing: str = ""  # why there are no deaths to avert: what the deaths data lacks, to load
    withheld: str = ""  # why they are not published (disclosure control)

    @property
    def shortfall(self) -> float:
        return max(0.0, self.needed - self.claimed)

    @property
    def words(self) -> str:
        number = lambda x: format_value(x, 0)  # noqa: E731
        if self.withheld:
            return f"The deaths to avert are withheld: {self.withheld}."
        if self.missing:
            return f"No deaths to avert can be worked out. {self.missing}."
        if self.needed <= 0:
            return "No deaths to avert: the latest rate is already at or better than the target."
        text = (
            f"Reaching the target means {number(self.needed)} fewer deaths a year (95% "
            f"interval {number(self.lower)} to {number(self.upper)}); the programmes claim "
            f"{number(self.claimed)}"
        )
        if self.shortfall > 0:
            return f"{text}, a shortfall of {number(self.shortfall)} deaths a year."
        return f"{text}, enough to cover it."


def _target_rates(
    measure, own: MeasureDeaths, latest: float, quote: bool
) -> tuple[pd.DataFrame, str]:
    """The target's death rates by band, and how they were reached in words (``quote``: with
    the target and latest values)."""
    rows, year = own.rows, own.years[-1]
    if measure.target_kind == TargetKind.ENGLAND and measure.cause_group == ALL_CAUSES:
        england = published_rows(measure, ENGLAND_CODE, year, rows["startage"].tolist())
        if len(england) == len(rows):
            return england, f"England's death rates in each age band in {year}"
    scale = measure.target_value / latest
    words = "the area's death rate in each age band scaled by the target over the latest value"
    if quote:
        words += f" ({format_value(measure.target_value, 1)} / {format_value(latest, 1)})"
    if measure.target_kind == TargetKind.ENGLAND and measure.cause_group != ALL_CAUSES:
        words += ", England's death rates by cause not being held"
    return rows.assign(deaths=rows["deaths"] * scale), words


def _claims(measure: OutcomeMeasure) -> tuple[list[tuple[str, float]], float]:
    claims = [
        (claim.programme.name, claim.deaths_a_year)
        for claim in measure.claims.select_related("programme").exclude(deaths_a_year=None)
    ]
    return claims, measure.claims.aggregate(total=Sum("deaths_a_year"))["total"] or 0.0


def _rounded_deaths(own: MeasureDeaths) -> tuple[MeasureDeaths | None, str]:
    """The extract's deaths as they may be published: None with the reason when withheld,
    else every band scaled to the rounded total."""
    total = float(own.rows["deaths"].sum())
    cell = pd.DataFrame(
        {"id": ["deaths"], "count": [total], "value": [total], "value_type": ["count"],
         "level": ["local"]}
    )  # fmt: skip
    shown = disclose(cell).iloc[0]
    if shown["suppressed"]:
        return None, f"too few deaths of the cause over the years held ({shown['reason']})"
    rows = own.rows.assign(deaths=own.rows["deaths"] * shown["count_shown"] / total)
    return replace(own, rows=rows, source=f"{own.source}, rounded to 5 deaths"), ""


def deaths_to_avert(measure: OutcomeMeasure, published: bool = False) -> DeathsToAvert | None:
    """None unless the measure is a mortality measure with a target and a latest value; with
    ``missing`` saying what to load where the deaths it counts are not held, and (``published``)
    under disclosure control."""
    if not measure.is_mortality or measure.target_value is None:
        return None
    latest = latest_value(measure)
    if latest is None or not latest.value:
        return None
    claims, claimed = _claims(measure)
    try:
        own = banded_deaths(measure)
    except TargetError as error:
        return DeathsToAvert(measure, NAN, claimed, claims, missing=str(error))
    if published and measure.cause_group != ALL_CAUSES:
        own, withheld = _rounded_deaths(own)
        if own is None:
            return DeathsToAvert(measure, NAN, claimed, claims, withheld=withheld)
    quote = not (published and measure.indicator.needs_disclosure_control)
    target, target_words = _target_rates(measure, own, latest.value, quote)
    result = closing_the_gap(own.rows, "deaths", "population", "startage", target_rates=target,
                             years_of_data=len(own.years))  # fmt: skip
    total = result.iloc[-1]
    bands = tuple(
        {"band": BAND_LABELS[row.startage], "observed": row.observed, "expected": row.expected,
         "value": row.value}
        for row in result.iloc[:-1].itertuples()
    )  # fmt: skip
    basis = (
        f"{own.source} in {measure.area.name} ({measure.sex}, {measure.age}), cause of death "
        f"{own.cause}, against {target_words}"
    )
    return DeathsToAvert(
        measure, float(total["value"]), float(claimed), claims, lower=float(total["lowercl"]),
        upper=float(total["uppercl"]), bands=bands, basis=basis, synthetic=own.synthetic,
    )  # fmt: skip
