"""Full-text search of documents with facets and highlighted snippets, behind one interface:
SQLite FTS5 (the default database) or PostgreSQL full-text search, chosen by the connection.

``search_documents(queryset, text, filters)`` works on any queryset of documents (the public
hub passes ``Document.public_objects``, the workspace every document), so publication is
decided by the caller and never here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from healthgap.accounts.models import Organisation
from healthgap.areas.models import Area
from healthgap.knowledge.models import Document, DocumentType, Tag, TagKind
from healthgap.knowledge.query import ParsedQuery, parse, to_fts5, to_tsquery

PAGE_SIZE = 20
# Private-use characters mark the matched words in a snippet; the snippet is escaped, then
# they become <mark> elements, so a document's own markup is never trusted.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24
FTS_TABLE = "knowledge_document_fts"
# Title counts most, then summary, authors, text (FTS5 bm25 weights; PostgreSQL A-D).
FTS5_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
POSTGRES_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(authors, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(\"text\", '')), 'D')"
)


@dataclass
class SearchFilters:
    """The facets chosen: OR within one facet, AND across facets."""

    document_types: list[str] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    wards: list[str] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class FacetValue:
    facet: str  # the query parameter that selects it
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    document: Document
    snippet: SafeString


@dataclass
class SearchPage:
    results: list[SearchResult]
    total: int
    facets: dict[str, list[FacetValue]]


def search_documents(
    queryset, text: str, filters: SearchFilters | None = None, page: int = 1
) -> SearchPage:
    """One page of the documents in ``queryset`` matching ``text`` and ``filters``, best first,
    with the facet counts of every match. Raises ``QuerySyntaxError`` for a malformed query."""
    query = parse(text)
    filters = filters or SearchFilters()
    filtered = apply_filters(queryset, filters)
    if query is not None:
        filtered = filtered.filter(pk__in=RawSQL(*_backend().matching_ids(query)))
    offset = (max(page, 1) - 1) * PAGE_SIZE
    if query is None:
        results = _unranked_page(filtered, offset)
    else:
        results = _ranked_page(filtered, query, offset)
    facets = facet_counts(filtered, filters)
    return SearchPage(results, sum(value.count for value in facets["type"]), facets)


def apply_filters(queryset, filters: SearchFilters):
    tags_by_kind: dict[str, list[int]] = {}
    kinds = (
        Tag.objects.filter(pk__in=filters.tags).values_list("pk", "kind") if filters.tags else []
    )
    for pk, kind in kinds:
        tags_by_kind.setdefault(kind, []).append(pk)
    if filters.document_types:
        queryset = queryset.filter(document_type__in=filters.document_types)
    for tag_ids in tags_by_kind.values():
        tagged = Document.tags.through.objects.filter(tag_id__in=tag_ids)
        queryset = queryset.filter(pk__in=tagged.values("document_id"))
    if filters.wards:
        in_wards = Document.wards.through.objects.filter(area_id__in=filters.wards)
        queryset = queryset.filter(pk__in=in_wards.values("document_id"))
    if filters.organisations:
        queryset = queryset.filter(organisation_id__in=filters.organisations)
    if filters.years:
        queryset = queryset.filter(year__in=filters.years)
    return queryset


def facet_counts(matched, filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Counts among the matched documents for every facet (tags grouped by their kind): the
    document's own columns from one fetch, tags and wards from their link tables."""
    rows = list(matched.values_list("document_type", "organisation_id", "year"))
    types, organisations, years = (Counter(column) for column in zip(*rows)) if rows else ({},) * 3
    type_names = dict(DocumentType.choices)
    facets = {
        "type": _facet("type", types, type_names, filters.document_types),
        "organisation": _facet(
            "organisation",
            organisations,
            _names(Organisation, organisations),
            filters.organisations,
        ),
        "year": _facet("year", years, {y: str(y) for y in years if y}, filters.years),
    }
    facets["year"].sort(key=lambda value: value.value, reverse=True)
    tag_counts = _link_counts(Document.tags.through, "tag_id", matched)
    tags = Tag.objects.filter(pk__in=tag_counts).values_list("pk", "kind", "name")
    tags = list(tags) if tag_counts else []
    for kind, _label in TagKind.choices:
        names = {pk: name for pk, tag_kind, name in tags if tag_kind == kind}
        facets[kind] = _facet("tag", tag_counts, names, filters.tags)
    ward_counts = _link_counts(Document.wards.through, "area_id", matched)
    facets["ward"] = _facet("ward", ward_counts, _names(Area, ward_counts), filters.wards)
    return facets


def _names(model, keys) -> dict:
    """Names by primary key of the given rows (no query when there are none)."""
    keys = [key for key in keys if key is not None]
    return dict(model.objects.filter(pk__in=keys).values_list("pk", "name")) if keys else {}


def _link_counts(through, key: str, matched) -> Counter:
    rows = (
        through.objects.filter(document_id__in=matched.values("pk"))
        .values_list(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter(dict(rows))


def _facet(name: str, counts, labels: dict, chosen: list) -> list[FacetValue]:
    """The values that have a label (None and other kinds are left out), most documents first."""
    values = [
        FacetValue(name, str(key), labels[key], counts[key], key in chosen)
        for key in counts
        if key in labels
    ]
    return sorted(values, key=lambda value: (-value.count, value.label))


def _with_relations(queryset):
    return queryset.select_related("organisation")


def _unranked_page(filtered, offset: int) -> list[SearchResult]:
    documents = _with_relations(filtered).order_by("-issued_on", "title")[
        offset : offset + PAGE_SIZE
    ]
    return [SearchResult(d, escape(_first_words(d.summary or d.text))) for d in documents]


def _ranked_page(filtered, query: ParsedQuery, offset: int) -> list[SearchResult]:
    ids_sql, ids_params = filtered.values("pk").query.sql_with_params()
    ranked = _backend().ranked(query, ids_sql, ids_params, PAGE_SIZE, offset)
    documents = _with_relations(filtered.filter(pk__in=[pk for pk, _ in ranked]))
    by_id = {d.pk: d for d in documents}
    return [SearchResult(by_id[pk], highlighted(snippet)) for pk, snippet in ranked]


def highlighted(snippet: str) -> SafeString:
    """The snippet escaped, its matched words in <mark>."""
    safe = escape(snippet or "")
    return mark_safe(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _first_words(text: str) -> str:
    words = (text or "").split()
    return " ".join(words[: SNIPPET_WORDS * 2]) + (" …" if len(words) > SNIPPET_WORDS * 2 else "")


class SqliteSearch:
    """FTS5 table (porter stemming) with its own copy of the searched columns, kept by
    ``index_documents`` from the document services (documents are withdrawn,
    never deleted)."""

    def matching_ids(self, query: ParsedQuery):
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [to_fts5(query)]

    def ranked(self, query, ids_sql, ids_params, limit, offset):
        # Ranked first, snippets made for the page only: SQLite would otherwise build a
        # snippet for every match before sorting.
        rank = f"bm25({FTS_TABLE}, {FTS5_WEIGHTS})"
        page = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({ids_sql}) "
            f"ORDER BY {rank}, rowid LIMIT %s OFFSET %s"
        )
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, ' … ', {SNIPPET_WORDS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({page}) "
            f"ORDER BY {rank}, rowid"
        )
        fts = to_fts5(query)
        params = [MARK_START, MARK_END, fts, fts, *ids_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def index(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [[d.pk] for d in documents]
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, authors, text) "
                "VALUES (%s, %s, %s, %s, %s)",
                [[d.pk, d.title, d.summary, d.authors, d.text] for d in documents],
            )


class PostgresSearch:
    """An expression GIN index on the weighted vector (see the migration): nothing to keep."""

    def matching_ids(self, query: ParsedQuery):
        sql = (
            f"SELECT id FROM knowledge_document "
            f"WHERE ({POSTGRES_VECTOR}) @@ to_tsquery('english', %s)"
        )
        return sql, [to_tsquery(query)]

    def ranked(self, query, ids_sql, ids_params, limit, offset):
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            'MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
        )
        # The headline is made for the page only, after ranking and LIMIT.
        sql = (
            "SELECT page.id, ts_headline('english', "
            "concat_ws(' ', d.summary, d.\"text\"), to_tsquery('english', %s), %s) "
            "FROM (SELECT id, ts_rank_cd(" + POSTGRES_VECTOR + ", to_tsquery('english', %s)) AS r "
            f"FROM knowledge_document WHERE id IN ({ids_sql}) "
            "ORDER BY r DESC, id LIMIT %s OFFSET %s) AS page "
            "JOIN knowledge_document d ON d.id = page.id ORDER BY page.r DESC, page.id"
        )
        tsquery = to_tsquery(query)
        params = [tsquery, options, tsquery, *ids_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def index(self, documents: list[Document]) -> None:
        """The expression index follows every save by itself."""


def _backend() -> SqliteSearch | PostgresSearch:
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def index_documents(documents: list[Document]) -> None:
    """Puts the documents' current text in the search index (SQLite; PostgreSQL needs nothing)."""
    _backend().index(documents)
