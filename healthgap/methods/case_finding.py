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
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods.benchmark import compare_to_benchmark
from healthgap.methods.isr import isratio

CONFIDENCE = (0.95, 0.998)
_PREVALENCE = "_reference_prevalence"
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
    frame = _standardisation_frame(
        lists, registers, prevalence, practice, patients, register, reference, strata, condition
    )
    keys = [practice, *grouping_columns(condition)]
    result = isratio(
        frame,
        register,
        patients,
        _PREVALENCE,
        _ONE,
        refpoptype="field",
        by=keys,
        confidence=CONFIDENCE,
        refvalue=check_positive_number(refvalue, "refvalue"),
        observed_totals=registers,
    )
    result["missing"] = np.maximum(0.0, result["expected"] - result["observed"])
    result = compare_to_benchmark(
        result,
        "value",
        "lower95_0cl",
        "upper95_0cl",
        float(refvalue),
        polarity="no judgement",
        lower_998="lower99_8cl",
        upper_998="upper99_8cl",
        column="significance",
    )
    columns = [*keys, "observed", "expected", "value", "lower95_0cl", "upper95_0cl"]
    columns += ["lower99_8cl", "upper99_8cl", "missing", "significance", "method"]
    return result.loc[:, columns]


def _standardisation_frame(
    lists, registers, prevalence, practice, patients, register, reference, strata, condition
) -> pd.DataFrame:
    """Each practice's list by stratum joined to the reference prevalence (per condition)."""
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
    shares = numeric_column(prevalence, reference, "reference")
    if (shares > 1).any():
        raise MethodArgumentError(
            f"reference: column {reference!r} must hold proportions (0 to 1), not percentages"
        )
    table = prevalence.loc[:, [*strata, *conditions]].assign(**{_PREVALENCE: shares})
    if table.duplicated([*strata, *conditions]).any():
        raise MethodArgumentError("prevalence: has more than one row for a stratum")
    merged = lists.loc[:, [practice, *strata, patients]].merge(table, on=strata, how="left")
    if merged[_PREVALENCE].isna().any():
        missing = merged.loc[merged[_PREVALENCE].isna(), strata].iloc[0].tolist()
        raise MethodArgumentError(f"prevalence: no reference prevalence for stratum {missing}")
    merged[_ONE] = 1.0
    return merged


__all__ = ["case_finding"]
