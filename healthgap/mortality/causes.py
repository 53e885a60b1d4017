"""ICD-10 codes to cause groups and "considered preventable" shares, from the editable tables in
``mortality/data`` (see its README). Worked on arrays of distinct codes, so that a year of
England's deaths is classified in milliseconds."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

DATA_DIR = Path(str(resources.files("healthgap.mortality") / "data"))
OTHER = "other"
OTHER_LABEL = "Other causes"
# Not a row of the table: every death, whatever its cause (ONS's published deaths are these).
ALL_CAUSES = "all"
ALL_CAUSES_LABEL = "All causes"
# A letter, two digits, then optionally a dot and a fourth character (digit, or X for "none").
ICD10_PATTERN = re.compile(r"^[A-Z][0-9]{2}(\.?[0-9X])?$")
ICD10_TEXT = "a letter, two digits and optionally a dot and one more digit, e.g. I21 or I21.9"


@dataclass(frozen=True)
class CodeRange:
    start: int
    end: int
    text: str = ""  # as the table writes it, "I00-I99"

    def overlaps(self, other: CodeRange) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class CauseGroup:
    group: str
    label: str
    codes: CodeRange | None
    under_days: int | None


@dataclass(frozen=True)
class PreventableCondition:
    condition: str
    codes: CodeRange
    under_age: int
    share: float


def normalised(codes: np.ndarray) -> np.ndarray:
    """Codes upper-cased, spaces and trailing dots removed ("i21.9 " -> "I21.9")."""
    return np.char.rstrip(np.char.upper(np.char.strip(codes.astype(str))), ".")


def is_icd10(codes: np.ndarray) -> np.ndarray:
    return np.array([bool(ICD10_PATTERN.match(code)) for code in codes], dtype=bool)


def ordinal(code: str, end: bool = False) -> int:
    """A number that orders ICD-10 codes: I21.9 -> 8219 (letter x 1000 + 2 digits x 10 + 4th).
    A three-character code is its first subdivision, or with ``end`` its last (I99 -> I99.9)."""
    plain = code.replace(".", "")
    fourth = plain[3:4]
    detail = int(fourth) if fourth.isdigit() else (9 if end else 0)
    return (ord(plain[0]) - ord("A")) * 1000 + int(plain[1:3]) * 10 + detail


def ordinals(codes: np.ndarray) -> np.ndarray:
    return np.array([ordinal(code) for code in codes], dtype=np.int64)


def _range(start: str, end: str) -> CodeRange:
    return CodeRange(ordinal(start), ordinal(end, end=True), f"{start}-{end}")


@cache
def cause_groups(path: Path = DATA_DIR / "cause_groups.csv") -> tuple[CauseGroup, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(
            CauseGroup(
                row["group"],
                row["label"],
                _range(row["icd10_from"], row["icd10_to"]) if row["icd10_from"] else None,
                int(row["under_days"]) if row["under_days"] else None,
            )
            for row in csv.DictReader(handle)
        )


@cache
def preventable_conditions(
    path: Path = DATA_DIR / "preventable.csv",
) -> tuple[PreventableCondition, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(
            PreventableCondition(
                row["condition"],
                _range(row["icd10_from"], row["icd10_to"]),
                int(row["under_age"]),
                float(row["preventable_share"]),
            )
            for row in csv.DictReader(handle)
        )


def group_labels() -> dict[str, str]:
    """{group: label} in the table's order, with "other" last."""
    return {**{g.group: g.label for g in cause_groups()}, OTHER: OTHER_LABEL}


def cause_choices() -> list[tuple[str, str]]:
    """All causes, then every group of the table with "other" last: what a measure can count."""
    return [(ALL_CAUSES, ALL_CAUSES_LABEL), *group_labels().items()]


def cause_description(group: str) -> str:
    """A cause group in words with its ICD-10 codes, as a report names it: "Circulatory
    diseases (ICD-10 I00-I99)". Codes taken first by an earlier row of the table (first match
    wins) are named as left out."""
    if group == ALL_CAUSES:
        return f"{ALL_CAUSES_LABEL} (every ICD-10 code)"
    if group == OTHER:
        return f"{OTHER_LABEL} (ICD-10 codes in none of the other groups)"
    rows = cause_groups()
    index = next((i for i, row in enumerate(rows) if row.group == group), None)
    if index is None:
        raise KeyError(f"{group!r} is not a cause group of {DATA_DIR / 'cause_groups.csv'}")
    row = rows[index]
    if row.codes is None:
        return f"{row.label} (any cause, age under {row.under_days} days)"
    return f"{row.label} (ICD-10 {row.codes.text}{_left_out(row, rows[:index])})"


def _left_out(row: CauseGroup, earlier: tuple[CauseGroup, ...]) -> str:
    ranges = [e.codes.text for e in earlier if e.codes is not None and e.codes.overlaps(row.codes)]
    ages = [f"deaths under {e.under_days} days" for e in earlier if e.codes is None]
    parts = " and ".join(part for part in (", ".join(ranges), ", ".join(ages)) if part)
    return f", except {parts}" if parts else ""


def classify(code_ordinals: np.ndarray, age_days: np.ndarray | None = None) -> np.ndarray:
    """Each death's cause group: the first row of the table that matches it, else "other".
    ``age_days`` (NaN where unknown) is needed only for rows by age in days."""
    groups = np.full(len(code_ordinals), OTHER, dtype=object)
    decided = np.zeros(len(code_ordinals), dtype=bool)
    for row in cause_groups():
        if row.codes is not None:
            match = (code_ordinals >= row.codes.start) & (code_ordinals <= row.codes.end)
        elif age_days is not None:
            match = age_days < row.under_days  # NaN compares false: unknown age in days
        else:
            continue
        if row.codes is not None and row.under_days is not None and age_days is not None:
            match &= age_days < row.under_days
        take = match & ~decided
        groups[take] = row.group
        decided |= take
    return groups


def preventable_share(code_ordinals: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """The share (0, 0.5 or 1) of each death counted as considered preventable."""
    share = np.zeros(len(code_ordinals))
    for row in preventable_conditions():
        match = (code_ordinals >= row.codes.start) & (code_ordinals <= row.codes.end)
        share = np.where(match & (ages < row.under_age) & (share == 0), row.share, share)
    return share
