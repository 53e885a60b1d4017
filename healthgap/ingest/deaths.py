"""``healthgap import deaths FILE``: a civil-registration deaths extract, one row per death.

Columns (header row first, UTF-8 CSV): ``date_of_death`` or ``date_of_registration``
(YYYY-MM-DD or DD/MM/YYYY), ``age_years`` (0-120), ``sex`` (1/2, M/F, Male/Female),
``lsoa_code`` (a 2011 code, or a 2021 code of the postcode lookup: inside one 2011 LSOA it
counts there, spanning several it is shared across them by population),
``underlying_cause`` (ICD-10, e.g. I21.9); optional ``age_days`` (for deaths under 28 days) and
``postcode_district`` (e.g. CV1: a row with an empty ``lsoa_code`` is then shared across the
district's LSOAs by population, see ``mortality/districts.py``, and the report says so).

Every row is checked first; any problem is reported with file, row and column and nothing is
loaded. The deaths are then counted by LSOA x life-table age band x sex x calendar year x cause
group (``mortality/data/cause_groups.csv``), with the share considered preventable, and only
those counts are stored: the records themselves never are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
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
from healthgap.mortality.districts import (
    DistrictShares,
    configured_2021_matches,
    district_shares,
    several_2011_lsoas,
    whole_2011_parents,
)
from healthgap.mortality.models import BAND_STARTS, DeathCount, DeathSex
from healthgap.mortality.services import clear_death_counts

IMPORTER = "deaths"
DATE_COLUMNS = ("date_of_death", "date_of_registration")
DISTRICT_COLUMN = "postcode_district"
MERGED_COLUMNS = ["lsoa21", "lsoa11", "share"]
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
    if DISTRICT_COLUMN in header:
        columns[DISTRICT_COLUMN] = CATEGORY
    return columns, date


@dataclass
class CheckedDeaths:
    """The extract's rows (lsoa, district, year, sex, age, age_days, code: ``lsoa`` empty where
    only a postcode district was given, ``district`` empty otherwise), the shares of those
    districts across their LSOAs (None when no row needs them) and of the 2021 LSOAs made of
    several 2011 ones (``merged``: lsoa21, lsoa11, share)."""

    rows: pd.DataFrame
    shares: DistrictShares | None = None
    merged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MERGED_COLUMNS))


def read_deaths(path: Path, progress=None) -> CheckedDeaths:
    """The extract checked row by row. Raises IngestError listing every problem."""
    path = Path(path)
    columns, date_column = _columns(path)
    problems = FrameProblems(path)
    raw = read_frame(path, columns, progress=progress, problems=problems)
    lines = raw["_line"].to_numpy()
    matches = configured_2021_matches()  # once per import: districts and LSOAs share it
    districts, shares = _checked_districts(raw, lines, problems, matches)
    merged = matches.loc[several_2011_lsoas(matches), MERGED_COLUMNS]
    lsoas = _checked_lsoas(raw["lsoa_code"], lines, problems, districts != "", matches)
    frame = pd.DataFrame(
        {
            "lsoa": lsoas,
            "district": districts,
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
    return CheckedDeaths(frame, shares, merged[merged["lsoa21"].isin(lsoas)])


def _distinct(column) -> tuple[np.ndarray, np.ndarray]:
    """(codes per row, distinct texts): each check works on distinct values, not rows. An empty
    or blank cell has code -1."""
    categorical = pd.Categorical(column)
    texts = np.array([str(text) for text in categorical.categories], dtype=object)
    blank = np.append([not text.strip() for text in texts], True).astype(bool)
    return np.where(blank[categorical.codes], -1, categorical.codes), texts


def _report(
    problems, column, bad_distinct, codes, lines, message, empty_too=True, empty_message=None
) -> None:
    """A problem for each row whose distinct value is bad (and, with ``empty_too``, whose cell
    is empty: code -1; ``empty_too`` may be a mask of rows)."""
    rows = np.append(bad_distinct, False)[codes] | ((codes < 0) & empty_too)

    def describe(i: int) -> str:
        if codes[i] < 0:
            return empty_message or "this cell must not be empty"
        return message(int(codes[i]))

    problems.add_rows(rows, lines, column, describe)


def _checked_lsoas(column, lines, problems, district_given, matches) -> np.ndarray:
    """The LSOA code of each row ("" where it is empty and ``district_given``): a 2021 code
    held whole by one 2011 LSOA (a piece of a split one) becomes that LSOA's code; a 2021 code
    of ``matches`` spanning several 2011 LSOAs (merged) is kept, to be shared out by ``placed``."""
    codes, texts = _distinct(column)
    parents = whole_2011_parents(matches)
    texts = np.array([parents.get(text, text) for text in texts], dtype=object)
    # Every LSOA code at once: faster than a query naming tens of thousands of codes.
    known = Area.objects.filter(area_type=AreaType.LSOA).values_list("code", flat=True)
    usable = np.array([*known, *matches["lsoa21"]], dtype=str)
    bad = ~np.isin(texts.astype(str), usable)
    _report(
        problems, "lsoa_code", bad, codes, lines,
        lambda i: f"{texts[i]!r} is not an LSOA healthgap knows (2011 code, or a 2021 code of "
        "the postcode lookup)",
        empty_too=~district_given,
        empty_message=f"this cell must not be empty (or give a {DISTRICT_COLUMN})",
    )  # fmt: skip
    return np.append(texts, "")[codes]


def _checked_districts(raw, lines, problems, matches) -> tuple[np.ndarray, DistrictShares | None]:
    """The postcode district of each row whose ``lsoa_code`` is empty ("" elsewhere), with
    the shares of those districts; a district the lookup cannot share out is a problem."""
    if DISTRICT_COLUMN not in raw:
        return np.full(len(raw), "", dtype=object), None
    codes, texts = _distinct(raw[DISTRICT_COLUMN])
    cleaned = np.array([text.replace(" ", "").upper() for text in texts], dtype=object)
    codes = np.where(_distinct(raw["lsoa_code"])[0] < 0, codes, -1)  # a given LSOA wins
    if not (codes >= 0).any():
        return np.full(len(raw), "", dtype=object), None
    shares = district_shares(set(cleaned[np.unique(codes[codes >= 0])]), matches)
    unknown = ~np.isin(cleaned, np.array(sorted(shares.districts), dtype=object))
    _report(
        problems, DISTRICT_COLUMN, unknown, codes, lines,
        lambda i: f"{texts[i]!r} is not a postcode district of the postcode lookup with an "
        "LSOA healthgap holds",
        empty_too=False,
    )  # fmt: skip
    return np.append(cleaned, "")[codes], shares


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


def placed(checked: CheckedDeaths) -> pd.DataFrame:
    """Each death in its 2011 LSOA with a weight: 1 where the LSOA was given; a death given only
    a postcode district, or a 2021 LSOA made of several 2011 ones, becomes one row per LSOA it
    may lie in, weighted by the LSOA's share (the weights add up to the one death), with
    ``apportioned`` the same share."""
    deaths = checked.rows
    by_district = (deaths["district"] != "").to_numpy()
    merged = checked.merged
    in_merged = deaths["lsoa"].isin(merged["lsoa21"]).to_numpy()
    direct = deaths[~by_district & ~in_merged].assign(weight=1.0, apportioned=0.0)
    parts = [direct]
    if by_district.any():
        shared = (
            deaths[by_district].drop(columns="lsoa").merge(checked.shares.shares, on="district")
        )
        parts.append(shared)
    if in_merged.any():
        spread = deaths[in_merged].merge(merged, left_on="lsoa", right_on="lsoa21")
        parts.append(spread.drop(columns=["lsoa", "lsoa21"]).rename(columns={"lsoa11": "lsoa"}))
    for part in parts[1:]:
        part["weight"] = part["apportioned"] = part.pop("share")
    return pd.concat(parts, ignore_index=True)


def death_counts(deaths: pd.DataFrame) -> pd.DataFrame:
    """Deaths (``placed``) by LSOA, year, sex, life-table band and cause group, with the
    preventable and the apportioned shares."""
    band = np.searchsorted(BAND_STARTS, deaths["age"].to_numpy(), side="right") - 1
    weight = deaths["weight"].to_numpy()
    cells = pd.DataFrame(
        {
            "area": deaths["lsoa"].to_numpy(),
            "year": deaths["year"].to_numpy(),
            "sex": deaths["sex"].to_numpy(),
            "startage": np.asarray(BAND_STARTS)[band],
            "cause_group": causes.classify(
                deaths["code"].to_numpy(), deaths["age_days"].to_numpy()
            ),
            "deaths": weight,
            "apportioned": deaths["apportioned"].to_numpy(),
            "preventable": weight
            * causes.preventable_share(deaths["code"].to_numpy(), deaths["age"].to_numpy()),
        }
    )
    keys = ["area", "year", "sex", "startage", "cause_group"]
    sums = ["deaths", "apportioned", "preventable"]
    return cells.groupby(keys, as_index=False, sort=True)[sums].sum()


@dataclass
class DeathsResult:
    file: str
    deaths: int
    cells: int = 0
    already_loaded: bool = False
    by_district: dict[str, int] = field(default_factory=dict)  # deaths given only a district
    left_out_lsoas: int = 0  # LSOAs of those districts in the lookup that healthgap lacks
    in_merged_lsoas: int = 0  # deaths given a 2021 LSOA made of several 2011 ones

    def describe(self) -> str:
        if self.already_loaded:
            return f"{self.file}: already loaded ({self.deaths:,} deaths), nothing changed"
        return (
            f"{self.file}: {self.deaths:,} deaths counted into {self.cells:,} cells by LSOA, "
            "year, sex, age band and cause group (the records are not stored)"
            + self._apportioned()
            + self._merged()
        )

    def _merged(self) -> str:
        if not self.in_merged_lsoas:
            return ""
        return (
            f"; {self.in_merged_lsoas:,} deaths given a 2021 LSOA made of several 2011 LSOAs were "
            "shared across those by population"
        )

    def _apportioned(self) -> str:
        if not self.by_district:
            return ""
        districts = ", ".join(f"{name}: {count:,}" for name, count in self.by_district.items())
        text = (
            f"; {sum(self.by_district.values()):,} deaths given only a postcode district "
            f"({districts}) were shared across its LSOAs by population"
        )
        if self.left_out_lsoas:
            text += (
                f" ({self.left_out_lsoas:,} LSOAs of those districts in the postcode lookup "
                "are not held by healthgap or have no population, and were left out)"
            )
        return text


def _describe_districts(result: DeathsResult, checked: CheckedDeaths) -> None:
    if checked.shares is None:
        return
    districts = checked.rows.loc[checked.rows["district"] != "", "district"]
    counted = districts.value_counts().sort_index()
    result.by_district = {name: int(count) for name, count in counted.items()}
    left_out = checked.shares.left_out
    result.left_out_lsoas = left_out.loc[left_out["district"].isin(counted.index), "lsoa"].nunique()


def _write_counts(counts: pd.DataFrame, record: ImportRecord, is_synthetic: bool) -> int:
    """Every count in one bulk insert (executemany on SQLite, COPY on PostgreSQL)."""
    columns = {
        "area_id": counts["area"], "year": counts["year"], "sex": counts["sex"],
        "startage": counts["startage"], "cause_group": counts["cause_group"],
        "deaths": counts["deaths"], "apportioned": counts["apportioned"],
        "preventable": counts["preventable"],
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
    checked = read_deaths(path, progress=progress)
    result = DeathsResult(path.name, len(checked.rows))
    digest = sha256(path)
    if _already_loaded(digest):
        result.already_loaded = True
        return result
    _describe_districts(result, checked)
    result.in_merged_lsoas = int(checked.rows["lsoa"].isin(checked.merged["lsoa21"]).sum())
    counts = death_counts(placed(checked))
    with transaction.atomic():
        who = current_run_by()
        record = ImportRecord.objects.create(
            file_name=str(path), sha256=digest, importer=IMPORTER, run_by=who.user,
            run_by_name=who.name, row_count=len(checked.rows),
        )  # fmt: skip
        clear_death_counts(counts)
        result.cells = _write_counts(counts, record, is_synthetic)
        record.finished_at = timezone.now()
        record.message = result.describe()
        record.save()
    return result
