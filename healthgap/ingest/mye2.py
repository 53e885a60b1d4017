"""ONS MYE2 tables as published: title rows, then ``CODE, NAME, ALL AGES, 0 ... 90`` (90 is 90
and over), one row per area with thousands separators, every authority under its region."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.ingest.errors import IngestError, Problem
from healthgap.ingest.tables import read_text

AGES = [str(age) for age in range(91)]  # "90" is 90 and over


def read_mye2(path: Path) -> pd.DataFrame:
    """England's rows (codes starting "E") with columns CODE, NAME and the ages "0" ... "90"."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, [Problem(None, None, "file not found")])
    lines = read_text(path).splitlines()
    start = next((i for i, line in enumerate(lines) if line.upper().startswith("CODE,")), None)
    if start is None:
        raise IngestError(path, [Problem(None, None, "no 'CODE, NAME, ...' header row")])
    table = pd.read_csv(path, skiprows=start, thousands=",", dtype={"CODE": str})
    missing = [age for age in AGES if age not in table.columns]
    if missing:
        raise IngestError(path, [Problem(start + 1, age, "age column missing") for age in missing])
    table = table[table["CODE"].astype(str).str.startswith("E")].reset_index(drop=True)
    for age in AGES:
        table[age] = pd.to_numeric(table[age], errors="coerce")
    bad = table[AGES].isna().any(axis=1)
    if bad.any():
        raise IngestError(
            path,
            [
                Problem(None, "CODE", f"{code}: a count is not a number")
                for code in table["CODE"][bad]
            ],
        )
    return table
