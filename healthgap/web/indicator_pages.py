"""Indicator definitions: every indicator's metadata in Fingertips' layout (definition,
rationale, numerator, denominator, method, polarity, source, frequency, caveats, licence), as a
page and as JSON, CSV and XLSX twins, with the knowledge hub's published documents linked to it
(its evidence). Every outcome chart and table links here."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from healthgap.indicators.models import Indicator
from healthgap.web.formats import DataTable, error_response, page_json, table_response
from healthgap.web.knowledge import published_evidence

NOT_GIVEN = "Not given in the data loaded"
METADATA = [
    ("code", "Indicator ID"),
    ("name", "Indicator"),
    ("domain", "Domain"),
    ("definition", "Definition"),
    ("rationale", "Rationale"),
    ("numerator", "Definition of numerator"),
    ("denominator", "Definition of denominator"),
    ("unit", "Unit"),
    ("value_type", "Value type"),
    ("method", "Methodology"),
    ("polarity", "Polarity"),
    ("source", "Data source"),
    ("frequency", "Frequency"),
    ("caveats", "Caveats"),
    ("licence", "Licence"),
]
DISPLAYED = {"value_type", "polarity"}  # choices shown by their label


def definition_url(code: str) -> str:
    return reverse("web:indicator", args=[code])


def metadata_table(indicator: Indicator) -> DataTable:
    rows = []
    for field, heading in METADATA:
        if field in DISPLAYED:
            value = getattr(indicator, f"get_{field}_display")()
        else:
            value = getattr(indicator, field)
        rows.append({"field": heading, "value": value or NOT_GIVEN})
    if indicator.is_synthetic:
        rows.append({"field": "Synthetic", "value": "Yes: generated demo data, not real"})
    return DataTable(
        "metadata",
        f"Definition of {indicator.name}",
        [("field", "Metadata"), ("value", "Value")],
        rows,
    )


def indicator_list(request):
    indicators = Indicator.objects.order_by("domain", "name")
    return render(request, "web/indicators.html", {"indicators": indicators})


def _indicator(request, code: str, fmt: str | None):
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None, error_response(request, 404, f"No indicator has the ID {code!r}.", fmt)
    return indicator, None


def indicator_definition(request, code: str, fmt: str | None = None):
    indicator, error = _indicator(request, code, fmt)
    if error:
        return error
    table = metadata_table(indicator)
    if fmt == "json":
        return page_json(table.title, [table], indicator={"code": code, "name": indicator.name})
    context = {
        "indicator": indicator,
        "table": table,
        "json_url": reverse("web:indicator_format", args=[code, "json"]),
        "download_base": reverse("web:indicator_table", args=[code, "metadata", "csv"])[:-4],
        "documents": published_evidence(indicators=indicator),
    }
    return render(request, "web/indicator.html", context)


def indicator_table(request, code: str, table: str, fmt: str):
    indicator, error = _indicator(request, code, fmt)
    if error:
        return error
    if table != "metadata":
        return error_response(request, 404, f"No table {table!r}; tables: metadata.", fmt)
    return table_response(metadata_table(indicator), fmt, f"indicator-{code}-metadata")
