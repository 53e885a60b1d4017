"""Fingertips-compatible endpoints under ``/api/``: the calls fingertipsR and fingertips_py
make for data and metadata, with Fingertips' area type ids and its CSV layout, so that either
client reads healthgap's figures after changing only its base URL.

Values of indicators that need disclosure control are published here as in ``/api/v1/``
(suppressed and rounded); Fingertips' own figures keep Fingertips' treatment.
"""

from __future__ import annotations

import pandas as pd
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from healthgap.api.envelope import ATTRIBUTION, LICENCE, with_open_data_headers
from healthgap.areas.models import Area, AreaType
from healthgap.constants import ENGLAND_CODE, SEXES
from healthgap.indicators.disclosure import disclosed_rows
from healthgap.indicators.models import Indicator, IndicatorValue
from healthgap.indicators.queries import value_rows
from healthgap.ingest.export import fingertips_frame
from healthgap.web.formats import error_response
from healthgap.web.outcomes import PAGE_SECONDS, cache_key

UPPER_TIER = (AreaType.COUNTY, AreaType.UNITARY)
LOWER_TIER = (AreaType.DISTRICT, AreaType.UNITARY)
# Fingertips' area type ids (one per boundary year for local authorities) -> healthgap's types.
AREA_TYPES = {
    15: ("England", (AreaType.ENGLAND,)),
    6: ("Regions (statistical)", (AreaType.REGION,)),
    102: ("Counties and Unitary Authorities (pre 4/19)", UPPER_TIER),
    202: ("Counties and Unitary Authorities (4/19 - 3/20)", UPPER_TIER),
    302: ("Counties and Unitary Authorities (4/20 - 3/21)", UPPER_TIER),
    402: ("Counties and Unitary Authorities (4/21 - 3/23)", UPPER_TIER),
    502: ("Counties and Unitary Authorities (from 4/23)", UPPER_TIER),
    101: ("Districts and Unitary Authorities (pre 4/19)", LOWER_TIER),
    201: ("Districts and Unitary Authorities (4/19 - 3/20)", LOWER_TIER),
    301: ("Districts and Unitary Authorities (4/20 - 3/21)", LOWER_TIER),
    401: ("Districts and Unitary Authorities (4/21 - 3/23)", LOWER_TIER),
    501: ("Districts and Unitary Authorities (from 4/23)", LOWER_TIER),
    3: ("Middle Super Output Area", (AreaType.MSOA,)),
    8: ("Ward", (AreaType.WARD,)),
    7: ("General Practice", (AreaType.GP_PRACTICE,)),
}
SEX_IDS = {"Male": 1, "Female": 2, "Persons": 4}
# The API's CSV headers where they differ from the export's underscore names.
SPACED = {
    "IndicatorID": "Indicator ID",
    "IndicatorName": "Indicator Name",
    "ParentCode": "Parent Code",
    "ParentName": "Parent Name",
    "AreaCode": "Area Code",
    "AreaName": "Area Name",
    "AreaType": "Area Type",
    "Timeperiod": "Time period",
}
BREAKDOWN = ["AreaCode", "Timeperiod", "Sex", "Age", "Category_Type", "Category"]
DISCLOSED = {
    "Value": "value",
    "Count": "count",
    "Lower_CI_95.0_limit": "lower95",
    "Upper_CI_95.0_limit": "upper95",
    "Lower_CI_99.8_limit": "lower998",
    "Upper_CI_99.8_limit": "upper998",
    "Value_note": "value_note",
}


def _json(request, data) -> HttpResponse:
    return with_open_data_headers(request, JsonResponse(data, safe=False))


def _bad(request, message: str, status: int = 400) -> HttpResponse:
    return with_open_data_headers(request, error_response(request, status, message, "json"))


def _ids(request, name: str) -> list[str] | None:
    """A comma-separated list of ids, or None when missing."""
    text = request.GET.get(name, "").strip()
    ids = [part.strip() for part in text.split(",") if part.strip()]
    return ids or None


def _area_type(request, name: str):
    try:
        return AREA_TYPES[int(request.GET.get(name, ""))]
    except (ValueError, KeyError):
        known = ", ".join(str(i) for i in AREA_TYPES)
        return f"{name}: give one of Fingertips' area type ids healthgap serves ({known})"


@require_GET
def area_types(request):
    return _json(
        request,
        [
            {"Id": type_id, "Name": name, "Short": name, "Class": None, "CanBeDisplayedOnMap": True}
            for type_id, (name, _) in AREA_TYPES.items()
        ],
    )


@require_GET
def areas_by_area_type(request):
    found = _area_type(request, "area_type_id")
    if isinstance(found, str):
        return _bad(request, found)
    type_id = int(request.GET["area_type_id"])
    areas = Area.objects.filter(area_type__in=found[1]).order_by("code")
    return _json(
        request,
        [{"Code": a.code, "Name": a.name, "Short": a.name, "AreaTypeId": type_id} for a in areas],
    )


def _distinct(field: str) -> list[str]:
    return sorted(IndicatorValue.objects.values_list(field, flat=True).distinct())


@require_GET
def ages(request):
    return _json(request, [{"Id": i, "Name": age} for i, age in enumerate(_distinct("age"), 1)])


@require_GET
def sexes(request):
    return _json(request, [{"Id": SEX_IDS[sex], "Name": sex} for sex in SEXES])


@require_GET
def value_notes(request):
    notes = [note for note in _distinct("value_note") if note]
    return _json(request, [{"Id": i, "Text": note} for i, note in enumerate(notes, 1)])


def _metadata(indicator: Indicator) -> dict:
    return {
        "IID": indicator.code,
        "Descriptive": {
            "Name": indicator.name,
            "Definition": indicator.definition,
            "DataSource": indicator.source,
            "Unit": indicator.unit,
        },
        "Unit": {"Label": indicator.unit},
        "ValueType": {"Name": indicator.get_value_type_display()},
        "ConfidenceIntervalMethod": {"Name": indicator.method},
        "Polarity": indicator.get_polarity_display(),
        "Licence": indicator.licence or LICENCE["name"],
        "Attribution": ATTRIBUTION,
    }


@require_GET
def indicator_metadata(request):
    codes = _ids(request, "indicator_ids")
    if codes is None:
        return _bad(request, "indicator_ids: give one or more indicator ids, comma-separated")
    found = Indicator.objects.filter(code__in=codes)
    return _json(request, {indicator.code: _metadata(indicator) for indicator in found})


def _areas_for(child_types, parent_types) -> list[str]:
    """The child areas, the areas of the parent type above them, and England."""
    children = list(Area.objects.filter(area_type__in=child_types).values_list("code", "parent_id"))
    parents = set(
        Area.objects.filter(area_type__in=parent_types).values_list("code", flat=True)
    ) & {parent for _, parent in children}
    return [code for code, _ in children] + sorted(parents) + [ENGLAND_CODE]


def _disclosed(frame: pd.DataFrame, indicators) -> pd.DataFrame:
    """Figures of indicators that need disclosure control, as ``/api/v1/`` publishes them."""
    for indicator in indicators:
        rows = disclosed_rows(
            indicator, value_rows(IndicatorValue.objects.filter(indicator=indicator))
        )
        shown = pd.DataFrame(rows).rename(
            columns={
                "area_id": "AreaCode",
                "period": "Timeperiod",
                "sex": "Sex",
                "age": "Age",
                "category_type": "Category_Type",
                "category": "Category",
            }
        )
        mine = frame["IndicatorID"].astype(str) == indicator.code
        keys = frame.loc[mine, BREAKDOWN].astype(str).fillna("")
        merged = keys.merge(shown.astype({k: str for k in BREAKDOWN}), how="left", on=BREAKDOWN)
        for column, field in DISCLOSED.items():
            frame.loc[mine, column] = merged[field].to_numpy()
    return frame


@require_GET
def all_data_csv(request):
    codes = _ids(request, "indicator_ids")
    child = _area_type(request, "child_area_type_id")
    parent = _area_type(request, "parent_area_type_id")
    problems = [p for p in (child, parent) if isinstance(p, str)]
    if codes is None:
        problems.insert(0, "indicator_ids: give one or more indicator ids, comma-separated")
    if problems:
        return _bad(request, "; ".join(problems))
    # The same for every caller (no figure depends on who asks): kept until the data changes.
    key = cache_key("fingertips-all-data", "", request.GET)
    text = cache.get_or_set(key, lambda: _all_data_text(codes, child[1], parent[1]), PAGE_SECONDS)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    return with_open_data_headers(request, response)


def _all_data_text(codes: list[str], child_types, parent_types) -> str:
    values = IndicatorValue.objects.filter(
        indicator__in=codes, area__in=_areas_for(child_types, parent_types)
    )
    frame = fingertips_frame(values)
    flagged = Indicator.objects.filter(code__in=codes, needs_disclosure_control=True)
    frame = _disclosed(frame, flagged)
    frame.columns = [SPACED.get(c, c.replace("_", " ")) for c in frame.columns]
    return frame.to_csv(index=False)
