"""A modelled prevalence by age band and sex, uploaded by an analyst for case finding.

The file is a UTF-8 CSV with one row per condition, age band and sex:

    condition,age_band,sex,prevalence
    HYP,16-44,Male,4.1
    HYP,75+,Female,58.3

``condition`` is a QOF group code healthgap holds (``HYP`` or ``qof_HYP``), ``age_band`` ``16-44``
or ``75+``, ``sex`` ``Male``, ``Female`` or ``Persons`` (``M``/``F``/``P``), ``prevalence`` a
percentage (0-100). Within a condition and sex the bands may not overlap; a condition given for
men must be given for women too. Every row is checked first: any problem is reported with file,
row and column and nothing is loaded. The estimate is saved under its name; a new file under the
same name replaces its figures (the old ones stay in its history).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone

from healthgap.constants import FEMALE, MALE, PERSONS
from healthgap.indicators.models import ImportRecord, Indicator
from healthgap.ingest.errors import IngestError, Problem, ProblemList
from healthgap.ingest.frames import NUMBER, TEXT, read_frame
from healthgap.ingest.values import current_run_by, sha256
from healthgap.practices.models import ModelledPrevalence, ModelledPrevalenceRate

IMPORTER = "modelled-prevalence"
QOF_PREFIX = "qof_"
COLUMNS = {"condition": TEXT, "age_band": TEXT, "sex": TEXT, "prevalence": NUMBER}
SEX_WORDS = {
    "male": MALE, "m": MALE, "men": MALE, "female": FEMALE, "f": FEMALE, "women": FEMALE,
    "persons": PERSONS, "p": PERSONS, "all": PERSONS,
}  # fmt: skip
BAND = re.compile(r"^\s*(\d{1,3})\s*(?:-|to)\s*(\d{1,3})\s*$")
OPEN_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:\+|and over|plus)\s*$", re.IGNORECASE)
OLDEST_AGE = 120


def import_modelled_prevalence(path: Path, name: str, source: str = "") -> ModelledPrevalence:
    """Check the whole file, then save the estimate ``name`` in one transaction."""
    path = Path(path)
    rows = modelled_rows(path)
    with transaction.atomic():
        who = current_run_by()
        record = ImportRecord.objects.create(
            file_name=str(path), sha256=sha256(path), importer=IMPORTER, run_by=who.user,
            run_by_name=who.name, row_count=len(rows),
        )  # fmt: skip
        estimate, _ = ModelledPrevalence.objects.update_or_create(
            name=name, defaults={"source": source, "import_record": record}
        )
        estimate.rates.all().delete()
        ModelledPrevalenceRate.objects.bulk_create(
            ModelledPrevalenceRate(estimate=estimate, **row) for row in rows
        )
        record.finished_at = timezone.now()
        conditions = ", ".join(sorted({row["condition"] for row in rows}))
        record.message = f"{path.name}: {len(rows)} rows of modelled prevalence ({conditions})"
        record.save()
    return estimate


def modelled_rows(path: Path) -> list[dict]:
    """The file's rows as model fields, or an IngestError naming every problem."""
    raw = read_frame(path, COLUMNS)
    problems = ProblemList(path)
    if raw.empty:
        raise IngestError(path, [Problem(None, None, "the file has no rows")])
    known = _known_conditions()
    rows = []
    for record in raw.to_dict("records"):
        row = _row(record, known, problems)
        if row is not None:
            rows.append(row)
    problems.raise_if_any()
    _check_bands(rows, problems)
    problems.raise_if_any()
    return [{key: value for key, value in row.items() if key != "line"} for row in rows]


def _known_conditions() -> set[str]:
    codes = Indicator.objects.filter(code__startswith=QOF_PREFIX).values_list("code", flat=True)
    return {code.removeprefix(QOF_PREFIX).upper() for code in codes}


def _row(record: dict, known: set[str], problems: ProblemList) -> dict | None:
    line = int(record["_line"])
    condition = _text(record["condition"]).upper().removeprefix(QOF_PREFIX.upper())
    if condition not in known:
        problems.add(
            line,
            "condition",
            f"{condition or 'an empty cell'!r} is not a QOF "
            f"condition healthgap holds (e.g. {', '.join(sorted(known)[:5])})",
        )
    sex = SEX_WORDS.get(_text(record["sex"]).lower())
    if sex is None:
        problems.add(line, "sex", f"{_text(record['sex'])!r} is not Male, Female or Persons")
    band = _band(_text(record["age_band"]))
    if band is None:
        problems.add(
            line,
            "age_band",
            f"{_text(record['age_band'])!r} is not an age band like "
            "16-44 or 75+ (ages 0 to 120, youngest first)",
        )
    prevalence = record["prevalence"]
    percentage = not pd.isna(prevalence) and 0 <= prevalence <= 100
    if not percentage:
        problems.add(line, "prevalence", "a percentage from 0 to 100 is required")
    if condition not in known or sex is None or band is None or not percentage:
        return None
    return {
        "condition": condition, "sex": sex, "age_start": band[0], "age_end": band[1],
        "prevalence": float(prevalence) / 100, "line": line,
    }  # fmt: skip


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def _band(text: str) -> tuple[int, int | None] | None:
    if found := OPEN_BAND.match(text):
        start = int(found.group(1))
        return (start, None) if start <= OLDEST_AGE else None
    if found := BAND.match(text):
        start, end = int(found.group(1)), int(found.group(2))
        return (start, end) if start <= end <= OLDEST_AGE else None
    return None


def _check_bands(rows: list[dict], problems: ProblemList) -> None:
    """No two bands of a condition and sex share an age; men and women come together."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["condition"], row["sex"]), []).append(row)
    for (condition, sex), group in groups.items():
        ordered = sorted(group, key=lambda row: row["age_start"])
        for before, after in zip(ordered, ordered[1:]):
            end = OLDEST_AGE if before["age_end"] is None else before["age_end"]
            if after["age_start"] <= end:
                problems.add(
                    after["line"],
                    "age_band",
                    f"{condition} {sex}: this band overlaps the band on row {before['line']}",
                )
        other = {MALE: FEMALE, FEMALE: MALE}.get(sex)
        if other and (condition, other) not in groups:
            problems.add(
                group[0]["line"],
                "sex",
                f"{condition} is given for {sex.lower()} but "
                f"not for {other.lower()} (give both, or Persons)",
            )
