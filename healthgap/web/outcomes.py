"""Serving the outcome pages: one view for every page type and format, with the page data
cached under a key that changes whenever indicator data is imported."""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from healthgap.accounts.permissions import is_analyst
from healthgap.areas.models import Area
from healthgap.indicators.queries import data_stamp
from healthgap.mortality.queries import has_published_deaths
from healthgap.practices.queries import has_practices
from healthgap.publishing.cache import publication_stamp
from healthgap.web.formats import NotFound, error_response, page_json, table_response
from healthgap.web.pages import (
    benchmarks,
    boxplots,
    compare,
    inequalities,
    maps,
    mortality,
    profile,
    scatter,
    trends,
)
from healthgap.web.pages.closing_gap import page as closing_gap
from healthgap.web.pages.common import OutcomePage
from healthgap.web.pages.practices import case_finding, funnel, growth

BUILDERS = {
    "profile": profile.build,
    "compare": compare.build,
    "trends": trends.build,
    "map": maps.build,
    "inequalities": inequalities.build,
    "premature-mortality": mortality.build,
    "compare-indicators": scatter.build,
    "box-plots": boxplots.build,
    "england": benchmarks.build,
    "closing-the-gap": closing_gap.build,
    # GP practices (issue 12): for ICBs, sub-ICB locations, PCNs and local authorities.
    "practice-funnel": funnel.build,
    "case-finding": case_finding.build,
    "admissions-growth": growth.build,
}
PAGE_NAMES = {
    "profile": "Health profile",
    "compare": "Compare areas",
    "trends": "Trends",
    "map": "Maps",
    "inequalities": "Inequalities",
    "premature-mortality": "Premature mortality ranking",
    "compare-indicators": "Compare indicators",
    "box-plots": "Box plots",
    "england": "England and region",
    "closing-the-gap": "Closing the gap",
    "practice-funnel": "GP practice funnel plots",
    "case-finding": "Case finding",
    "admissions-growth": "Admissions growth",
}
# Pages showing counts from record-level data: disclosure-controlled, except for signed-in
# analysts, whose unsuppressed pages are never cached.
DISCLOSURE_CONTROLLED = {"closing-the-gap", "compare", "map"}
PRACTICE_PAGES = ("practice-funnel", "case-finding", "admissions-growth")
# Pages only some areas have (the others would answer 404), by the test an area must pass to
# be offered them: practices below or in it, ONS deaths by age band published for it.
OFFERED_ONLY_WHERE = {
    **dict.fromkeys(PRACTICE_PAGES, has_practices),
    "closing-the-gap": lambda area: has_published_deaths(area.code),
}
STAMP_SECONDS = 1  # how long a worker trusts its last look at the data stamp
PAGE_SECONDS = 600


def _stamp() -> str:
    """Changes with every import and (publishing) with every publish or withdraw: the
    publication stamp is read each time, so a publication change is seen at once."""
    data = cache.get_or_set("outcomes:stamp", data_stamp, STAMP_SECONDS)
    return f"{data}|{publication_stamp()}"


def cache_key(page: str, code: str, params) -> str:
    query = "&".join(f"{key}={value}" for key, value in sorted(params.items()))
    digest = hashlib.sha256(f"{_stamp()}|{page}|{code}|{query}".encode()).hexdigest()
    return f"outcomes:{digest}"


def _uses_cache(request) -> bool:
    """Only the public's pages are cached: a signed-in user's are built fresh, never stored."""
    return settings.PAGE_CACHE and not request.user.is_authenticated


def _unsuppressed(request) -> bool:
    return is_analyst(request.user)


def _build(page: str, area: Area, params, unsuppressed: bool) -> OutcomePage:
    if page in DISCLOSURE_CONTROLLED:
        return BUILDERS[page](area, params, unsuppressed=unsuppressed)
    return BUILDERS[page](area, params)


def outcome_page(
    page: str, code: str, params, use_cache: bool = True, unsuppressed: bool = False
) -> tuple[Area, OutcomePage]:
    """The page's area and data, from the cache when the data has not changed (and
    ``use_cache``); figures under disclosure control as computed when ``unsuppressed`` (never
    cached)."""
    key = cache_key(page, code, params) if use_cache and not unsuppressed else None
    found = cache.get(key) if key else None
    if found is None:
        area = Area.objects.select_related("parent__parent").filter(code=code).first()
        if area is None:
            raise NotFound(f"No area has the code {code!r}.")
        found = (area, _build(page, area, params, unsuppressed))
        if key:
            cache.set(key, found, PAGE_SECONDS)
    return found


def html_cached_for_the_public(view):
    """The view's HTML for the public stored under its path and query and the data stamp, and
    served from there while the data is unchanged: nothing in it depends on the visitor. A
    signed-in user's page and any data twin (``fmt``) are built fresh and never stored. The
    Server-Timing header says how long the server took."""

    @functools.wraps(view)
    def view_or_cached(request, *args, **kwargs):
        started = time.perf_counter()
        cached = _uses_cache(request) and not kwargs.get("fmt")
        html_key = cache_key(request.path, "", request.GET) + ":html" if cached else ""
        html = cache.get(html_key) if cached else None
        if html is not None:
            response = HttpResponse(html)
        else:
            response = view(request, *args, **kwargs)
            if cached and response.status_code == 200:
                cache.set(html_key, response.content, PAGE_SECONDS)
        response["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - started):.1f}"
        return response

    return view_or_cached


@html_cached_for_the_public
def outcome(request, code: str, page: str, fmt: str | None = None):
    """The page as HTML or as JSON."""
    try:
        area, data = outcome_page(
            page, code, request.GET, _uses_cache(request), _unsuppressed(request)
        )
    except NotFound as error:
        return error_response(request, 404, str(error), fmt)
    response = _json(area, data) if fmt == "json" else _html(request, area, data, page)
    _never_stored_if_unsuppressed(request, page, response)
    return response


def _json(area: Area, data: OutcomePage):
    return page_json(
        data.title,
        data.tables,
        area={"code": area.code, "name": area.name},
        filters=data.filter_values(),
        synthetic=data.synthetic,
        **({"disclosure": data.context["disclosure"]} if data.context.get("disclosure") else {}),
    )


def _html(request, area: Area, data: OutcomePage, page: str):
    context = {
        "area": area,
        "page": data,
        "page_name": page,
        "query": request.GET.urlencode(),
        "json_url": reverse("web:outcome_format", args=[area.code, page, "json"]),
        "nav": outcome_links(area),
    }
    return render(request, data.template, context)


def _never_stored_if_unsuppressed(request, page: str, response: HttpResponse) -> None:
    if page in DISCLOSURE_CONTROLLED and _unsuppressed(request):
        patch_cache_control(response, private=True, no_store=True)


def outcome_table(request, code: str, page: str, table: str, fmt: str):
    try:
        area, data = outcome_page(
            page, code, request.GET, _uses_cache(request), _unsuppressed(request)
        )
        response = table_response(data.table(table), fmt, f"{area.code}-{page}-{table}")
        _never_stored_if_unsuppressed(request, page, response)
        return response
    except NotFound as error:
        return error_response(request, 404, str(error), fmt)


def outcome_links(area: Area) -> list[dict]:
    """Links to every outcome page of an area, for the area page and each page's navigation."""
    return [
        {"name": name, "page": page, "url": reverse("web:outcome", args=[area.code, page])}
        for page, name in PAGE_NAMES.items()
        if page not in OFFERED_ONLY_WHERE or OFFERED_ONLY_WHERE[page](area)
    ]
