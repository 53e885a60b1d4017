"""Assign areas to quantiles within groups, the PHE way (R ``phe_quantile``)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    check_choice,
    group_codes,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)


def quantile(
    data: pd.DataFrame,
    values: str,
    *,
    by: str | Sequence[str] | None = None,
    nquantiles: int = 10,
    invert: bool | str = True,
    inverttype: str = "logical",
    type: str = "full",
) -> pd.DataFrame:
    """Assign each row (small area) to one of ``nquantiles`` quantiles of ``values``.

    Within each ``by`` group (the higher geography), areas with a value are ranked (ties take
    the lowest rank) and quantile = floor(q + 1 - ceil((N + 1 - rank) / (N / q))), with 0 moved
    to 1, for N areas with values and q quantiles (OHID Technical Guide "Assigning deprivation
    categories"; R PHEindicatormethods ``phe_quantile`` v2). ``invert=True`` puts the highest
    values in quantile 1. ``inverttype="field"`` reads ``invert`` per group from the named
    column, which must be constant within each group.

    Rows without a value get NaN. A group with fewer areas with values than ``nquantiles`` gets
    NaN throughout and a warning, as in R.

    Returns ``data`` with ``quantile`` (float; NaN where not assigned) and, for type="full",
    ``nquantiles``, ``groupvars`` (the ``by`` names joined by ", ") and ``qinverted``.
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    require_columns(data, values=values, by=by_cols)
    check_choice(inverttype, "inverttype", ("logical", "field"))
    check_choice(type, "type", ("standard", "full"))
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int | np.integer):
        raise MethodArgumentError(f"nquantiles: must be a whole number, got {nquantiles!r}")
    if nquantiles < 1:
        raise MethodArgumentError("nquantiles: must be at least 1")
    if not (pd.api.types.is_numeric_dtype(data[values]) or data[values].isna().all()):
        raise MethodArgumentError(f"values: column {values!r} must be numeric")
    numbers = numeric_column(data, values, "values", allow_negative=True)

    codes, keys = group_codes(data, by_cols)
    n_groups = len(keys)
    if inverttype == "logical":
        if not isinstance(invert, bool | np.bool_):
            raise MethodArgumentError("invert: must be True or False when inverttype='logical'")
        inverted = np.full(len(data), bool(invert))
    else:
        if not isinstance(invert, str):
            raise MethodArgumentError("invert: with inverttype='field' give a column name")
        require_columns(data, invert=invert)
        flags = data[invert]
        if flags.isna().any() or not flags.isin([True, False]).all():
            raise MethodArgumentError(f"invert: column {invert!r} must hold True or False")
        inverted = flags.to_numpy(dtype=bool)
        per_group = np.bincount(codes, weights=inverted, minlength=n_groups)
        size = np.bincount(codes, minlength=n_groups)
        if ((per_group != 0) & (per_group != size)).any():
            raise MethodArgumentError(
                f"invert: column {invert!r} must take the same value within each group"
            )

    has_value = ~np.isnan(numbers)
    areas = np.bincount(codes, weights=has_value, minlength=n_groups)[codes]
    signed = np.where(inverted, -numbers, numbers)
    rank = pd.Series(signed).groupby(codes).rank(method="min", na_option="keep").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.floor(nquantiles + 1 - np.ceil((areas + 1 - rank) / (areas / nquantiles)))
    q = np.where(q == 0, 1.0, q)
    q[areas < nquantiles] = np.nan
    too_few = np.bincount(codes, weights=areas < nquantiles, minlength=n_groups) > 0
    if too_few.any():
        warnings.warn(
            f"quantile: {int(too_few.sum())} group(s) had fewer than {nquantiles} areas with "
            "values, so no quantiles were assigned in them",
            stacklevel=2,
        )
    out = data.copy()
    out["quantile"] = q
    if type == "full":
        out["nquantiles"] = nquantiles
        out["groupvars"] = ", ".join(by_cols)
        out["qinverted"] = np.where(
            inverted,
            "lowest quantile represents highest values",
            "lowest quantile represents lowest values",
        )
    return out


__all__ = ["quantile"]
