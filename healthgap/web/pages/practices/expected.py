"""Case finding's expected registers: each practice's list times a reference prevalence
(indirect standardisation), from England's recorded prevalence or from a modelled prevalence
by age and sex, with words on what they were worked out over."""

from __future__ import annotations

import pandas as pd

from healthgap.areas import queries as area_queries
from healthgap.methods import case_finding
from healthgap.practices import queries
from healthgap.practices.models import ModelledPrevalence
from healthgap.practices.prevalence import age_sex_band_prevalence, list_band_prevalence
from healthgap.web.pages.practices.common import EXAMPLE_LISTS_TEXT

QOF_PREFIX = "qof_"
# Which list a practice's expected register was worked out over (a column of case finding).
AGE_SEX_BASIS, PERSONS_BASIS = "age-sex list", "persons list"


def qof_group(code: str) -> str:
    return code.removeprefix(QOF_PREFIX)


def expected_registers(
    observed: pd.DataFrame, code: str, period: str, estimate: ModelledPrevalence | None = None
):
    """Each practice's observed and expected register for the QOF indicator ``code``, from the
    modelled ``estimate`` when given, else England's recorded prevalence; and words for the
    page. (None, None) when the reference is not held."""
    if estimate is not None:
        return _modelled_expected(observed, estimate, qof_group(code))
    return _england_expected(observed, code, period)


def _england_expected(observed: pd.DataFrame, code: str, period: str):
    """Expected registers from England's recorded prevalence, and words for the page; (None,
    None) when England's figure is not held."""
    england = queries.england_value(code, period)
    if england is None or not england["denominator"] or observed.empty:
        return None, None
    reference = england["count"] / england["denominator"]
    return _england_registers(observed, reference), {"reference": round(100 * reference, 2)}


def _england_registers(observed: pd.DataFrame, reference: float) -> pd.DataFrame:
    """Indirect standardisation over the one age stratum the open QOF file gives: each
    practice's list at the ages the register covers, times England's prevalence."""
    lists = pd.DataFrame(
        {
            "practice": observed["area_id"],
            "ages": "register ages",
            "patients": observed["denominator"],
        }
    )
    prevalence = pd.DataFrame({"ages": ["register ages"], "prevalence": [reference]})
    result = case_finding(lists, _registers(observed), prevalence, strata="ages", refvalue=100)
    return result.assign(basis=PERSONS_BASIS)


def _modelled_expected(observed: pd.DataFrame, estimate: ModelledPrevalence, group: str):
    """Expected registers from a modelled prevalence by age and sex: over each practice's list
    by sex and five-year band where it has one, else over its persons list by age band
    (practices with neither are left out)."""
    rates = queries.modelled_rates(estimate, group)
    weights = queries.reference_population()
    age_sex = queries.age_sex_lists(list(observed["area_id"]))
    by_age_sex = observed["area_id"].isin(set(age_sex["practice"]))
    basis = {"estimate": estimate.name, "estimate_source": estimate.source}
    parts = []
    if by_age_sex.any():
        parts.append(_age_sex_expected(observed[by_age_sex], age_sex, rates, weights))
        basis["age_sex_practices"] = int(by_age_sex.sum())
        if age_sex["is_example"].any():
            basis.update(example_lists=True, example_text=EXAMPLE_LISTS_TEXT)
    persons, bands = _persons_list_expected(observed[~by_age_sex], rates, weights)
    if persons is not None:
        parts.append(persons)
        basis["bands"] = bands
    if not parts:
        return None, None
    return pd.concat(parts, ignore_index=True), basis


def _list_bands(lists: pd.DataFrame) -> list[tuple[int, int | None]]:
    """The age bands (start, end; None for an open end) of practice lists."""
    pairs = zip(lists["band"], lists["age_end"], strict=True)
    return sorted({(int(start), None if pd.isna(end) else int(end)) for start, end in pairs})


def _age_sex_expected(observed, lists, rates, weights) -> pd.DataFrame:
    """Indirect standardisation over sex and five-year band: sum of list x prevalence."""
    bands = _list_bands(lists)
    prevalence = age_sex_band_prevalence(rates, weights, bands)
    lists = lists[lists["practice"].isin(set(observed["area_id"]))]
    result = case_finding(
        lists[["practice", "sex", "band", "patients"]],
        _registers(observed),
        prevalence[["sex", "band", "prevalence"]],
        strata=["sex", "band"],
        refvalue=100,
    )
    return result.assign(basis=AGE_SEX_BASIS)


def _persons_list_expected(observed, rates, weights):
    """Indirect standardisation over the persons list bands of the QOF file, and the bands'
    prevalence for the page; (None, None) when no practice here has such a list."""
    lists = queries.practice_lists(list(observed["area_id"]))
    observed = observed[observed["area_id"].isin(set(lists["practice"]))]
    if observed.empty:
        return None, None
    bands = _list_bands(lists)
    prevalence = list_band_prevalence(rates, weights, bands)
    lists = lists[lists["practice"].isin(set(observed["area_id"]))]
    result = case_finding(
        lists[["practice", "band", "patients"]],
        _registers(observed),
        prevalence[["band", "prevalence"]],
        strata="band",
        refvalue=100,
    )
    words = [
        {"band": area_queries.band_label(start, end), "prevalence": value}
        for (start, end), value in zip(bands, (100 * prevalence["prevalence"]).round(2))
    ]
    return result.assign(basis=PERSONS_BASIS), words


def _registers(observed: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"practice": observed["area_id"], "register": observed["count"]})
