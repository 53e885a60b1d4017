"""Fingertips' indicator metadata export (``indicators-*.metadata.csv``, the website's "Export
metadata" or fingertipsR's ``indicator_metadata``): one row per indicator with its definition,
rationale, numerator, denominator, methodology, polarity, source, frequency and caveats.

Only the columns the file has are read; an indicator not yet in the store is created (its values
can come later). The whole file is checked first and loaded in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from healthgap.indicators.catalog import domain_for
from healthgap.indicators.models import Indicator, Polarity
from healthgap.ingest.errors import ProblemList
from healthgap.ingest.tables import read_csv

ID, NAME = "Indicator ID", "Indicator"
# Export column -> Indicator field. Fingertips writes "Definition of numerator" and so on.
FIELDS = {
    "Definition": "definition",
    "Rationale": "rationale",
    "Definition of numerator": "numerator",
    "Definition of denominator": "denominator",
    "Methodology": "method",
    "Data source": "source",
    "Frequency": "frequency",
    "Caveats": "caveats",
    "Copyright": "licence",
    "Unit": "unit",
}
# Fingertips' polarity words -> healthgap's.
POLARITIES = {
    "RAG - High is good": Polarity.HIGH_IS_GOOD,
    "RAG - Low is good": Polarity.LOW_IS_GOOD,
    "RAG - High is good, Low is bad": Polarity.HIGH_IS_GOOD,
    "RAG - Low is good, High is bad": Polarity.LOW_IS_GOOD,
    "BOB - Blue orange blue": Polarity.NO_JUDGEMENT,
    "Not applicable": Polarity.NO_JUDGEMENT,
}
TEXT_LIMITS = {"method": 200, "source": 300, "frequency": 120, "licence": 200, "unit": 80}


def _row_fields(row, header, problems) -> dict:
    fields = {}
    for column, name in FIELDS.items():
        text = row[column].strip() if column in header else ""
        if not text:
            continue
        limit = TEXT_LIMITS.get(name)
        if limit and len(text) > limit:
            problems.add(row.line, column, f"longer than {limit} characters")
        fields[name] = text
    polarity = row["Polarity"].strip() if "Polarity" in header else ""
    if polarity:
        if polarity not in POLARITIES:
            problems.add(row.line, "Polarity", f"unknown polarity {polarity!r}")
        else:
            fields["polarity"] = POLARITIES[polarity]
    return fields


def import_fingertips_metadata(path: Path) -> int:
    """Update (or create) each indicator in the file with its metadata; returns how many."""
    path = Path(path)
    header, rows = read_csv(path, [ID, NAME])
    problems = ProblemList(path)
    found = {}
    for row in rows:
        code = row[ID].strip()
        if not code.isdigit():
            problems.add(row.line, ID, f"{code!r} is not a Fingertips indicator ID")
            continue
        if code in found:
            problems.add(row.line, ID, f"indicator {code} is described twice")
        found[code] = (row[NAME].strip(), _row_fields(row, header, problems))
    problems.raise_if_any()
    with transaction.atomic():
        existing = Indicator.objects.in_bulk(list(found))
        for code, (name, fields) in found.items():
            indicator = existing.get(code) or Indicator(
                code=code, name=name, domain=domain_for(code, name)
            )
            for field_name, value in fields.items():
                setattr(indicator, field_name, value)
            indicator.save()
    return len(found)
