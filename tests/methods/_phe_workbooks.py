"""Read the PHEindicatormethods (GPL-3) test workbooks from the shared data folder.

The workbooks are never copied into this repository: tests open them in place through the
``shared_data`` fixture and compare our output with the expected values stored in them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

FOLDER = "methods_testdata"
TOLERANCE = 1e-6


@cache
def _sheet(path: str, sheet: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=sheet, engine="openpyxl").dropna(how="all")


def sheet(shared_data: Path, book: str, name: str) -> pd.DataFrame:
    """One sheet as a fresh DataFrame (blank rows dropped)."""
    path = shared_data / FOLDER / f"pheindicatormethods_testdata_{book}.xlsx"
    return _sheet(str(path), name).copy().reset_index(drop=True)


def assert_close(actual, expected, *, rtol: float = TOLERANCE) -> None:
    """Numbers equal to 1e-6 (relative, with 1e-6 absolute floor); NaN must match NaN."""
    np.testing.assert_allclose(
        np.asarray(actual, dtype="float64"),
        np.asarray(expected, dtype="float64"),
        rtol=rtol,
        atol=TOLERANCE,
        equal_nan=True,
    )


def assert_frame_values(actual: pd.DataFrame, expected: pd.DataFrame, columns) -> None:
    """Compare the named numeric columns of two frames row by row."""
    for column in columns:
        assert_close(actual[column].to_numpy(), expected[column].to_numpy())
