"""The healthgap CSV: a council's own local indicators, one value per row (see README.md).

Required columns: ``indicator_code, area_code, period, value``. Optional: ``indicator_name``,
``unit``, ``polarity`` ("higher is better", "lower is better", "no judgement"),
``value_type``, ``definition``, ``source``, ``licence``, ``sex`` (default Persons), ``age``
(default All ages), ``category_type``, ``category``, ``lower95``, ``upper95``, ``lower998``,
``upper998``, ``count``, ``denominator``, ``value_note``. An indicator code not yet in the
database needs ``indicator_name`` on its rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.constants import PERSONS
from healthgap.indicators.catalog import LOCAL
from healthgap.indicators.models import Indicator, Polarity, ValueType
from healthgap.ingest.frames import CATEGORY, NUMBER, TEXT, FrameProblems, read_frame, read_header
from healthgap.ingest.values import MEASURES, LoadResult, ValueTable, load_values

REQUIRED = {"indicator_code": CATEGORY, "area_code": CATEGORY, "period": CATEGORY}
REQUIRED["value"] = NUMBER
OPTIONAL_TEXT = {
    "sex": PERSONS,
    "age": "All ages",
    "category_type": "",
    "category": "",
    "value_note": "",
}
DEFINITIONS = ["indicator_name", "unit", "polarity", "value_type", "definition", "source"]
DEFINITIONS += ["licence"]
POLARITY_WORDS = {
    "higher is better": Polarity.HIGH_IS_GOOD,
    "high": Polarity.HIGH_IS_GOOD,
    "lower is better": Polarity.LOW_IS_GOOD,
    "low": Polarity.LOW_IS_GOOD,
    "no judgement": Polarity.NO_JUDGEMENT,
    "none": Polarity.NO_JUDGEMENT,
    "": Polarity.NO_JUDGEMENT,
}


def import_local_csv(path: Path, progress=None) -> LoadResult:
    path = Path(path)
    header = read_header(path)
    columns = dict(REQUIRED)
    columns.update({c: NUMBER for c in MEASURES if c != "value" and c in header})
    columns.update({c: CATEGORY for c in OPTIONAL_TEXT if c in header})
    columns.update({c: TEXT for c in DEFINITIONS if c in header})
    raw = read_frame(path, columns, progress=progress, header=header)
    frame = raw.rename(columns={"indicator_code": "indicator", "area_code": "area"})
    for column in MEASURES:
        if column not in frame:
            frame[column] = np.nan
    for column, default in OPTIONAL_TEXT.items():
        if column not in frame:
            frame[column] = default
    frame["indicator"] = frame["indicator"].astype(str).str.strip()
    names = {c: c for c in frame.columns}
    names.update(indicator="indicator_code", area="area_code")
    indicators = _definitions(path, frame)
    return load_values(ValueTable(path, "healthgap-csv", frame, names, indicators))


def _definitions(path: Path, frame: pd.DataFrame) -> dict[str, dict]:
    problems = FrameProblems(path)
    lines = frame["_line"].to_numpy()
    codes = frame["indicator"].to_numpy()
    known = set(Indicator.objects.filter(code__in=list(set(codes))).values_list("code", flat=True))
    named = frame.get("indicator_name", pd.Series("", index=frame.index)).fillna("").astype(str)
    defined = set(frame.loc[named.str.strip() != "", "indicator"])
    unknown = ~np.isin(codes, list(known | defined))
    problems.add_rows(
        unknown,
        lines,
        "indicator_code",
        lambda i: f"unknown indicator ID {codes[i]!r}: add an indicator_name to define it",
    )
    indicators = {}
    for code, rows in frame.loc[named.str.strip() != ""].groupby("indicator", sort=False):
        first = rows.iloc[0]
        indicators[code] = _fields(first, problems)
    problems.raise_if_any()
    return indicators


def _fields(row: pd.Series, problems: FrameProblems) -> dict:
    polarity_text = str(row.get("polarity", "") or "").strip().lower()
    if polarity_text not in POLARITY_WORDS:
        problems.add(
            int(row["_line"]),
            "polarity",
            f"{polarity_text!r} is not 'higher is better', 'lower is better' or 'no judgement'",
        )
    value_type = str(row.get("value_type", "") or "").strip() or ValueType.OTHER
    if value_type not in ValueType.values:
        problems.add(
            int(row["_line"]), "value_type", f"{value_type!r} is not one of {ValueType.values}"
        )
    return {
        "name": str(row["indicator_name"]).strip(),
        "domain": LOCAL,
        "unit": str(row.get("unit", "") or ""),
        "polarity": POLARITY_WORDS.get(polarity_text, Polarity.NO_JUDGEMENT),
        "value_type": value_type,
        "definition": str(row.get("definition", "") or ""),
        "source": str(row.get("source", "") or "Local data"),
        "licence": str(row.get("licence", "") or ""),
    }
