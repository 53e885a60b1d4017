"""``healthgap import deaths FILE``: a civil-registration deaths extract, one row per death.

Columns (header row first, UTF-8 CSV): ``date_of_death`` or ``date_of_registration``
(YYYY-MM-DD or DD/MM/YYYY), ``age_years`` (0-120), ``sex`` (1/2, M/F, Male/Female),
``lsoa_code`` (an LSOA healthgap knows: 2011 codes, and the 2021 codes that did not change),
``underlying_cause`` (ICD-10, e.g. I21.9); optional ``age_days`` (for deaths under 28 days).

Every row is checked first; any problem is reported with file, row and column and nothing is
loaded. The deaths are then counted by LSOA x life-table age band x sex x calendar year x cause
group (``mortality/data/cause_groups.csv``), with the share considered preventable, and only
those counts are stored: the records themselves never are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from healthgap.areas.models import Area, AreaType
from healthgap.indicators.models import ImportRecord
from healthgap.ingest import bulk
from healthgap.ingest.frames import CATEGORY, NUMBER, FrameProblems, read_frame, read_header
from healthgap.ingest.values import current_run_by, sha256
from healthgap.mortality import causes
from healthgap.mortality.models import BAND_STARTS, DeathCount, DeathSex
from healthgap.mortality.services import clear_death_counts

IMPORTER = "deaths"
DATE_COLUMNS = ("date_of_death", "date_of_registration")
REQUIRED = {"age_years": NUMBER, "sex": CATEGORY, "lsoa_code": CATEGORY}
REQUIRED["underlying_cause"] = CATEGORY
MAX_AGE = 120
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
SEX_WORDS = {
    "1": DeathSex.MALE, "m": DeathSex.MALE, "male": DeathSex.MALE,
    "2": DeathSex.FEMALE, "f": DeathSex.FEMALE, "female": DeathSex.FEMALE,
}  # fmt: skip


def _columns(path: Path) -> tuple[dict[str, str], str]:
    header = read_header(path)
    date = next((name for name in DATE_COLUMNS if name in header), DATE_COLUMNS[0])
    columns = {date: CATEGORY, **REQUIRED}
    if "age_days" in header:
        columns["age_days"] = NUMBER
    return columns, date


def read_deaths(path: Path, progress=None) -> pd.DataFrame:
    """The extract checked row by row, as columns lsoa, year, sex, age, age_days, code.
    Raises IngestError listing every problem."""
    path = Path(path)
    columns, date_column = _columns(path)
    problems = FrameProblems(path)
    raw = read_frame(path, columns, progress=progress, problems=problems)
    lines = raw["_line"].to_numpy()
    frame = pd.DataFrame(
        {
            "lsoa": _checked_lsoas(raw["lsoa_code"], lines, problems),
            "year": _checked_years(raw[date_column], date_column, lines, problems),
            "sex": _checked_sexes(raw["sex"], lines, problems),
            "age": _checked_ages(raw["age_years"].to_numpy(), "age_years", lines, problems),
            "code": _checked_codes(raw["underlying_cause"], lines, problems),
        }
    )
    ages_days = raw["age_days"].to_numpy() if "age_days" in raw else None
    if ages_days is not None:
        _checked_ages(ages_days, "age_days", lines, problems, maximum=366, missing_ok=True)
    problems.raise_if_any()
    frame["age_days"] = np.nan if ages_days is None else ages_days
    return frame


def _distinct(column) -> tuple[np.ndarray, np.ndarray]:
    """(codes per row, distinct texts): each check works on distinct values, not rows."""
    categorical = pd.Categorical(column)
    return categorical.codes, np.array([str(text) for text in categorical.categories], dtype=object)


def _report(problems, column, bad_distinct, codes, lines, message, empty_too=True) -> None:
    """A problem for each row whose distinct value is bad (and, with ``empty_too``, whose cell
    is empty: code -1)."""
    rows = np.append(bad_distinct, empty_too)[codes]

    def describe(i: int) -> str:
        return "this cell must not be empty" if codes[i] < 0 else message(int(codes[i]))

    problems.add_rows(rows, lines, column, describe)


def _checked_lsoas(column, lines, problems) -> np.ndarray:
    codes, texts = _distinct(column)
    # Every LSOA code at once: faster than a query naming tens of thousands of codes.
    known = Area.objects.filter(area_type=AreaType.LSOA).values_list("code", flat=True)
    bad = ~np.isin(texts.astype(str), np.array(list(known), dtype=str))
    _report(
        problems, "lsoa_code", bad, codes, lines,
        lambda i: f"{texts[i]!r} is not an LSOA healthgap knows (2011 code, or an unchanged "
        "2021 code)",
    )  # fmt: skip
    return np.append(texts, "")[codes]


def _parsed_dates(texts: np.ndarray) -> pd.DatetimeIndex:
    parsed = pd.to_datetime(pd.Series(texts), format=DATE_FORMATS[0], errors="coerce")
    for date_format in DATE_FORMATS[1:]:
        again = pd.to_datetime(pd.Series(texts), format=date_format, errors="coerce")
        parsed = parsed.fillna(again)
    return pd.DatetimeIndex(parsed)


def _checked_years(column, name: str, lines, problems) -> np.ndarray:
    codes, texts = _distinct(column)
    dates = _parsed_dates(texts)
    today = pd.Timestamp(datetime.date.today())
    unreadable = np.asarray(dates.isna())
    future = ~unreadable & np.asarray(dates > today)
    _report(
        problems, name, unreadable, codes, lines,
        lambda i: f"{texts[i]!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    )  # fmt: skip
    _report(
        problems, name, future, codes, lines, lambda i: f"{texts[i]} is in the future",
        empty_too=False,
    )  # fmt: skip
    years = np.nan_to_num(np.asarray(dates.year, dtype=float))
    return np.append(years, 0)[codes].astype(int)


def _checked_sexes(column, lines, problems) -> np.ndarray:
    codes, texts = _distinct(column)
    sexes = np.array([SEX_WORDS.get(text.strip().lower(), "") for text in texts], dtype=object)
    _report(
        problems, "sex", sexes == "", codes, lines,
        lambda i: f"{texts[i]!r} is not a sex: use 1 or 2, M or F, Male or Female",
    )  # fmt: skip
    return np.append(sexes, "")[codes]


def _checked_ages(ages, name, lines, problems, maximum=MAX_AGE, missing_ok=False) -> np.ndarray:
    missing = np.isnan(ages)
    bad = ~missing & ((ages < 0) | (ages > maximum) | (ages != np.floor(ages)))
    problems.add_rows(
        bad, lines, name, lambda i: f"{ages[i]:g} is not an age in whole years 0-{maximum}"
    )
    if not missing_ok:
        problems.add_rows(missing, lines, name, lambda i: "this cell must not be empty")
    return ages


def _checked_codes(column, lines, problems) -> np.ndarray:
    codes, texts = _distinct(column)
    cleaned = causes.normalised(texts) if len(texts) else texts
    valid = causes.is_icd10(cleaned)
    _report(
        problems, "underlying_cause", ~valid, codes, lines,
        lambda i: f"{texts[i]!r} is not an ICD-10 code ({causes.ICD10_TEXT})",
    )  # fmt: skip
    ordinals = np.array(
        [causes.ordinal(code) if ok else -1 for code, ok in zip(cleaned, valid)], dtype=np.int64
    )
    return np.append(ordinals, -1)[codes]


def death_counts(deaths: pd.DataFrame) -> pd.DataFrame:
    """Deaths by LSOA, year, sex, life-table band and cause group, with the preventable share."""
    band = np.searchsorted(BAND_STARTS, deaths["age"].to_numpy(), side="right") - 1
    cells = pd.DataFrame(
        {
            "area": deaths["lsoa"].to_numpy(),
            "year": deaths["year"].to_numpy(),
            "sex": deaths["sex"].to_numpy(),
            "startage": np.asarray(BAND_STARTS)[band],
            "cause_group": causes.classify(
                deaths["code"].to_numpy(), deaths["age_days"].to_numpy()
            ),
            "deaths": 1,
            "preventable": causes.preventable_share(
                deaths["code"].to_numpy(), deaths["age"].to_numpy()
            ),
        }
    )
    keys = ["area", "year", "sex", "startage", "cause_group"]
    return cells.groupby(keys, as_index=False, sort=True)[["deaths", "preventable"]].sum()


@dataclass
class DeathsResult:
    file: str
    deaths: int
    cells: int = 0
    already_loaded: bool = False

    def describe(self) -> str:
        if self.already_loaded:
            return f"{self.file}: already loaded ({self.deaths:,} deaths), nothing changed"
        return (
            f"{self.file}: {self.deaths:,} deaths counted into {self.cells:,} cells by LSOA, "
            "year, sex, age band and cause group (the records are not stored)"
        )


def _write_counts(counts: pd.DataFrame, record: ImportRecord, is_synthetic: bool) -> int:
    """Every count in one bulk insert (executemany on SQLite, COPY on PostgreSQL)."""
    columns = {
        "area_id": counts["area"], "year": counts["year"], "sex": counts["sex"],
        "startage": counts["startage"], "cause_group": counts["cause_group"],
        "deaths": counts["deaths"], "preventable": counts["preventable"],
        "import_record_id": np.full(len(counts), record.id),
        "is_synthetic": np.full(len(counts), is_synthetic),
    }  # fmt: skip
    return bulk.insert_rows(DeathCount._meta.db_table, columns, "deaths counts")


def _already_loaded(digest: str) -> bool:
    records = ImportRecord.objects.filter(sha256=digest, importer=IMPORTER)
    return DeathCount.objects.filter(import_record__in=records).exists()


def import_deaths(path: Path, progress=None, is_synthetic: bool = False) -> DeathsResult:
    """Check the whole extract, then store its counts in one transaction (see module docstring);
    the same file again changes nothing."""
    path = Path(path)
    deaths = read_deaths(path, progress=progress)
    result = DeathsResult(path.name, len(deaths))
    digest = sha256(path)
    if _already_loaded(digest):
        result.already_loaded = True
        return result
    counts = death_counts(deaths)
    with transaction.atomic():
        who = current_run_by()
        record = ImportRecord.objects.create(
            file_name=str(path), sha256=digest, importer=IMPORTER, run_by=who.user,
            run_by_name=who.name, row_count=len(deaths),
        )  # fmt: skip
        clear_death_counts(counts)
        result.cells = _write_counts(counts, record, is_synthetic)
        record.finished_at = timezone.now()
        record.message = result.describe()
        record.save()
    return result
