"""Search on whichever database the suite runs on (SQLite FTS5 by default; PostgreSQL with
``scripts/with_postgres.sh``): ranking, stemming, highlighted and escaped snippets, facets,
publication left to the caller's queryset, and malformed queries refused."""

from datetime import date

import pytest
from django.db import connection

from healthgap.knowledge import services
from healthgap.knowledge.models import Document, DocumentType
from healthgap.knowledge.query import QuerySyntaxError
from healthgap.knowledge.search import SearchFilters, search_documents
from healthgap.knowledge.services import Upload
from healthgap.publishing.services import publish
from tests.accounts.factories import OrganisationFactory
from tests.factories import WardFactory
from tests.knowledge.files import html_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def titles(page):
    return [result.document.title for result in page.results]


def test_runs_on_the_suites_database():
    assert connection.vendor in {"sqlite", "postgresql"}


def test_finds_a_word_from_an_uploaded_pdf(add_document):
    text = "Hospital admissions for asthma are highest in Foleshill and Hillfields."
    add_document("Respiratory health", upload=Upload("resp.pdf", pdf_bytes(text)))
    add_document("Dental health", summary="Tooth decay among five year olds")

    page = search_documents(Document.private_objects, "asthma")

    assert titles(page) == ["Respiratory health"]
    assert page.total == 1
    assert "<mark>asthma</mark>" in page.results[0].snippet.lower()


def test_stemming_finds_other_forms_of_a_word(add_document):
    add_document("Falls", summary="Evaluations of falls prevention in older people")
    assert titles(search_documents(Document.private_objects, "evaluation")) == ["Falls"]


def test_title_matches_rank_above_text_matches(add_document):
    add_document("Housing and health", summary="damp and cold homes; obesity mentioned once")
    add_document("Obesity needs assessment", summary="healthy weight in children")
    page = search_documents(Document.private_objects, "obesity")
    assert titles(page) == ["Obesity needs assessment", "Housing and health"]


def test_phrases_or_and_exclusion(add_document):
    add_document("A", summary="young people and vaping")
    add_document("B", summary="people who are young carers")
    add_document("C", summary="tobacco control")
    assert titles(search_documents(Document.private_objects, '"young people"')) == ["A"]
    found = search_documents(Document.private_objects, "tobacco OR carers")
    assert sorted(titles(found)) == ["B", "C"]
    assert titles(search_documents(Document.private_objects, "young -vaping")) == ["B"]


def test_snippets_escape_the_documents_own_markup(add_document):
    body = "<p>Knife crime &lt;script&gt;alert(1)&lt;/script&gt; in city centre wards</p>"
    add_document("Violence", upload=Upload("v.html", html_bytes(body)))
    snippet = search_documents(Document.private_objects, "knife").results[0].snippet
    # SQLite keeps the text and it is escaped; PostgreSQL's headline drops tag-like tokens.
    assert "<script" not in snippet and "alert(1)" in snippet
    assert "<mark>Knife</mark>" in snippet


def test_operator_words_are_searched_as_words(add_document):
    add_document("Near misses", summary="NEAR misses AND falls in care homes")
    assert titles(search_documents(Document.private_objects, "NEAR AND")) == ["Near misses"]


def test_malformed_query_raises_a_clear_error(add_document):
    add_document("Anything", summary="anything")
    with pytest.raises(QuerySyntaxError, match="Close the quotation mark"):
        search_documents(Document.private_objects, '"unclosed')


def test_public_queryset_sees_published_documents_only(add_document, analyst):
    draft = add_document("Draft chapter", summary="diabetes prevalence")
    published = add_document("Published chapter", summary="diabetes prevention")
    publish(published, analyst)

    assert titles(search_documents(Document.public_objects, "diabetes")) == [published.title]
    assert draft.title in titles(search_documents(Document.private_objects, "diabetes"))


def test_an_edit_is_searchable_at_once(add_document, analyst):
    document = add_document("Suicide prevention", summary="first draft")
    document.summary = "bereavement support after suicide"
    services.save_document(document, analyst, document.version)
    assert titles(search_documents(Document.private_objects, "bereavement")) == [document.title]
    assert search_documents(Document.private_objects, "draft").total == 0


def test_facets_count_the_matches_and_filters_narrow_them(add_document, tag):
    foleshill, earlsdon = WardFactory(name="Foleshill"), WardFactory(name="Earlsdon")
    carers, smoking = tag(tag.GROUP, "Carers"), tag(tag.THEME, "Smoking")
    council = OrganisationFactory(name="Coventry City Council")
    add_document(
        "Smoking among carers in Foleshill",
        summary="smoking prevalence",
        document_type=DocumentType.NEEDS_ASSESSMENT,
        organisation=council,
        issued_on=date(2023, 5, 1),
        relations={"wards": [foleshill], "tags": [carers, smoking]},
    )
    add_document(
        "Smoking in Earlsdon",
        summary="smoking at home",
        issued_on=date(2021, 3, 1),
        relations={"wards": [earlsdon], "tags": [smoking]},
    )
    add_document("Unrelated", summary="dementia", relations={"wards": [foleshill]})

    page = search_documents(Document.private_objects, "smoking")
    counts = {f: {(v.label, v.count) for v in values} for f, values in page.facets.items()}
    assert counts["ward"] == {("Foleshill", 1), ("Earlsdon", 1)}
    assert counts["theme"] == {("Smoking", 2)}
    assert counts["population_group"] == {("Carers", 1)}
    assert counts["type"] == {("Needs assessment", 1), ("JSNA chapter", 1)}
    assert counts["organisation"] == {("Coventry City Council", 1)}
    assert counts["year"] == {("2023", 1), ("2021", 1)}

    by_ward = search_documents(
        Document.private_objects, "smoking", SearchFilters(wards=[foleshill.code])
    )
    assert titles(by_ward) == ["Smoking among carers in Foleshill"]
    assert [v.selected for v in by_ward.facets["ward"]] == [True]
    by_year = search_documents(Document.private_objects, "", SearchFilters(years=[2021]))
    assert titles(by_year) == ["Smoking in Earlsdon"]


def test_empty_query_lists_everything_newest_first(add_document):
    add_document("Older", issued_on=date(2019, 1, 1))
    add_document("Newer", issued_on=date(2024, 1, 1))
    page = search_documents(Document.private_objects.filter(title__in=["Older", "Newer"]), "")
    assert titles(page) == ["Newer", "Older"]
