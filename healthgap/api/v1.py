"""The open-data API, version 1, under ``/api/v1/`` (django-ninja; OpenAPI description at
``/api/v1/openapi.json``, documentation page at ``/api/v1/docs``).

Read-only and public: areas and their hierarchy, indicators and their metadata, values with
limits and benchmarking (disclosure-controlled where the indicator needs it), published
programmes, published strategies (``plans``), published board meetings (``meetings``) and
published places and routes with their figures (``places``).
Every list is paged and offered as JSON, CSV and XLSX (``format=``).
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import AnonRateThrottle

from healthgap.api import meetings, places, plans, schemas
from healthgap.api.common import DOWNLOADS, ERRORS, MAX_ID, Paging, answer
from healthgap.api.envelope import licensed, paged, with_open_data_headers
from healthgap.api.values import ValueFilters, published_values
from healthgap.areas.models import Area, AreaType
from healthgap.delivery.models import Programme
from healthgap.indicators.models import Indicator

AreaTypeCode = Literal[tuple(AreaType.values)]


class ClientRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate in settings when the request comes (so that a
    deployment, or a test, can change it)."""

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class OpenDataAPI(NinjaAPI):
    """Every answer, errors too, gets the licence headers, ETag and cache headers."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return with_open_data_headers(request, response)


api = OpenDataAPI(
    title="healthgap open data API",
    version="1",
    description=(
        "Public health indicators for England's Health and Wellbeing Boards: areas, indicators, "
        "values with confidence limits and benchmarking, published programmes, published "
        "strategies with their outcome measures (targets, trajectories, judgements), published "
        "board meetings and their decisions, published places and routes with their figures. "
        "Open Government Licence v3.0; attribution in every "
        "answer. Errors: "
        '`{"ok": false, "status": ..., "error": "..."}`.'
    ),
    urls_namespace="api-v1",
    throttle=[ClientRateThrottle()],
)
api.add_router("/", plans.router)
api.add_router("/", meetings.router)
api.add_router("/", places.router)


def _error(request, status: int, message: str):
    return api.create_response(
        request, {"ok": False, "status": status, "error": message}, status=status
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}"
        for error in exc.errors
    )
    return _error(request, 422, problems)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = _error(request, 429, "Too many requests from this client: wait and try again.")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _error(request, 404, str(exc) or "Not found.")


# ---- Areas ----


def _area(request, area: Area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "type": area.area_type,
        "type_name": area.get_area_type_display(),
        "parent": area.parent_id,
        "url": request.build_absolute_uri(reverse("api-v1:area", args=[area.code])),
    }


def _area_or_404(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise Http404(f"No area has the code {code!r}.")
    return area


class AreaFilters(Paging):
    type: AreaTypeCode | None = None
    parent: str | None = Query(None, max_length=12, description="GSS code of the parent area")
    q: str | None = Query(None, max_length=100, description="Part of the name")


@api.get(
    "/areas",
    response={200: schemas.AreaPage, **ERRORS},
    url_name="areas",
    openapi_extra=DOWNLOADS,
    tags=["areas"],
)
def areas(request, filters: Query[AreaFilters]):
    """Areas from LSOA to England, filtered by type, parent or name."""
    found = Area.objects.order_by("code")
    if filters.type:
        found = found.filter(area_type=filters.type)
    if filters.parent:
        found = found.filter(parent_id=filters.parent)
    if filters.q:
        found = found.filter(name__icontains=filters.q)
    page, total = paged(found, filters.page, filters.page_size)
    rows = [_area(request, area) for area in page]
    return answer(request, "areas", "Areas", rows, total, filters)


@api.get(
    "/areas/{code}",
    response={200: schemas.AreaAnswer, **ERRORS},
    url_name="area",
    tags=["areas"],
)
def area(request, code: str):
    """One area, with the areas above it (its hierarchy up to England)."""
    place = _area_or_404(code)
    ancestors, above = [], place.parent
    while above is not None and len(ancestors) < len(AreaType.values):
        ancestors.append(_area(request, above))
        above = above.parent
    children = reverse("api-v1:areas") + f"?parent={place.code}"
    result = {
        **_area(request, place),
        "ancestors": ancestors,
        "children_url": request.build_absolute_uri(children),
    }
    return licensed({"result": result})


# ---- Indicators ----


def _indicator(request, indicator: Indicator) -> dict:
    fields = (
        "code",
        "name",
        "definition",
        "domain",
        "unit",
        "value_type",
        "method",
        "polarity",
        "source",
        "licence",
        "is_synthetic",
        "needs_disclosure_control",
    )
    values = reverse("api-v1:values") + f"?indicator={indicator.code}"
    return {
        **{field: getattr(indicator, field) for field in fields},
        "url": request.build_absolute_uri(reverse("api-v1:indicator", args=[indicator.code])),
        "values_url": request.build_absolute_uri(values),
    }


class IndicatorFilters(Paging):
    domain: str | None = Query(None, max_length=120)
    q: str | None = Query(None, max_length=100, description="Part of the name")


@api.get(
    "/indicators",
    response={200: schemas.IndicatorPage, **ERRORS},
    url_name="indicators",
    openapi_extra=DOWNLOADS,
    tags=["indicators"],
)
def indicators(request, filters: Query[IndicatorFilters]):
    """Indicators and their metadata (definition, unit, method, polarity, source, licence)."""
    found = Indicator.objects.order_by("code")
    if filters.domain:
        found = found.filter(domain=filters.domain)
    if filters.q:
        found = found.filter(name__icontains=filters.q)
    page, total = paged(found, filters.page, filters.page_size)
    rows = [_indicator(request, indicator) for indicator in page]
    return answer(request, "indicators", "Indicators", rows, total, filters)


@api.get(
    "/indicators/{code}",
    response={200: schemas.IndicatorAnswer, **ERRORS},
    url_name="indicator",
    tags=["indicators"],
)
def indicator(request, code: str):
    """One indicator's metadata."""
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise Http404(f"No indicator has the code {code!r}.")
    return licensed({"result": _indicator(request, found)})


# ---- Values ----


class ValueQuery(Paging, ValueFilters):
    pass


@api.get(
    "/values",
    response={200: schemas.ValuePage, **ERRORS},
    url_name="values",
    openapi_extra=DOWNLOADS,
    tags=["values"],
)
def values(request, filters: Query[ValueQuery]):
    """An indicator's values with their 95% and 99.8% limits, counts, denominators and
    benchmarking (against England and the region, rank and quartile among upper-tier
    authorities, recent trend). Small numbers of indicators that need it are suppressed."""
    indicator = Indicator.objects.filter(code=filters.indicator).first()
    if indicator is None:
        raise Http404(f"No indicator has the code {filters.indicator!r}.")
    page, total = published_values(indicator, filters, request.user)
    return answer(request, f"values-{indicator.code}", indicator.name, page, total, filters)


# ---- Published programmes ----


def _programme(request, programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "summary": programme.summary,
        "lead_organisation": programme.lead_organisation_name,
        "status": programme.get_status_display(),
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "published_at": programme.published_at,
        "url": request.build_absolute_uri(reverse("api-v1:programme", args=[programme.pk])),
    }


@api.get(
    "/programmes",
    response={200: schemas.ProgrammePage, **ERRORS},
    url_name="programmes",
    openapi_extra=DOWNLOADS,
    tags=["programmes"],
)
def programmes(request, filters: Query[Paging]):
    """The board's published programmes (drafts and withdrawn ones never appear)."""
    page, total = paged(
        Programme.public_objects.order_by("name", "pk"), filters.page, filters.page_size
    )
    rows = [_programme(request, programme) for programme in page]
    return answer(request, "programmes", "Published programmes", rows, total, filters)


@api.get(
    "/programmes/{programme_id}",
    response={200: schemas.ProgrammeAnswer, **ERRORS},
    url_name="programme",
    tags=["programmes"],
)
def programme(request, programme_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published programme."""
    found = Programme.public_objects.filter(pk=programme_id).first()
    if found is None:
        raise Http404(f"No published programme has the id {programme_id}.")
    return licensed({"result": _programme(request, found)})
