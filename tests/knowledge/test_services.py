"""Documents are written through the services: a refused file or a missing source saves
nothing; history records who did it."""

import pytest

from healthgap.knowledge.extract import DocumentFileError
from healthgap.knowledge.models import Document
from healthgap.knowledge.services import Upload
from tests.knowledge.files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def test_upload_keeps_the_file_and_its_text(add_document):
    document = add_document("Carers", upload=Upload("carers.docx", docx_bytes("Young carers")))
    document.refresh_from_db()
    assert document.file_type == "docx"
    assert document.text == "Young carers"
    with document.file.open("rb") as handle:
        assert handle.read(2) == b"PK"
    assert document.history.first().history_type == "+"


def test_renamed_file_saves_nothing(add_document):
    with pytest.raises(DocumentFileError, match="not a PDF"):
        add_document("Fake", upload=Upload("fake.pdf", docx_bytes("hello")))
    assert not Document.private_objects.filter(title="Fake").exists()


def test_a_document_needs_a_file_or_a_link(add_document):
    with pytest.raises(DocumentFileError, match="Upload a file or give a link"):
        add_document("Nothing", external_url="")
    assert not Document.private_objects.filter(title="Nothing").exists()


def test_pdf_upload_round_trip(add_document):
    document = add_document("JSNA", upload=Upload("jsna.pdf", pdf_bytes("Life expectancy gap")))
    assert "Life expectancy gap" in document.text
