"""Case finding: how many patients a practice's disease register may be missing (issue 12).

Each practice's expected register is found by indirect standardisation: its registered list
by age band and sex times the reference prevalence of each band (England's recorded
prevalence, or a modelled estimate such as the PHE/OHID modelled prevalence estimates).
observed / expected is the indirectly standardised ratio with Byar's / exact Poisson limits
(:func:`healthgap.methods.isratio`); a register significantly below expected suggests
undiagnosed or unrecorded patients, and expected - observed estimates how many (method as in
PHE "Technical guide: Indirect standardisation" and the NHS England / PHE "case finding" use of
modelled prevalence, e.g. the Hypertension and COPD prevalence gap tools).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    check_positive_number,
    group_codes,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods.benchmark import compare_to_benchmark
from healthgap.methods.isr import isratio

CONFIDENCE = (0.95, 0.998)
_PREVALENCE = "_reference_prevalence"
_STRATUM = "_stratum"
_CONDITION = "_condition"
_ONE = "_one"


def case_finding(
    lists: pd.DataFrame,
    registers: pd.DataFrame,
    prevalence: pd.DataFrame,
    *,
    practice: str = "practice",
    patients: str = "patients",
    register: str = "register",
    reference: str = "prevalence",
    strata: str | Sequence[str] = ("age", "sex"),
    condition: str | None = None,
    refvalue: float = 1,
) -> pd.DataFrame:
    """Observed and expected disease registers per practice (and condition), and the gap.

    ``lists``: one row per practice and stratum (age band, sex) with the ``patients`` on the
    list. ``prevalence``: the reference prevalence (a proportion, 0..1) per stratum (and per
    ``condition`` when given). ``registers``: the observed register size per practice (and
    condition). Expected = sum over strata of patients x prevalence.

    Returns one row per practice (and condition): ``observed``, ``expected``, ``value``
    (observed / expected x ``refvalue``), ``lower95_0cl`` ... ``upper99_8cl`` (Byar's, exact
    below 10 observed), ``missing`` = max(0, expected - observed), ``significance`` ("Lower
    99.8%", "Lower 95%", "Similar", "Higher 95%", "Higher 99.8%" against ``refvalue``),
    ``method``. A practice without a register row has NaN observed and "Not compared".
    """
    lists, registers, prevalence, strata, conditions = _checked(
        lists, registers, prevalence, practice, patients, register, reference, strata, condition
    )
    refvalue = check_positive_number(refvalue, "refvalue")
    work = _standardisation_frame(
        lists, prevalence, practice, patients, reference, strata, condition
    )
    keys = [practice, *conditions]
    result = isratio(
        work,
        register,
        patients,
        _PREVALENCE,
        _ONE,
        refpoptype="field",
        by=keys,
        confidence=CONFIDENCE,
        refvalue=refvalue,
        observed_totals=registers.loc[:, [*keys, register]],
    )
    for column in keys:
        result[column] = result[column].astype(object)
    result["missing"] = np.maximum(0.0, result["expected"] - result["observed"])
    result = compare_to_benchmark(
        result,
        "value",
        "lower95_0cl",
        "upper95_0cl",
        refvalue,
        polarity="no judgement",
        lower_998="lower99_8cl",
        upper_998="upper99_8cl",
        column="significance",
    )
    columns = [practice, *conditions, "observed", "expected", "value", "lower95_0cl"]
    columns += ["upper95_0cl", "lower99_8cl", "upper99_8cl", "missing", "significance", "method"]
    return result.loc[:, columns]


def _checked(
    lists, registers, prevalence, practice, patients, register, reference, strata, condition
):
    """The three frames and the strata and condition columns, each checked."""
    lists = require_frame(lists, "lists")
    registers = require_frame(registers, "registers")
    prevalence = require_frame(prevalence, "prevalence")
    strata = grouping_columns(strata)
    conditions = grouping_columns(condition)
    require_columns(lists, practice=practice, patients=patients, strata=strata)
    require_columns(registers, practice=practice, register=register, condition=conditions)
    require_columns(prevalence, reference=reference, strata=strata, condition=conditions)
    numeric_column(lists, patients, "patients")
    numeric_column(registers, register, "register")
    if (numeric_column(prevalence, reference, "reference") > 1).any():
        raise MethodArgumentError(
            f"reference: column {reference!r} must hold proportions (0 to 1), not percentages"
        )
    if prevalence.duplicated([*strata, *conditions]).any():
        raise MethodArgumentError("prevalence: has more than one row for a stratum")
    if registers.duplicated([practice, *conditions]).any():
        raise MethodArgumentError("registers: has more than one row for a practice")
    return lists, registers, prevalence, strata, conditions


def _standardisation_frame(lists, prevalence, practice, patients, reference, strata, condition):
    """Every list row once per condition, with the reference prevalence of its stratum.

    Built from integer codes (no join of the large frame): each stratum's prevalence per
    condition is looked up in a small strata x conditions table.
    """
    stratum, stratum_keys = group_codes(lists, strata)
    if condition is None:
        condition_names, table = [None], prevalence.assign(**{_CONDITION: 0})
    else:
        codes, condition_names = pd.factorize(prevalence[condition], sort=True)
        table = prevalence.assign(**{_CONDITION: codes})
    keys = stratum_keys.loc[:, strata].astype(object).assign(**{_STRATUM: range(len(stratum_keys))})
    table = table.loc[:, [*strata, _CONDITION, reference]].astype({c: object for c in strata})
    matrix = np.full((len(stratum_keys), len(condition_names)), np.nan)
    merged = keys.merge(table, on=strata, how="inner")
    matrix[merged[_STRATUM].to_numpy(), merged[_CONDITION].to_numpy()] = merged[reference]
    if np.isnan(matrix).any():
        missing = stratum_keys.loc[np.isnan(matrix).any(axis=1), strata].iloc[0].tolist()
        raise MethodArgumentError(f"prevalence: no reference prevalence for stratum {missing}")
    n_rows, n_conditions = len(lists), len(condition_names)
    practices = pd.Categorical(lists[practice])
    work = pd.DataFrame(
        {
            practice: pd.Categorical.from_codes(
                np.tile(practices.codes, n_conditions), practices.categories
            ),
            patients: np.tile(numeric_column(lists, patients, "patients"), n_conditions),
            _PREVALENCE: matrix[stratum].T.ravel(),
            _ONE: 1.0,
        }
    )
    if condition is not None:
        work[condition] = pd.Categorical.from_codes(
            np.repeat(np.arange(n_conditions), n_rows), pd.Index(condition_names)
        )
    return work


__all__ = ["case_finding"]
