"""What every open-data response carries: the licence and attribution (in the body of JSON and
in headers of every format), an ETag with conditional GET, and cache headers; pages of results
and their CSV and XLSX forms."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from healthgap.web.formats import DataTable, table_response

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0: "
    "OHID Fingertips, ONS and NHS England figures, and figures computed by healthgap. "
    "Each indicator names its own source and licence."
)
FORMATS = ("json", "csv", "xlsx")
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


def licensed(body: dict) -> dict:
    """``body`` with ``ok``, the licence and the attribution first."""
    return {"ok": True, "licence": LICENCE, "attribution": ATTRIBUTION, **body}


def page_body(request, rows: list[dict], total: int, page: int, page_size: int) -> dict:
    """One page of results, with links to the pages either side (stable: same query)."""
    return licensed(
        {
            "count": total,
            "page": page,
            "page_size": page_size,
            "next": _page_link(request, page + 1) if page * page_size < total else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
            "results": rows,
        }
    )


def _page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paged(queryset_or_rows, page: int, page_size: int):
    """(items on the page, total) of a queryset or a list."""
    start = (page - 1) * page_size
    if isinstance(queryset_or_rows, list):
        return queryset_or_rows[start : start + page_size], len(queryset_or_rows)
    return list(queryset_or_rows[start : start + page_size]), queryset_or_rows.count()


def table_download(name: str, title: str, rows: list[dict], fmt: str) -> HttpResponse:
    """The rows as a CSV or XLSX file, one column per field (nested objects left out)."""
    keys = [key for key, value in (rows[0].items() if rows else []) if not isinstance(value, dict)]
    cells = [{key: _cell(row[key]) for key in keys} for row in rows]
    table = DataTable(name, title, [(key, key) for key in keys], cells)
    return table_response(table, fmt, name)


def _cell(value):
    """Dates and times as in the JSON (ISO 8601 text): spreadsheets hold no time zones; a list
    (a place's area codes) as its items separated by spaces."""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value.isoformat() if isinstance(value, date) else value


def with_open_data_headers(request, response: HttpResponse) -> HttpResponse:
    """Licence and attribution headers on every response; on a successful GET an ETag (a 304
    when the client already has it) and cache headers: public for anonymous callers, never
    stored for signed-in ones (analysts may see unsuppressed figures)."""
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    response["X-Attribution"] = ATTRIBUTION
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        response.setdefault("Cache-Control", "no-store")
        return response
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
        return response
    response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)
