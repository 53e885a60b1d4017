"""The hub's pages through Django's test client: upload with bad input refused and nothing
lost, search with a malformed query, the public hub (published only), the priority and
programme evidence panels, review dates in "my work", and the coverage grid."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthgap.constants import Role
from healthgap.knowledge import services
from healthgap.knowledge.extract import MAX_UPLOAD_BYTES
from healthgap.knowledge.models import Document, DocumentType, Evaluation, EvaluationMethod
from healthgap.places.models import MemberType, Place
from healthgap.publishing.services import create, publish
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.factories import IndicatorFactory, UpperTierFactory, WardFactory
from tests.knowledge.files import docx_bytes, pdf_bytes
from tests.publishing.people import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def _upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content)


def _form(**fields):
    values = {"version": 1, "title": "Air quality chapter", "document_type": "jsna_chapter"}
    return {**values, **fields}


def test_upload_a_pdf_and_find_it_by_a_word_from_its_text(signed_in):
    ward = WardFactory(name="Foleshill")
    pdf = pdf_bytes("Nitrogen dioxide near the ring road exceeds the annual limit.")
    response = signed_in.post(
        reverse("knowledge:document_new"),
        _form(file=_upload("air.pdf", pdf), wards=[ward.code]),
    )
    document = Document.private_objects.get(title="Air quality chapter")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()

    found = signed_in.get(reverse("knowledge:documents"), {"q": "nitrogen", "ward": ward.code})
    assert "Air quality chapter" in found.content.decode()
    assert "<mark>Nitrogen</mark>" in found.content.decode()
    file = signed_in.get(reverse("knowledge:document_file", args=[document.pk]))
    assert b"".join(file.streaming_content).startswith(b"%PDF-")


def test_a_document_links_places_the_public_sees_only_published_ones(signed_in, client, analyst):
    city = UpperTierFactory()
    ward = WardFactory(parent=city, name="Foleshill")
    places = {
        name: create(
            Place(
                name=name,
                city=city,
                member_type=MemberType.WARDS,
                members=ward.code,
                area_codes=[ward.code],
            ),
            analyst,
        )
        for name in ("Foleshill Road corridor", "Draft estate")
    }
    publish(places["Foleshill Road corridor"], analyst)
    response = signed_in.post(
        reverse("knowledge:document_new"),
        _form(
            external_url="https://example.org/air",
            wards=[ward.code],
            places=[place.pk for place in places.values()],
        ),
    )
    document = Document.private_objects.get(title="Air quality chapter")
    assert response.url == document.get_absolute_url()
    assert set(document.places.all()) == set(places.values())
    workspace = signed_in.get(document.get_absolute_url()).content.decode()
    assert "Foleshill, Draft estate, Foleshill Road corridor</dd>" in workspace

    publish(document, analyst)
    client.logout()
    public = client.get(reverse("knowledge_public:document", args=[document.pk])).content.decode()
    assert "Foleshill, Foleshill Road corridor</dd>" in public
    assert "Draft estate" not in public


def test_renamed_file_is_refused_and_the_form_keeps_what_was_typed(signed_in):
    response = signed_in.post(
        reverse("knowledge:document_new"),
        _form(summary="My careful summary", file=_upload("air.pdf", docx_bytes("word file"))),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is called air.pdf but it is not a PDF" in page
    assert "My careful summary" in page
    assert not Document.private_objects.filter(title="Air quality chapter").exists()


def test_file_over_the_limit_is_refused_and_the_form_keeps_what_was_typed(signed_in):
    oversized = b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES
    response = signed_in.post(
        reverse("knowledge:document_new"),
        _form(summary="My careful summary", file=_upload("big.pdf", oversized)),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file">The file must be smaller than 20 MB</a>' in page  # error summary
    assert "My careful summary" in page
    assert not Document.private_objects.filter(title="Air quality chapter").exists()


def test_missing_title_and_type_are_named(signed_in):
    response = signed_in.post(reverse("knowledge:document_new"), _form(title="", document_type=""))
    page = response.content.decode()
    assert "Enter the document&#x27;s title" in page
    assert "Choose the type of document" in page


def test_malformed_search_shows_a_message_not_an_error(signed_in, client, add_document):
    add_document("Anything", summary="anything")
    response = signed_in.get(reverse("knowledge:documents"), {"q": '"unclosed'})
    assert response.status_code == 200
    assert "Close the quotation mark" in response.content.decode()
    public = client.get(reverse("knowledge_public:hub"), {"q": "OR"})
    assert public.status_code == 400 and "word on each side of OR" in public.content.decode()
    data = client.get(reverse("knowledge_public:hub_format", args=["json"]), {"q": "OR"})
    assert data.status_code == 400 and data.json()["ok"] is False


def test_public_hub_shows_published_documents_only(client, add_document, analyst):
    publish(add_document("Published dementia chapter", summary="dementia diagnosis"), analyst)
    draft = add_document("Draft dementia chapter", summary="dementia care")

    page = client.get(reverse("knowledge_public:hub"), {"q": "dementia"}).content.decode()
    assert "Published dementia chapter" in page and "Draft dementia chapter" not in page
    assert client.get(reverse("knowledge_public:document", args=[draft.pk])).status_code == 404
    rows = client.get(reverse("knowledge_public:hub_format", args=["json"])).json()
    assert [r["title"] for r in rows["tables"]["documents"]] == ["Published dementia chapter"]


def test_uploads_are_served_only_through_the_checked_views(client, add_document, analyst):
    """Files are kept under MEDIA_ROOT, outside the web root: no URL serves them directly, and
    the public file view serves a document's file only once it is published."""
    document = add_document(
        "Damp homes survey", upload=services.Upload("damp.pdf", pdf_bytes("mould and damp"))
    )
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored.is_file()
    for direct in (f"/{document.file.name}", f"/media/{document.file.name}"):
        assert client.get(direct).status_code == 404
    public_file = reverse("knowledge_public:document_file", args=[document.pk])
    assert client.get(public_file).status_code == 404  # a draft

    publish(document, analyst)
    served = client.get(public_file)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == stored.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [
        ("survey.pdf", pdf_bytes("mould and damp"), "inline"),
        (
            "survey.html",
            b"<!DOCTYPE html><html><body><p>mould and damp</p></body></html>",
            "attachment",
        ),
        ("survey.docx", docx_bytes("mould and damp"), "attachment"),
    ],
)
def test_only_a_pdf_opens_in_the_browser_other_files_download(
    client, add_document, analyst, name, content, disposition
):
    """An uploaded HTML page is never rendered as one of the site's own pages."""
    document = add_document("Damp homes survey", upload=services.Upload(name, content))
    publish(document, analyst)
    served = client.get(reverse("knowledge_public:document_file", args=[document.pk]))
    assert served.status_code == 200
    assert served["Content-Disposition"].split(";")[0] == disposition


def test_public_hub_facets_count_and_filter_published_documents_only(client, add_document, analyst):
    foleshill, earlsdon = WardFactory(name="Foleshill"), WardFactory(name="Earlsdon")
    council = OrganisationFactory(name="Coventry City Council")
    published = add_document(
        "Published smoking chapter",
        organisation=council,
        issued_on=date(2023, 5, 1),
        relations={"wards": [foleshill]},
    )
    publish(published, analyst)
    add_document(
        "Draft smoking survey",
        document_type=DocumentType.RESEARCH,
        issued_on=date(2025, 1, 1),
        relations={"wards": [earlsdon]},
    )
    hub = reverse("knowledge_public:hub")
    facets = _facets(client.get(hub, {"q": "smoking"}).content.decode())
    assert facets["type"] == "JSNA chapter (1)"
    assert facets["ward-or-place"] == "Foleshill (1)"
    assert facets["organisation"] == "Coventry City Council (1)"
    assert facets["year"] == "2023 (1)"

    by_ward = client.get(hub, {"q": "smoking", "ward": earlsdon.code}).content.decode()
    assert "0 documents" in by_ward and "Draft smoking survey" not in by_ward


def _facets(page: str) -> dict[str, str]:
    """Each facet's links, as text ("label (count)", joined by "; ") by the facet's test id."""
    navs = re.findall(r'data-testid="facet-([a-z-]+)">(.*?)</nav>', page, re.S)
    return {
        facet: "; ".join(
            re.sub(r"<[^>]+>", "", link).strip() for link in re.findall(r"<a .*?</a>", body, re.S)
        )
        for facet, body in navs
    }


def test_priority_page_lists_its_published_evidence(client, add_document, analyst, tag):
    healthy_weight = tag(tag.PRIORITY, "Healthy weight")
    document = add_document("Obesity needs assessment", relations={"tags": [healthy_weight]})
    url = reverse("knowledge_public:priority", args=[healthy_weight.pk])
    assert "Obesity needs assessment" not in client.get(url).content.decode()
    publish(document, analyst)
    assert "Obesity needs assessment" in client.get(url).content.decode()


def test_indicator_page_lists_its_published_evidence(client, add_document, analyst):
    indicator = IndicatorFactory(code="90366", name="Life expectancy at birth")
    document = add_document("Life expectancy JSNA chapter", relations={"indicators": [indicator]})
    add_document("Unlinked published chapter")
    url = reverse("web:indicator", args=[indicator.code])
    evidence = _evidence(client.get(url))
    assert "No published document in the knowledge hub is linked to this indicator yet." in evidence
    assert "Life expectancy JSNA chapter" not in evidence  # still a draft

    publish(document, analyst)
    evidence = _evidence(client.get(url))
    link = reverse("knowledge_public:document", args=[document.pk])
    assert f'<a class="govuk-link" href="{link}">Life expectancy JSNA chapter</a>' in evidence
    assert "Unlinked published chapter" not in evidence


def _evidence(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('data-testid="evidence"')
    return page[start : page.index("</section>", start)]


def test_programme_page_lists_its_evaluations_and_documents(signed_in, analyst, add_document):
    smokefree = programme(analyst)
    add_document("Stop smoking evaluation", relations={"programmes": [smokefree]})
    response = signed_in.post(
        reverse("knowledge:evaluation_new"),
        {
            "version": 1,
            "programme": smokefree.pk,
            "question": "Did quit rates rise after the service opened?",
            "method": EvaluationMethod.INTERRUPTED_TIME_SERIES,
            "status": "planned",
        },
    )
    assert response.status_code == 302
    assert Evaluation.private_objects.get().programme == smokefree
    page = signed_in.get(smokefree.get_absolute_url()).content.decode()
    assert "Did quit rates rise after the service opened?" in page
    assert "Stop smoking evaluation" in page


def test_the_add_evaluation_link_is_offered_only_to_those_who_may_add_one(client, analyst):
    smokefree = programme(analyst)
    link = reverse("knowledge:evaluation_new") + f"?programme={smokefree.pk}"
    for roles, offered in [([Role.ANALYST], True), ([Role.BOARD_MEMBER], False)]:
        client.force_login(UserFactory(roles=roles))
        assert (link in client.get(smokefree.get_absolute_url()).content.decode()) is offered
        assert (client.get(link).status_code == 200) is offered


def test_documents_past_review_are_flagged_to_their_owner(client, add_document):
    owner = UserFactory(roles=[Role.ANALYST])
    add_document("Old chapter", owner=owner, review_on=date.today() - timedelta(days=1))
    add_document("Current chapter", owner=owner, review_on=date.today() + timedelta(days=30))
    client.force_login(owner)
    page = client.get(reverse("web:workspace")).content.decode()
    overdue = page[page.index("Overdue") :]
    assert "Old chapter" in overdue[: overdue.index("Yours")]
    review = client.get(reverse("knowledge:review")).content.decode()
    assert "Old chapter" in review and "Current chapter" not in review


def test_coverage_grid_shows_gaps(signed_in, add_document, tag):
    board = UpperTierFactory(code="E08000026", is_hwb=True)
    ward_a, _ward_b = (
        WardFactory(name="Ward A", parent=board),
        WardFactory(name="Ward B", parent=board),
    )
    smoking, housing = tag(tag.PRIORITY, "Smoking"), tag(tag.PRIORITY, "Housing")
    add_document(
        "Smoking chapter",
        document_type=DocumentType.JSNA_CHAPTER,
        relations={"tags": [smoking], "wards": [ward_a]},
    )
    response = signed_in.get(reverse("knowledge:coverage"), {"area": board.code})
    grids = response.context["grids"]
    by_type = dict(grids[0].rows)
    assert by_type["Smoking"][0] == 1 and by_type["Housing"] == [0] * len(DocumentType.choices)
    wards = dict(grids[1].rows)
    columns = grids[1].columns
    assert wards["Ward A"][columns.index("Smoking")] == 1
    assert wards["Ward B"] == [0, 0] and wards["Ward A"][columns.index("Housing")] == 0
    assert housing.name in columns


def _evaluation_form(programme, question="Did quit rates rise?", version=1):
    return {"version": version, "programme": programme.pk, "question": question,
            "method": EvaluationMethod.BEFORE_AFTER, "status": "planned"}  # fmt: skip


def test_a_programme_lead_edits_only_the_evaluations_of_their_own_programmes(client, analyst):
    lead, another_lead = (UserFactory(roles=[Role.PROGRAMME_LEAD]) for _ in range(2))
    own, others = programme(analyst, lead=lead), programme(analyst, name="Other", lead=another_lead)
    mine, theirs = (
        services.create_evaluation(
            Evaluation(programme=item, question="Q?", method=EvaluationMethod.COMPARISON), analyst
        )
        for item in (own, others)
    )
    client.force_login(lead)
    edit = lambda evaluation: reverse("knowledge:evaluation_edit", args=[evaluation.pk])  # noqa: E731
    assert client.get(edit(mine)).status_code == 200
    assert client.get(edit(theirs)).status_code == 403
    assert client.post(edit(theirs), _evaluation_form(others)).status_code == 403
    # Nor can the lead move their own evaluation, or register a new one, onto another's programme.
    moved = client.post(edit(mine), _evaluation_form(others, version=mine.version))
    assert "Choose a programme you lead" in moved.content.decode()
    new = client.post(reverse("knowledge:evaluation_new"), _evaluation_form(others))
    assert "Choose a programme you lead" in new.content.decode()
    assert list(Evaluation.private_objects.filter(programme=others)) == [theirs]
    saved = client.post(edit(mine), _evaluation_form(own, "Did it work?", mine.version))
    assert saved.status_code == 302
    assert Evaluation.private_objects.get(pk=mine.pk).question == "Did it work?"
