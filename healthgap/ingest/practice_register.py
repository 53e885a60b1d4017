"""GP practices and their registered lists (issue 12).

``import_practice_register`` reads NHS Digital's ODS practice file (``epraccur``) and the QOF
"mapping NHS geographies" file: every practice becomes an area under its primary care network,
sub-ICB location and ICB (added as areas too), with its status, opening and closing dates and,
from OHID's Fingertips indicator 93553, its deprivation score. ``import_qof_practices`` reads
the QOF practice-level prevalence file: registers and list sizes become the practice
indicators ``qof_<GROUP>`` (recorded prevalence with Wilson limits, through ``load_values``,
which rejects unknown practice codes and a register above its list), and the list-size types
(all ages, 6+, 16+, 17+, 18+, 50+) give each practice's list by age band.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction

from healthgap.areas.models import Area, AreaType
from healthgap.constants import ENGLAND_CODE, PERSONS
from healthgap.ingest.errors import IngestError, Problem
from healthgap.ingest.frames import NUMBER, TEXT, FrameProblems, read_frame
from healthgap.ingest.loading import upsert
from healthgap.ingest.practices import _qof_indicator, _values_frame, _with_limits
from healthgap.ingest.values import LoadResult, ValueTable, load_values
from healthgap.practices.models import Practice, PracticeList

GP_PRESCRIBING_SETTING = "4"  # epraccur: the organisation is a GP practice
# Commissioners in older ODS records that were merged into today's sub-ICB locations.
SUB_ICB_SUCCESSORS = {"05A": "B2M3M", "05H": "B2M3M", "05R": "B2M3M"}
UNALLOCATED_PCN = "U"
IMD_INDICATOR_YEAR = "2019"
QOF_PERIOD = "2022/23"
QOF_SOURCE = "NHS Digital, Quality and Outcomes Framework, practice level"
# QOF list-size types: the youngest age each counts. Differences between them give the bands.
LIST_TYPE_START = {"TOTAL": 0, "06OV": 6, "16OV": 16, "17OV": 17, "18OV": 18, "50OV": 50}

MAPPING_COLUMNS = (
    "ICB_ONS_CODE", "ICB_NAME", "SUB_ICB_ODS_CODE", "SUB_ICB_ONS_CODE", "SUB_ICB_NAME",
    "PCN_ODS_CODE", "PCN_NAME", "PRACTICE_CODE", "PRACTICE_NAME",
)  # fmt: skip
EPRACCUR_COLUMNS = (
    "org_code", "name", "postcode", "open_date", "close_date", "status_code", "commissioner",
    "prescribing_setting",
)  # fmt: skip


def import_practice_register(epraccur: Path, mapping: Path, imd: Path | None = None) -> int:
    """Practices (open, closed and dormant) with their NHS hierarchy; returns how many."""
    epraccur, mapping = Path(epraccur), Path(mapping)
    links = read_frame(mapping, dict.fromkeys(MAPPING_COLUMNS, TEXT))
    records = read_frame(epraccur, dict.fromkeys(EPRACCUR_COLUMNS, TEXT))
    records = records[records["prescribing_setting"].astype(str) == GP_PRESCRIBING_SETTING]
    _check_register(epraccur, mapping, records, links)
    scores = _imd_scores(Path(imd)) if imd else {}
    with transaction.atomic():
        _save_hierarchy(links)
        parents = _practice_parents(records, links)
        names = dict(zip(links["PRACTICE_CODE"], links["PRACTICE_NAME"]))
        areas = [
            Area(
                code=code,
                name=names.get(code) or str(name).title(),
                area_type=AreaType.GP_PRACTICE,
                parent_id=parents[code],
            )
            for code, name in zip(records["org_code"], records["name"])
        ]
        upsert(Area, areas, ["code"], ["name", "area_type", "parent"], "practices")
        practices = [_practice(row, scores) for row in records.itertuples(index=False)]
        fields = ["postcode", "status", "opened", "closed", "imd_score", "imd_basis"]
        return upsert(Practice, practices, ["area"], fields, "practice details")


def _check_register(epraccur, mapping, records, links) -> None:
    """Every mapped practice is in the ODS file; every ODS practice's commissioner is a sub-ICB
    location of the mapping (or was merged into one); dates are dates."""
    known = set(records["org_code"])
    problems = FrameProblems(mapping)
    unknown = ~links["PRACTICE_CODE"].isin(known).to_numpy()
    problems.add_rows(
        unknown,
        links["_line"].to_numpy(),
        "PRACTICE_CODE",
        lambda i: (
            f"unknown practice code {links['PRACTICE_CODE'].iat[i]!r} (not in {epraccur.name})"
        ),
    )
    problems.raise_if_any()
    problems = FrameProblems(epraccur)
    sub_icbs = set(links["SUB_ICB_ODS_CODE"])
    commissioner = records["commissioner"].astype(str).map(lambda c: SUB_ICB_SUCCESSORS.get(c, c))
    problems.add_rows(
        ~commissioner.isin(sub_icbs).to_numpy(),
        records["_line"].to_numpy(),
        "commissioner",
        lambda i: (
            f"commissioner {records['commissioner'].iat[i]!r} is not a sub-ICB location "
            f"of {mapping.name}"
        ),
    )
    for column in ("open_date", "close_date"):
        text = records[column].fillna("").astype(str)
        bad = (text != "") & ~text.map(_is_date)
        problems.add_rows(
            bad.to_numpy(),
            records["_line"].to_numpy(),
            column,
            lambda i, text=text: f"{text.iat[i]!r} is not a date like 20180401",
        )
    problems.raise_if_any()


def _is_date(text: str) -> bool:
    try:
        _date(text)
    except ValueError:
        return False
    return True


def _date(text) -> date | None:
    text = "" if text is None or pd.isna(text) else str(text).strip()
    if not text:
        return None
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _save_hierarchy(links: pd.DataFrame) -> None:
    """ICBs under England, sub-ICB locations under their ICB, PCNs under their sub-ICB."""
    levels = (
        ("ICB_ONS_CODE", "ICB_NAME", AreaType.ICB, None),
        ("SUB_ICB_ONS_CODE", "SUB_ICB_NAME", AreaType.SUB_ICB, "ICB_ONS_CODE"),
        ("PCN_ODS_CODE", "PCN_NAME", AreaType.PCN, "SUB_ICB_ONS_CODE"),
    )
    for code, name, area_type, parent in levels:
        rows = links[links[code] != UNALLOCATED_PCN].drop_duplicates(code)
        areas = [
            Area(
                code=row[code],
                name=row[name],
                area_type=area_type,
                parent_id=row[parent] if parent else ENGLAND_CODE,
            )
            for _, row in rows.iterrows()
        ]
        upsert(Area, areas, ["code"], ["name", "area_type", "parent"], f"{area_type} areas")


def _practice_parents(records: pd.DataFrame, links: pd.DataFrame) -> dict[str, str]:
    """Each practice's PCN; a practice without one (closed before the mapping, or unallocated)
    sits directly under its commissioner's sub-ICB location."""
    pcns = {
        practice: pcn
        for practice, pcn in zip(links["PRACTICE_CODE"], links["PCN_ODS_CODE"])
        if pcn != UNALLOCATED_PCN
    }
    sub_icbs = dict(zip(links["SUB_ICB_ODS_CODE"], links["SUB_ICB_ONS_CODE"]))
    return {
        code: pcns.get(code) or sub_icbs[SUB_ICB_SUCCESSORS.get(str(commissioner), commissioner)]
        for code, commissioner in zip(records["org_code"], records["commissioner"])
    }


def _practice(row, scores: dict[str, float]) -> Practice:
    score = scores.get(row.org_code)
    return Practice(
        area_id=row.org_code,
        postcode=str(row.postcode or "").strip(),
        status=str(row.status_code),
        opened=_date(row.open_date),
        closed=_date(row.close_date),
        imd_score=score,
        imd_basis="OHID Fingertips 93553: patients' LSOAs (IMD 2019)" if score is not None else "",
    )


def _imd_scores(path: Path) -> dict[str, float]:
    """Practice IMD 2019 scores from a Fingertips API extract (``AreaCode, Year, Value``)."""
    frame = read_frame(path, {"AreaCode": TEXT, "Year": TEXT, "Value": NUMBER})
    latest = frame[frame["Year"].astype(str) == IMD_INDICATOR_YEAR]
    return {
        code: float(value)
        for code, value in zip(latest["AreaCode"], latest["Value"])
        if np.isfinite(value)
    }


# --- QOF practice prevalence --------------------------------------------------------------------


def import_qof_practices(path: Path, period: str = QOF_PERIOD) -> LoadResult:
    """Registers and list sizes per practice and clinical area (``PRACTICE_CODE, GROUP_CODE,
    REGISTER, PATIENT_LIST_TYPE, PRACTICE_LIST_SIZE``); rows for England (E92000001) or any
    other known area load as that area's values."""
    path = Path(path)
    columns = {"PRACTICE_CODE": TEXT, "GROUP_CODE": TEXT, "PATIENT_LIST_TYPE": TEXT}
    raw = read_frame(path, {**columns, "REGISTER": NUMBER, "PRACTICE_LIST_SIZE": NUMBER})
    groups = raw["GROUP_CODE"].astype(str)
    frame = _values_frame(
        raw["_line"].to_numpy(),
        indicator=("qof_" + groups).to_numpy(),
        area=raw["PRACTICE_CODE"].astype(str).to_numpy(),
        period=period,
        sex=PERSONS,
        age="All ages",
        count=raw["REGISTER"].to_numpy(),
        denominator=raw["PRACTICE_LIST_SIZE"].to_numpy(),
    )
    frame = _with_limits(frame)
    names = {c: c for c in frame.columns}
    names.update(
        area="PRACTICE_CODE", indicator="GROUP_CODE", count="REGISTER",
        denominator="PRACTICE_LIST_SIZE", value="REGISTER",
    )  # fmt: skip
    indicators = {f"qof_{g}": _qof_indicator(g, QOF_SOURCE) for g in groups.unique()}
    table = ValueTable(path, "qof-practices", frame, names, indicators)
    with transaction.atomic():
        result = load_values(table)  # checks the whole file first: nothing is saved on a problem
        _save_lists(path, raw, period)
    return result


def _save_lists(path: Path, raw: pd.DataFrame, period: str) -> int:
    """Each practice's list by age band, from the list-size types; a band below zero (a list
    type larger than the one below it) is a problem naming its row."""
    sizes = raw[raw["PATIENT_LIST_TYPE"].isin(LIST_TYPE_START)]
    known = set(
        Practice.objects.filter(area_id__in=list(sizes["PRACTICE_CODE"].unique())).values_list(
            "area_id", flat=True
        )
    )
    sizes = sizes[sizes["PRACTICE_CODE"].isin(known)].drop_duplicates(
        ["PRACTICE_CODE", "PATIENT_LIST_TYPE"]
    )
    lists, problems = [], []
    starts = sorted(set(LIST_TYPE_START.values()))
    for code, rows in sizes.groupby("PRACTICE_CODE", sort=False):
        by_start = {
            LIST_TYPE_START[t]: (n, line)
            for t, n, line in zip(
                rows["PATIENT_LIST_TYPE"], rows["PRACTICE_LIST_SIZE"], rows["_line"]
            )
        }
        if set(by_start) != set(starts):
            continue  # a practice without every list type: no bands rather than wrong ones
        for start, end in zip(starts, [*starts[1:], None]):
            count, line = by_start[start]
            patients = count - (by_start[end][0] if end is not None else 0)
            if patients < 0:
                problems.append(
                    Problem(
                        int(line),
                        "PRACTICE_LIST_SIZE",
                        f"list {count:g} is below the list from age {end} ({by_start[end][0]:g})",
                    )
                )
                continue
            lists.append(
                PracticeList(
                    practice_id=code, period=period, age_start=start,
                    age_end=end - 1 if end is not None else None, patients=int(patients),
                    source=QOF_SOURCE,
                )
            )  # fmt: skip
    if problems:
        raise IngestError(path, problems)
    return upsert(
        PracticeList, lists, ["practice", "period", "age_start"], ["age_end", "patients", "source"],
        "practice lists",
    )  # fmt: skip
