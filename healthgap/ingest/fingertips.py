"""Fingertips data: the 26-column export of the Fingertips website and API, and the tidy
extracts of it published by Trafford Data Lab (``area_code, area_name, period, value, ...``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.constants import ENGLAND_CODE, PERSONS, SEXES
from healthgap.indicators.catalog import BY_TIDY_NAME, CATALOG, FINGERTIPS_SOURCE, OGL, domain_for
from healthgap.indicators.models import Indicator, Polarity
from healthgap.ingest.errors import IngestError, Problem
from healthgap.ingest.frames import CATEGORY, NUMBER, TEXT, FrameProblems, read_frame, read_header
from healthgap.ingest.values import LoadResult, ValueTable, load_values

# The export's columns, in order, and healthgap's name for each one it stores.
EXPORT_COLUMNS = {
    "IndicatorID": "indicator",
    "IndicatorName": "indicator_name",
    "ParentCode": None,
    "ParentName": None,
    "AreaCode": "area",
    "AreaName": None,
    "AreaType": None,
    "Sex": "sex",
    "Age": "age",
    "Category_Type": "category_type",
    "Category": "category",
    "Timeperiod": "period",
    "Value": "value",
    "Lower_CI_95.0_limit": "lower95",
    "Upper_CI_95.0_limit": "upper95",
    "Lower_CI_99.8_limit": "lower998",
    "Upper_CI_99.8_limit": "upper998",
    "Count": "count",
    "Denominator": "denominator",
    "Value_note": "value_note",
    "Recent_Trend": "published_trend",
    "Compared_to_England_value_or_percentiles": "published_england",
    "Compared_to_Region_value_or_percentiles": "published_region",
    "Time_period_Sortable": None,
    "New_data": None,
    "Compared_to_goal": None,
}
# Newer exports of practice and PCN data compare with the parent area type ("Compared to PCNs
# (v. 27/10/23) value or percentiles") instead of the region: then there is no region label.
REGION_COMPARISON = "Compared_to_Region_value_or_percentiles"
NUMBERS = {"value", "lower95", "upper95", "lower998", "upper998", "count", "denominator"}
TEXTS = {"value_note"}


def _kinds(columns: dict[str, str | None]) -> dict[str, str]:
    kinds = {}
    for column, name in columns.items():
        if name is None:
            continue
        kinds[column] = NUMBER if name in NUMBERS else TEXT if name in TEXTS else CATEGORY
    return kinds


def import_fingertips_export(path: Path, progress=None) -> LoadResult:
    """A Fingertips data export (``indicators-*.data.csv``): 26 columns, headers with spaces
    or underscores (``Lower CI 95.0 limit`` or ``Lower_CI_95.0_limit``)."""
    path = Path(path)
    header = read_header(path)
    renames = _header_renames(header)
    columns = {renames.get(c, c): name for c, name in EXPORT_COLUMNS.items()}
    if REGION_COMPARISON not in renames:
        columns.pop(REGION_COMPARISON)
    problems = FrameProblems(path)
    kinds = _kinds(columns)
    raw = read_frame(path, kinds, progress=progress, problems=problems, header=header)
    frame = raw.rename(columns={c: n for c, n in columns.items() if n})
    names = {n: c for c, n in columns.items() if n}
    indicators = _export_indicators(frame, names, problems)
    frame = frame.drop(columns=["indicator_name"])
    return load_values(ValueTable(path, "fingertips", frame, names, indicators, problems))


def _header_renames(header: list[str]) -> dict[str, str]:
    """Map the underscore header names to the file's own: the website writes spaces, and its
    newer exports write "Indicator ID" and "Time period" (spaces or underscores, any case)."""
    loose = {_loose(name): name for name in header}
    return {column: loose[_loose(column)] for column in EXPORT_COLUMNS if _loose(column) in loose}


def _loose(name: str) -> str:
    return name.replace(" ", "").replace("_", "").lower()


def _export_indicators(frame: pd.DataFrame, names: dict, problems: FrameProblems) -> dict:
    """Each indicator's fields, from its ID and name (worked on the distinct values only)."""
    ids = frame["indicator"].astype(str).astype("category")
    codes = ids.cat.codes.to_numpy()
    lines = frame["_line"].to_numpy()
    categories = ids.cat.categories.astype(str)
    bad = ~np.asarray(categories.str.fullmatch(r"\d+"), dtype=bool)[codes]
    problems.add_rows(
        bad,
        lines,
        names["indicator"],
        lambda i: f"{categories[codes[i]]!r} is not a Fingertips indicator ID (a whole number)",
    )
    pairs = pd.DataFrame({"code": ids, "name": frame["indicator_name"]}).drop_duplicates()
    clashes = pairs.duplicated("code", keep="first")
    for index in clashes[clashes].index[:20]:
        problems.add(
            int(lines[index]),
            names["indicator_name"],
            f"indicator {pairs.loc[index, 'code']} has another name earlier in the file",
        )
    frame["indicator"] = ids
    first = pairs.drop_duplicates("code")
    known = set(Indicator.objects.filter(code__in=list(categories)).values_list("code", flat=True))
    return {
        str(code): _fields(str(code), str(name).strip(), frame, code in known)
        for code, name in zip(first["code"], first["name"])
    }


def _fields(code: str, name: str, frame: pd.DataFrame, in_database: bool) -> dict:
    known = CATALOG.get(code)
    fields = {
        "name": name,
        "domain": domain_for(code, name),
        "source": FINGERTIPS_SOURCE,
        "licence": OGL,
    }
    if known:
        fields.update(
            unit=known.unit,
            value_type=known.value_type,
            polarity=known.polarity,
            method=known.method,
        )
    elif not in_database:
        fields["polarity"] = infer_polarity(frame.loc[(frame["indicator"] == code).to_numpy()])
    return fields


def infer_polarity(rows: pd.DataFrame) -> str:
    """An unknown indicator's polarity from the file's own labels: "Better" above England means
    higher is better; "Higher"/"Lower" only means no judgement."""
    labels = rows.get("published_england")
    if labels is None:
        return Polarity.NO_JUDGEMENT
    labels = labels.astype(str).to_numpy()
    england = rows["value"].to_numpy()[rows["area"].astype(str).to_numpy() == ENGLAND_CODE]
    if not len(england) or not np.isin(labels, ["Better", "Worse"]).any():
        return Polarity.NO_JUDGEMENT
    above = rows["value"].to_numpy() > england[0]
    better_when_above = ((labels == "Better") & above) | ((labels == "Worse") & ~above)
    judged = np.isin(labels, ["Better", "Worse"])
    if better_when_above[judged].mean() >= 0.5:
        return Polarity.HIGH_IS_GOOD
    return Polarity.LOW_IS_GOOD


# --- tidy extracts (Trafford Data Lab) ---------------------------------------------------------


def import_tidy_extract(path: Path, indicator: str | None = None, progress=None) -> LoadResult:
    """A tidy extract: ``area_code, area_name, period, value, indicator, measure, unit`` and
    ``significance`` or ``compared_to_England``, with sex in ``group``, ``inequality`` or
    ``unit``. The indicator is found by its name in the catalog, or given as ``indicator``."""
    path = Path(path)
    header = read_header(path)
    compared = "compared_to_England" if "compared_to_England" in header else "significance"
    sex_columns = [c for c in ("group", "inequality", "unit") if c in header]
    columns = {"area_code": CATEGORY, "period": CATEGORY, "value": NUMBER, "indicator": CATEGORY}
    columns.update({compared: CATEGORY, "unit": CATEGORY})
    columns.update({c: CATEGORY for c in sex_columns})
    raw = read_frame(path, columns, missing=("", "NA"), progress=progress, header=header)
    known = _tidy_indicator(path, raw, indicator)
    frame = pd.DataFrame(
        {
            "_line": raw["_line"].to_numpy(),
            "indicator": known.code,
            "area": raw["area_code"].astype(str).to_numpy(),
            "period": raw["period"].astype(str).to_numpy(),
            "sex": _tidy_sex(raw, sex_columns),
            "age": known.age,
            "category_type": "",
            "category": "",
            "value": raw["value"].to_numpy(),
            "value_note": "",
            "published_england": raw[compared].astype(str).to_numpy(),
        }
    )
    for column in ("lower95", "upper95", "lower998", "upper998", "count", "denominator"):
        frame[column] = np.nan
    names = {c: c for c in frame.columns}
    names.update(area="area_code", indicator="indicator", sex=sex_columns[0] if sex_columns else "")
    indicators = {
        known.code: {
            "name": known.name,
            "domain": known.domain,
            "unit": known.unit,
            "value_type": known.value_type,
            "polarity": known.polarity,
            "method": known.method,
            "source": f"{FINGERTIPS_SOURCE}, via Trafford Data Lab",
            "licence": OGL,
        }
    }
    return load_values(ValueTable(path, "tdl", frame, names, indicators))


def _tidy_indicator(path: Path, raw: pd.DataFrame, code: str | None):
    if code is not None:
        if code not in CATALOG:
            raise IngestError(path, [Problem(None, "indicator", f"unknown indicator ID {code!r}")])
        return CATALOG[code]
    names = raw["indicator"].astype(str)
    unknown = ~names.isin(BY_TIDY_NAME).to_numpy()
    if unknown.any():
        problems = FrameProblems(path)
        problems.add_rows(
            unknown,
            raw["_line"].to_numpy(),
            "indicator",
            lambda i: f"unknown indicator {names.iat[i]!r}: give its Fingertips ID (--indicator)",
        )
        problems.raise_if_any()
    found = {BY_TIDY_NAME[name].code for name in names.unique()}
    if len(found) > 1:
        raise IngestError(path, [Problem(None, "indicator", "the file holds several indicators")])
    return BY_TIDY_NAME[names.iat[0]] if len(names) else CATALOG[next(iter(CATALOG))]


def _tidy_sex(raw: pd.DataFrame, sex_columns: list[str]) -> np.ndarray:
    sex = np.full(len(raw), PERSONS, dtype=object)
    for column in reversed(sex_columns):
        values = raw[column].astype(str).to_numpy()
        sex = np.where(np.isin(values, list(SEXES)), values, sex)
    return sex
