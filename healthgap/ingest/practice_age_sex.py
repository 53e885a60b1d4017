"""Patients registered at each GP practice by sex and five-year age band (issue 12).

The file is NHS Digital's "Patients Registered at a GP Practice" quinary-age file
(``gp-reg-pat-prac-quin-age.csv``): one row per practice, sex and band, with the columns
PUBLICATION, EXTRACT_DATE, TYPE, CCG_CODE (SUB_ICB_LOCATION_CODE since July 2022), ONS_...,
ORG_CODE, POSTCODE, SEX (MALE, FEMALE or ALL), AGE_GROUP_5 (0_4, 5_9 ... 90_94, 95+ or ALL)
and NUMBER_OF_PATIENTS. Only the columns read here are required.

Bands are stored per practice, month, sex and band; the ALL rows are not stored but checked:
a sex's bands must add up to its ALL-ages row. Every problem is reported with file, row and
column and nothing is loaded: an unknown practice code, a date that is not like 01May2022, an
unknown sex or band, a count that is not a whole number of patients, a row given twice, a sex
whose bands leave ages out. A file replaces the lists of the months it holds; the same file
again changes nothing. Each import is recorded once (an ImportRecord, in the change log).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from healthgap.constants import FEMALE, MALE
from healthgap.indicators.models import ImportRecord
from healthgap.ingest import bulk
from healthgap.ingest.errors import IngestError, Problem
from healthgap.ingest.frames import CATEGORY, NUMBER, FrameProblems, read_frame
from healthgap.ingest.values import LoadResult, current_run_by, sha256
from healthgap.practices.models import Practice, PracticeAgeSexList

IMPORTER = "gp-patients-age-sex"
PRACTICE, DATE, SEX, BAND, COUNT = (
    "ORG_CODE", "EXTRACT_DATE", "SEX", "AGE_GROUP_5", "NUMBER_OF_PATIENTS",
)  # fmt: skip
COLUMNS = {PRACTICE: CATEGORY, DATE: CATEGORY, SEX: CATEGORY, BAND: CATEGORY, COUNT: NUMBER}
SEX_CODES = {"MALE": MALE, "FEMALE": FEMALE}
ALL = "ALL"
CLOSED_BAND = re.compile(r"^(\d{1,3})_(\d{1,3})$")
OPEN_BAND = re.compile(r"^(\d{1,3})\+$")
MISSING_BAND = -1  # the age_end code of an open band (None in the model)


def import_gp_patients_age_sex(path: Path, is_example: bool = False) -> LoadResult:
    """Check the whole file, then store its bands in one transaction."""
    path = Path(path)
    rows = checked_rows(path)
    bands = rows[(rows["sex"] != ALL) & (rows["age_start"] >= 0)]
    result = LoadResult(path.name, len(bands), new=len(bands))
    digest = sha256(path)
    if _already_loaded(digest):
        result.already_loaded = True
        return result
    with transaction.atomic():
        record = _record(path, digest, len(bands))
        PracticeAgeSexList.objects.filter(period__in=set(bands["period"])).delete()
        _store(bands, record, is_example)
        record.finished_at = timezone.now()
        record.message = (
            f"{path.name}: {len(bands):,} practice list counts by sex and five-year age band "
            f"({', '.join(sorted(set(bands['period'])))})"
        )
        record.save()
    return result


def checked_rows(path: Path) -> pd.DataFrame:
    """The file's rows as _line, practice, period, sex (Male, Female or ALL), age_start (-1
    for ALL ages), age_end (-1: and over), patients; or an IngestError naming every problem."""
    raw = read_frame(path, COLUMNS)
    if raw.empty:
        raise IngestError(path, [Problem(None, None, "the file has no rows")])
    problems = FrameProblems(path)
    rows = _parsed(raw, problems)
    problems.raise_if_any()
    _check_duplicates(rows, problems)
    problems.raise_if_any()
    _check_bands_cover_all_ages(rows, problems)
    _check_totals(rows, problems)
    problems.raise_if_any()
    return rows


def _parsed(raw: pd.DataFrame, problems: FrameProblems) -> pd.DataFrame:
    lines = raw["_line"].to_numpy()
    period = _each_label(raw[DATE], _month)
    sex = _each_label(raw[SEX], lambda text: SEX_CODES.get(text, ALL if text == ALL else None))
    band = _each_label(raw[BAND], _band)
    count = raw[COUNT].to_numpy(dtype=float)
    checks = (
        (DATE, period.isna(), lambda i: f"{raw[DATE].iat[i]!r} is not a date like 01May2022"),
        (SEX, sex.isna(), lambda i: f"{raw[SEX].iat[i]!r} is not MALE, FEMALE or ALL"),
        (BAND, band.isna(), lambda i: f"{raw[BAND].iat[i]!r} is not a band like 0_4, 95+ or ALL"),
        (
            COUNT,
            ~(np.isfinite(count) & (count >= 0) & (np.mod(count, 1) == 0)),
            lambda i: "a whole number of patients (0 or more) is required",
        ),
    )
    for column, bad, message in checks:
        problems.add_rows(np.asarray(bad), lines, column, message)
    _check_practices(raw, lines, problems)
    starts = band.map(lambda b: b[0] if isinstance(b, tuple) else np.nan)
    ends = band.map(lambda b: b[1] if isinstance(b, tuple) else np.nan)
    return pd.DataFrame(
        {
            "_line": lines,
            "practice": raw[PRACTICE].astype(str).to_numpy(),
            "period": period.to_numpy(),
            "sex": sex.to_numpy(),
            "age_start": starts.to_numpy(),
            "age_end": ends.to_numpy(),
            "patients": count,
        }
    )


def _each_label(column: pd.Series, parse) -> pd.Series:
    """``parse`` of each cell, worked out once per distinct text (None: not understood)."""
    texts = column.astype(str).str.strip()
    parsed = {text: parse(text) for text in texts.unique()}
    return texts.map(parsed)


def _month(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%d%b%Y").strftime("%Y-%m")
    except ValueError:
        return None


def _band(text: str) -> tuple[int, int] | None:
    """(start, end) of a band; (-1, -1) for ALL ages, end -1 for an open band."""
    if text == ALL:
        return (MISSING_BAND, MISSING_BAND)
    if found := OPEN_BAND.match(text):
        return (int(found.group(1)), MISSING_BAND)
    if (found := CLOSED_BAND.match(text)) and int(found.group(1)) <= int(found.group(2)):
        return (int(found.group(1)), int(found.group(2)))
    return None


def _check_practices(raw: pd.DataFrame, lines: np.ndarray, problems: FrameProblems) -> None:
    codes = raw[PRACTICE].astype(str)
    known = set(
        Practice.objects.filter(area_id__in=list(codes.unique())).values_list("area_id", flat=True)
    )
    problems.add_rows(
        (~codes.isin(known)).to_numpy(),
        lines,
        PRACTICE,
        lambda i: f"unknown practice code {codes.iat[i]!r} (import the practice register first)",
    )


def _check_duplicates(rows: pd.DataFrame, problems: FrameProblems) -> None:
    key = ["practice", "period", "sex", "age_start"]
    twice = rows.duplicated(key, keep="first").to_numpy()
    first_line = rows.groupby(key, dropna=False)["_line"].transform("min").to_numpy()
    problems.add_rows(
        twice,
        rows["_line"].to_numpy(),
        BAND,
        lambda i: f"this practice, date, sex and band were given already on row {first_line[i]}",
    )


def _check_bands_cover_all_ages(rows: pd.DataFrame, problems: FrameProblems) -> None:
    """Each practice's bands for a sex start at 0, follow on without gaps or overlaps and end
    with an open band (95+)."""
    bands = rows[(rows["sex"] != ALL) & (rows["age_start"] >= 0)]
    for (practice, period, sex), group in bands.groupby(["practice", "period", "sex"]):
        ordered = group.sort_values("age_start")
        starts, ends = ordered["age_start"].to_numpy(), ordered["age_end"].to_numpy()
        follows = np.array_equal(starts[1:], ends[:-1] + 1) and (ends[:-1] >= 0).all()
        if starts[0] != 0 or not follows or ends[-1] != MISSING_BAND:
            problems.add(
                int(ordered["_line"].iat[0]),
                BAND,
                f"the {sex.lower()} bands of {practice} on {period} do not run from 0_4 to "
                "95+ without gaps or overlaps",
            )


def _check_totals(rows: pd.DataFrame, problems: FrameProblems) -> None:
    """A sex's ALL-ages row equals the sum of its bands."""
    key = ["practice", "period", "sex"]
    sexes = rows[rows["sex"] != ALL]
    sums = sexes[sexes["age_start"] >= 0].groupby(key)["patients"].sum()
    totals = sexes[sexes["age_start"] == MISSING_BAND].set_index(key)
    for index, total in totals.iterrows():
        added = sums.get(index, 0)
        if added != total["patients"]:
            problems.add(
                int(total["_line"]),
                COUNT,
                f"{total['patients']:g} {index[2].lower()} patients of all ages, but the bands "
                f"of {index[0]} add up to {added:g}",
            )


def _already_loaded(digest: str) -> bool:
    records = ImportRecord.objects.filter(sha256=digest, importer=IMPORTER)
    return PracticeAgeSexList.objects.filter(import_record__in=records).exists()


def _record(path: Path, digest: str, rows: int) -> ImportRecord:
    who = current_run_by()
    return ImportRecord.objects.create(
        file_name=str(path), sha256=digest, importer=IMPORTER, run_by=who.user,
        run_by_name=who.name, row_count=rows,
    )  # fmt: skip


def _store(bands: pd.DataFrame, record: ImportRecord, is_example: bool) -> int:
    ends = bands["age_end"].astype(int)
    columns = {
        "practice_id": bands["practice"].to_numpy(dtype=object),
        "period": bands["period"].to_numpy(dtype=object),
        "sex": bands["sex"].to_numpy(dtype=object),
        "age_start": bands["age_start"].astype(int).to_numpy(),
        "age_end": ends.where(ends != MISSING_BAND, None).to_numpy(dtype=object),
        "patients": bands["patients"].astype(int).to_numpy(),
        "import_record_id": np.full(len(bands), record.id),
        "is_example": np.full(len(bands), is_example),
    }
    return bulk.insert_rows(PracticeAgeSexList._meta.db_table, columns, "practice age-sex lists")
