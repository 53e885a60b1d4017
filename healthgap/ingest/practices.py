"""Primary-care files: NHS Digital's patients registered at GP practices, and the QOF CCG
workbook (recorded prevalence by clinical area). Practices and CCGs named in the file are added
as areas, in the same transaction as their values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction

from healthgap.areas.models import Area, AreaType
from healthgap.constants import ENGLAND_CODE, FEMALE, MALE, PERSONS
from healthgap.indicators.catalog import PRIMARY_CARE
from healthgap.indicators.models import Polarity, ValueType
from healthgap.ingest.errors import IngestError, Problem
from healthgap.ingest.frames import CATEGORY, NUMBER, FrameProblems, read_frame
from healthgap.ingest.loading import upsert
from healthgap.ingest.values import MEASURES, LoadResult, ValueTable, load_values
from healthgap.methods import proportion

NHSD = "NHS Digital"
OGL = "Open Government Licence v3.0"
SEXES = {"ALL": PERSONS, "MALE": MALE, "FEMALE": FEMALE}
QOF_AREAS = {
    "AF": "atrial fibrillation", "BP": "blood pressure", "CHD": "coronary heart disease",
    "CVD-PP": "cardiovascular disease primary prevention", "HF": "heart failure",
    "HYP": "hypertension", "PAD": "peripheral arterial disease", "STIA": "stroke and TIA",
    "AST": "asthma", "COPD": "COPD", "OB": "obesity (18+)", "SMOK": "smoking",
    "CAN": "cancer", "CKD": "chronic kidney disease (18+)", "DM": "diabetes (17+)",
    "PC": "palliative care", "DEM": "dementia", "DEP": "depression (18+)",
    "EP": "epilepsy (18+)", "LD": "learning disabilities", "MH": "mental health",
    "OST": "osteoporosis (50+)", "RA": "rheumatoid arthritis (16+)",
    "NDH": "non-diabetic hyperglycaemia (18+)",
}  # fmt: skip


def import_gp_patients(path: Path) -> LoadResult:
    """Patients registered at each GP practice (``CODE``, ``NUMBER_OF_PATIENTS``)."""
    path = Path(path)
    columns = {c: CATEGORY for c in ("EXTRACT_DATE", "CCG_CODE", "ONS_CCG_CODE", "CODE")}
    columns.update(SEX=CATEGORY, AGE=CATEGORY, NUMBER_OF_PATIENTS=NUMBER)
    raw = read_frame(path, columns)
    year = raw["EXTRACT_DATE"].astype(str).str[-4:]
    problems = FrameProblems(path)
    problems.add_rows(
        ~year.str.fullmatch(r"\d{4}").to_numpy(),
        raw["_line"].to_numpy(),
        "EXTRACT_DATE",
        lambda i: f"{raw['EXTRACT_DATE'].iat[i]!r} is not a date like 01May2022",
    )
    problems.raise_if_any()
    count = raw["NUMBER_OF_PATIENTS"].to_numpy()
    frame = _values_frame(
        raw["_line"].to_numpy(),
        indicator="gp_registered_patients",
        area=raw["CODE"].astype(str).to_numpy(),
        period=year.to_numpy(),
        sex=raw["SEX"].astype(str).map(lambda s: SEXES.get(s, s.title())).to_numpy(),
        age=raw["AGE"].astype(str).replace({"ALL": "All ages"}).to_numpy(),
        value=count,
        count=count,
    )
    names = {c: c for c in frame.columns}
    names.update(
        area="CODE", period="EXTRACT_DATE", value="NUMBER_OF_PATIENTS", count="NUMBER_OF_PATIENTS"
    )
    indicator = {
        "gp_registered_patients": {
            "name": "Patients registered at a GP practice",
            "domain": PRIMARY_CARE,
            "unit": "patients",
            "value_type": ValueType.COUNT,
            "polarity": Polarity.NO_JUDGEMENT,
            "source": f"{NHSD}, Patients Registered at a GP Practice",
            "licence": OGL,
        }
    }
    ccgs = raw[["ONS_CCG_CODE", "CCG_CODE"]].drop_duplicates().astype(str)
    practices = raw[["CODE", "ONS_CCG_CODE"]].drop_duplicates("CODE").astype(str)
    with transaction.atomic():
        _add_areas(ccgs["ONS_CCG_CODE"], "CCG " + ccgs["CCG_CODE"], AreaType.CCG, ENGLAND_CODE)
        _add_areas(
            practices["CODE"], practices["CODE"], AreaType.GP_PRACTICE, practices["ONS_CCG_CODE"]
        )
        return load_values(ValueTable(path, "gp-patients", frame, names, indicator))


def _values_frame(lines, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"_line": lines, **columns})
    for column in MEASURES:
        if column not in frame:
            frame[column] = np.nan
    for column, default in (("category_type", ""), ("category", ""), ("value_note", "")):
        frame[column] = default
    return frame


def _add_areas(codes, names, area_type, parents) -> None:
    """Add areas not yet known (known areas keep their names and parents)."""
    codes = pd.Series(list(codes), dtype=object)
    names = pd.Series(list(names), dtype=object)
    parents = pd.Series(parents if isinstance(parents, str) else list(parents), index=codes.index)
    known = set(Area.objects.filter(code__in=list(codes)).values_list("code", flat=True))
    new = [
        Area(code=c, name=n, area_type=area_type, parent_id=p)
        for c, n, p in zip(codes, names, parents)
        if c not in known
    ]
    if new:
        upsert(Area, new, ["code"], ["name"], f"{area_type} areas")


# --- QOF ---------------------------------------------------------------------------------------


def import_qof_workbook(path: Path) -> list[LoadResult]:
    """Recorded prevalence per CCG from the QOF CCG workbook: one indicator per clinical area
    sheet (register / list size), with Wilson 95% and 99.8% limits computed here."""
    path = Path(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except Exception as error:  # a damaged or non-Excel file
        raise IngestError(
            path, [Problem(None, None, f"not a readable workbook: {error}")]
        ) from None
    parts, indicators, ccgs = [], {}, {}
    for name, sheet in sheets.items():
        part = _qof_sheet(path, name, sheet)
        if part is None:
            continue
        parts.append(part)
        ccgs.update(dict(zip(part["area"], part.pop("area_name"))))
        indicators[f"qof_{name}"] = _qof_indicator(name)
    if not parts:
        raise IngestError(path, [Problem(None, None, "no sheet has a QOF prevalence table")])
    frame = _with_limits(pd.concat(parts, ignore_index=True))
    names = {c: c for c in frame.columns}
    names.update(area="CCG Geography Code", value="Prevalence", count="Register")
    with transaction.atomic():
        _add_areas(ccgs.keys(), [n.title() for n in ccgs.values()], AreaType.CCG, ENGLAND_CODE)
        return [load_values(ValueTable(path, "qof", frame, names, indicators))]


def _qof_indicator(sheet: str, source: str = "") -> dict:
    return {
        "name": f"QOF recorded prevalence: {QOF_AREAS.get(sheet, sheet)}",
        "domain": PRIMARY_CARE,
        "unit": "%",
        "value_type": ValueType.PROPORTION,
        "polarity": Polarity.NO_JUDGEMENT,
        "method": "Register / list size; Wilson score interval",
        "source": source or f"{NHSD}, Quality and Outcomes Framework, CCG level ({sheet} sheet)",
        "licence": OGL,
    }


CANONICAL = {"ccg geography code": "CCG Geography Code", "ccg name": "CCG Name"}


def _qof_sheet(path: Path, name: str, sheet: pd.DataFrame) -> pd.DataFrame | None:
    first = sheet.iloc[:, 0].astype(str).str.strip()
    header_rows = np.flatnonzero(first.to_numpy() == "Region Code")
    if not len(header_rows):
        return None
    h = int(header_rows[0])
    header = sheet.iloc[h].astype(str).str.replace("\n", " ").str.strip().tolist()
    # Some sheets write "CCG Geography code": match names without regard to case.
    header = [CANONICAL.get(str(name).lower(), str(name)) for name in header]
    missing = [name for name in ("CCG Geography Code", "CCG Name") if name not in header]
    if missing:
        raise IngestError(
            path, [Problem(h + 1, f"{name}!{column}", "column is missing") for column in missing]
        )
    years = sheet.iloc[h - 1].ffill().astype(str).str.strip().tolist()
    sections = sheet.iloc[h - 2].ffill().astype(str).str.strip().tolist()
    body = sheet.iloc[h + 1 :]
    body = body[body.iloc[:, header.index("CCG Geography Code")].notna()]
    parts = []
    for year in sorted({y for y, s in zip(years, sections) if s == "Prevalence" and "-" in y}):
        cols = [
            i for i, (y, s) in enumerate(zip(years, sections)) if y == year and s == "Prevalence"
        ]
        register = next((i for i in cols if header[i] == "Register"), None)
        if register is None:
            continue
        denominator = max(i for i in cols if "List Size" in header[i] and i < register)
        parts.append(_qof_rows(path, name, body, header, year, register, denominator))
    return pd.concat(parts, ignore_index=True) if parts else None


def _qof_rows(path, name, body, header, year, register, denominator) -> pd.DataFrame:
    problems = FrameProblems(path)
    lines = body.index.to_numpy() + 1
    count = pd.to_numeric(body.iloc[:, register], errors="coerce").to_numpy(dtype=float)
    size = pd.to_numeric(body.iloc[:, denominator], errors="coerce").to_numpy(dtype=float)
    for column, numbers in ((header[register], count), (header[denominator], size)):
        problems.add_rows(
            np.isnan(numbers), lines, f"{name}!{column}", lambda i: "a number is required"
        )
    problems.raise_if_any()
    start = int(year[:4])
    return _values_frame(
        lines,
        indicator=f"qof_{name}",
        area=body.iloc[:, header.index("CCG Geography Code")].astype(str).str.strip().to_numpy(),
        area_name=body.iloc[:, header.index("CCG Name")].astype(str).str.strip().to_numpy(),
        period=f"{start}/{(start + 1) % 100:02d}",
        sex=PERSONS,
        age="All ages",
        count=count,
        denominator=size,
    )


def _with_limits(frame: pd.DataFrame) -> pd.DataFrame:
    ok = (frame["denominator"] > 0) & (frame["count"] <= frame["denominator"])
    result = proportion(
        frame.loc[ok, ["count", "denominator"]], "count", "denominator",
        confidence=(0.95, 0.998), multiplier=100,
    )  # fmt: skip
    for ours, theirs in (
        ("value", "value"),
        ("lower95", "lower95_0cl"),
        ("upper95", "upper95_0cl"),
    ):
        frame.loc[ok, ours] = result[theirs].to_numpy()
    frame.loc[ok, "lower998"] = result["lower99_8cl"].to_numpy()
    frame.loc[ok, "upper998"] = result["upper99_8cl"].to_numpy()
    return frame
