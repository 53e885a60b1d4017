"""Full-text search of documents with facets and highlighted snippets, behind one interface:
SQLite FTS5 (the default database) or PostgreSQL full-text search, chosen by the connection.

``search_documents(queryset, text, filters)`` works on any queryset of documents (the public
hub passes ``Document.public_objects``, the workspace every document), so publication is
decided by the caller and never here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField
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
DOCUMENTS = "knowledge_document"
# Title counts most, then summary, authors, text (FTS5 bm25 weights; PostgreSQL A-D).
FTS5_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
# A stored generated column on PostgreSQL (migration 0005), with the GIN index on it.
POSTGRES_VECTOR = "search_vector"
# The matches with what the page and the facets need, from the caller's queryset (see
# ``_matched_ctes``); ``hits`` holds the full-text matches and their rank (none without a query).
MATCHED_COLUMNS = ("id", "document_type", "organisation_id", "year", "issued_on", "title")
NO_HITS = "SELECT 0, 0.0 WHERE 1 = 0"
# Each backend gives ``matched`` (the facets' rows) and ``ranked`` (each match's id, rank and the
# page's other sort keys). Read from them: the page's ids with their position, then each facet's
# counts with their names (tags under their own kind). The page is picked before it is numbered,
# so that the database keeps only the best rows while sorting (a top-N sort) instead of sorting
# every match.
# The links are counted before their names are joined: a join per kept value, not per link.
PAGE_ORDER = "rank, issued_on DESC, title, id"
# How the facets find the matches' links in a link table. CROSS JOIN makes SQLite look up each
# match's links rather than scan every link. PostgreSQL looks them all up in one scan of the
# link table's index, given the matches' ids as one array: a join was planned either as a
# lookup per match or as a merge with the whole index, and took up to twice the time.
MATCHED_LINKS = {
    "sqlite": "matched m CROSS JOIN {table} l WHERE l.document_id = m.id",
    "postgresql": "{table} l WHERE l.document_id = ANY(ARRAY(SELECT id FROM matched))",
}
PAGE_AND_COUNTS = f"""
SELECT 'page', CAST(p.id AS TEXT), ROW_NUMBER() OVER (ORDER BY {PAGE_ORDER}), CAST(NULL AS TEXT)
  FROM (SELECT id, rank, issued_on, title FROM ranked
        ORDER BY {PAGE_ORDER} LIMIT %s OFFSET %s) AS p
UNION ALL SELECT 'type', document_type, COUNT(*), NULL FROM matched GROUP BY document_type
UNION ALL SELECT 'organisation', CAST(c.organisation_id AS TEXT), c.count, o.name
  FROM (SELECT organisation_id, COUNT(*) AS count FROM matched
        WHERE organisation_id IS NOT NULL GROUP BY organisation_id) AS c
  JOIN {Organisation._meta.db_table} o ON o.id = c.organisation_id
UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*), CAST(year AS TEXT)
  FROM matched WHERE year IS NOT NULL GROUP BY year
UNION ALL SELECT t.kind, CAST(c.tag_id AS TEXT), c.count, t.name
  FROM (SELECT l.tag_id, COUNT(*) AS count FROM {{tag_links}} GROUP BY l.tag_id) AS c
  JOIN {Tag._meta.db_table} t ON t.id = c.tag_id
UNION ALL SELECT 'ward', CAST(c.area_id AS TEXT), c.count, a.name
  FROM (SELECT l.area_id, COUNT(*) AS count FROM {{ward_links}} GROUP BY l.area_id) AS c
  JOIN {Area._meta.db_table} a ON a.code = c.area_id
"""
PAGE_AND_COUNTS_BY_VENDOR = {
    vendor: PAGE_AND_COUNTS.format(
        tag_links=links.format(table=f"{DOCUMENTS}_tags"),
        ward_links=links.format(table=f"{DOCUMENTS}_wards"),
    )
    for vendor, links in MATCHED_LINKS.items()
}
# Each facet's key as the models hold it (the statement gives every key as text).
FACET_KEYS = {
    "type": str,
    "organisation": int,
    "year": int,
    **{kind: int for kind in TagKind.values},
    "ward": str,
}


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
class FacetCounts:
    """One facet's counts among the matches and the names of its values, by key."""

    counts: Counter = field(default_factory=Counter)
    names: dict = field(default_factory=dict)


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
    with the facet counts of every match. Raises ``QuerySyntaxError`` for a malformed query.

    The full-text match runs once: one statement keeps the matching ids with their rank (a
    materialised common table expression) and reads from them both the page's ids and every
    facet's counts; the page's snippets are then made for its twenty documents only."""
    query = parse(text)
    filters = filters or SearchFilters()
    filtered = apply_filters(queryset, filters)
    offset = (max(page, 1) - 1) * PAGE_SIZE
    page_ids, counts = _page_and_counts(filtered, query, offset)
    documents = {d.pk: d for d in _with_relations(filtered.filter(pk__in=page_ids))}
    if query is None:
        snippets = {pk: escape(_first_words(d.summary or d.text)) for pk, d in documents.items()}
    else:
        marked = _backend().snippets(query, page_ids)
        snippets = {pk: highlighted(marked.get(pk)) for pk in page_ids}
    results = [SearchResult(documents[pk], snippets[pk]) for pk in page_ids]
    total = sum(counts["type"].counts.values())
    return SearchPage(results, total, facets(counts, filters))


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


def _page_and_counts(filtered, query: ParsedQuery | None, offset: int):
    """The page's ids in order, and the matches' counts by facet and key, from one statement
    (so the full-text match runs once)."""
    backend = _backend() if query is not None else UnrankedSearch()
    ctes, params = backend.matched(filtered.order_by(), query)
    with connection.cursor() as cursor:
        statement = PAGE_AND_COUNTS_BY_VENDOR[connection.vendor]
        cursor.execute(f"WITH {ctes} {statement}", [*params, PAGE_SIZE, offset])
        rows = cursor.fetchall()
    page = sorted((position, int(key)) for kind, key, position, _ in rows if kind == "page")
    found = {kind: FacetCounts() for kind in FACET_KEYS}
    for kind, key, count, name in rows:
        if kind in FACET_KEYS and key is not None:
            found[kind].counts[FACET_KEYS[kind](key)] = count
            found[kind].names[FACET_KEYS[kind](key)] = name
    return [pk for _, pk in page], found


def _matched_ctes(hits_sql: str, hits_params: list, rows) -> tuple[str, list]:
    """``hits``, ``matched`` then ``ranked``: the caller's queryset (which decides publication)
    narrowed to the hits' ids, each document's row read once, and the hits' ranks joined to it
    (none for a document the hits do not rank)."""
    matched_sql, params = rows.values_list(*MATCHED_COLUMNS).query.sql_with_params()
    columns = ", ".join(MATCHED_COLUMNS)
    ctes = (
        f"hits (id, rank) AS MATERIALIZED ({hits_sql}), "
        f"matched ({columns}) AS MATERIALIZED ({matched_sql}), "
        "ranked AS (SELECT m.id AS id, h.rank AS rank, m.issued_on AS issued_on, m.title AS title"
        " FROM matched m LEFT JOIN hits h ON h.id = m.id)"
    )
    return ctes, [*hits_params, *params]


class UnrankedSearch:
    """No words: every document of the caller's queryset matches, none ranked."""

    def matched(self, rows, query: None) -> tuple[str, list]:
        return _matched_ctes(NO_HITS, [], rows)


def facets(found: dict[str, FacetCounts], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Every facet's values among the matches (tags grouped by their kind), named."""
    types = found["type"]
    types.names = dict(DocumentType.choices)
    chosen = {"type": filters.document_types, "organisation": filters.organisations,
              "year": filters.years, "ward": filters.wards}  # fmt: skip
    values = {
        kind: _facet(kind if kind in chosen else "tag", facet, chosen.get(kind, filters.tags))
        for kind, facet in found.items()
    }
    values["year"].sort(key=lambda value: value.value, reverse=True)
    return values


def _facet(name: str, facet: FacetCounts, chosen: list) -> list[FacetValue]:
    """The values that have a name (None and unknown types are left out), most documents
    first."""
    values = [
        FacetValue(name, str(key), facet.names[key], count, key in chosen)
        for key, count in facet.counts.items()
        if facet.names.get(key)
    ]
    return sorted(values, key=lambda value: (-value.count, value.label))


def _with_relations(queryset):
    return queryset.select_related("organisation")


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

    def matched(self, rows, query: ParsedQuery) -> tuple[str, list]:
        # The rowid is never constrained here: FTS5 would run the match once per given rowid.
        rank = f"bm25({FTS_TABLE}, {FTS5_WEIGHTS})"
        hits = f"SELECT rowid, {rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        rows = rows.filter(pk__in=RawSQL("SELECT id FROM hits", ()))
        return _matched_ctes(hits, [to_fts5(query)], rows)

    def snippets(self, query: ParsedQuery, ids: list[int]) -> dict[int, str]:
        # snippet() needs a full-text query: this one is held to the page's rows.
        if not ids:
            return {}
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, ' … ', {SNIPPET_WORDS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({_placeholders(ids)})"
        )
        return _fetch_dict(sql, [MARK_START, MARK_END, to_fts5(query), *ids])

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
    """A stored generated column holds the weighted vector, GIN-indexed (migrations 0002 and
    0005): nothing to keep."""

    def matched(self, rows, query: ParsedQuery) -> tuple[str, list]:
        """The match and its rank read in the same pass over the caller's rows (one bitmap scan
        of the GIN index), rather than matched first and each hit's row then fetched again. The
        page reads the rank from the same rows: joining them to themselves by id was planned,
        before the table's first ANALYZE, as a nested loop over every pair of matches (3.3
        million for "smoking" among 10,000 documents: 0.3 s of the server's time)."""
        tsquery = to_tsquery(query)
        vector = f"{DOCUMENTS}.{POSTGRES_VECTOR}"
        rows = rows.filter(
            RawSQL(f"{vector} @@ to_tsquery('english', %s)", [tsquery], BooleanField())
        ).annotate(
            # Negated, so that on both backends the lowest rank is the best match.
            rank=RawSQL(
                f"-ts_rank_cd({vector}, to_tsquery('english', %s))", [tsquery], FloatField()
            )
        )
        matched_sql, params = rows.values_list(*MATCHED_COLUMNS, "rank").query.sql_with_params()
        columns = ", ".join(MATCHED_COLUMNS)
        ctes = (
            f"matched ({columns}, rank) AS MATERIALIZED ({matched_sql}), "
            "ranked AS (SELECT id, rank, issued_on, title FROM matched)"
        )
        return ctes, list(params)

    def snippets(self, query: ParsedQuery, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            'MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
        )
        sql = (
            "SELECT id, ts_headline('english', concat_ws(' ', summary, \"text\"), "
            f"to_tsquery('english', %s), %s) FROM {DOCUMENTS} WHERE id IN ({_placeholders(ids)})"
        )
        return _fetch_dict(sql, [to_tsquery(query), options, *ids])

    def index(self, documents: list[Document]) -> None:
        """The generated column follows every save by itself."""


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch_dict(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _backend() -> SqliteSearch | PostgresSearch:
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def index_documents(documents: list[Document]) -> None:
    """Puts the documents' current text in the search index (SQLite; PostgreSQL needs nothing)."""
    _backend().index(documents)
