"""The search page's context, shared by the workspace (every document) and the public hub
(published documents only): results, facets with links that add or remove a choice, and the
message for a malformed query (the page still shows, with nothing lost from the box)."""

from __future__ import annotations

from dataclasses import dataclass

from healthgap.knowledge.forms import SearchForm
from healthgap.knowledge.models import TagKind
from healthgap.knowledge.query import QuerySyntaxError
from healthgap.knowledge.search import PAGE_SIZE, FacetValue, SearchPage, search_documents

FACET_TITLES = {
    "type": "Type",
    TagKind.THEME: "Theme",
    "ward": "Ward or place",
    TagKind.POPULATION_GROUP: "Population group",
    TagKind.PRIORITY: "Priority",
    "organisation": "Organisation",
    "year": "Year",
}


@dataclass(frozen=True)
class FacetLink:
    value: FacetValue
    url: str  # this page with the value chosen, or no longer chosen


def search_context(request, queryset) -> dict:
    form = SearchForm(request.GET or None)
    text = request.GET.get("q", "")
    page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    try:
        page = search_documents(queryset, text, form.filters(), page_number)
        error = None
    except QuerySyntaxError as syntax_error:
        page, error = SearchPage([], 0, {}), str(syntax_error)
    return {
        "search_form": form,
        "query": text,
        "page": page,
        "query_error": error,
        "facets": _facet_links(request, page),
        "page_links": _page_links(request, page, page_number),
        "searched": bool(request.GET),
    }


def _facet_links(request, page: SearchPage) -> list[tuple[str, list[FacetLink]]]:
    facets = []
    for key, title in FACET_TITLES.items():
        values = page.facets.get(key, [])
        if values:
            facets.append((title, [FacetLink(v, _toggled(request, v)) for v in values]))
    return facets


def _toggled(request, value: FacetValue) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    chosen = params.getlist(value.facet)
    if value.value in chosen:
        chosen.remove(value.value)
    else:
        chosen.append(value.value)
    params.setlist(value.facet, chosen)
    return "?" + params.urlencode()


def _page_links(request, page: SearchPage, number: int) -> dict:
    def link(to: int) -> str:
        params = request.GET.copy()
        params["page"] = str(to)
        return "?" + params.urlencode()

    last = max(1, -(-page.total // PAGE_SIZE))
    return {
        "number": number,
        "last": last,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < last else None,
    }
