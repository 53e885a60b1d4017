"""Uploaded files are judged by their content, not their name, and their text is read back."""

import pytest

from healthgap.knowledge.extract import MAX_UPLOAD_BYTES, DocumentFileError, extract
from tests.knowledge.files import docx_bytes, html_bytes, pdf_bytes


def test_pdf_text_is_extracted():
    result = extract("chapter.pdf", pdf_bytes("Smoking in pregnancy in Foleshill ward."))
    assert result.file_type == "pdf"
    assert "Smoking in pregnancy in Foleshill ward." in result.text


def test_docx_text_is_extracted():
    result = extract("needs.DOCX", docx_bytes("Loneliness among carers", "Second paragraph"))
    assert result.file_type == "docx"
    assert result.text.splitlines() == ["Loneliness among carers", "Second paragraph"]


def test_html_text_skips_scripts_and_styles():
    body = "<h1>Air quality</h1><script>var secret = 1;</script><style>p{}</style><p>Ozone</p>"
    result = extract("page.html", html_bytes(body))
    assert result.file_type == "html"
    assert "Air quality" in result.text and "Ozone" in result.text
    assert "secret" not in result.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", docx_bytes("a Word file renamed")),
        ("report.docx", pdf_bytes("a PDF renamed")),
        ("report.pdf", b"MZ\x90\x00 an executable"),
        ("page.html", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("report.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused(name, content):
    with pytest.raises(DocumentFileError, match=f"called {name} but it is not"):
        extract(name, content)


def test_unknown_extension_is_refused():
    with pytest.raises(DocumentFileError, match="must be a PDF, a Word document"):
        extract("data.xlsx", b"PK\x03\x04")


def test_file_over_the_limit_is_refused():
    content = b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES
    with pytest.raises(DocumentFileError, match="smaller than 20 MB"):
        extract("big.pdf", content)


def test_damaged_pdf_is_refused_with_a_message():
    with pytest.raises(DocumentFileError, match="could not be read"):
        extract("broken.pdf", b"%PDF-1.7\n garbage with no objects")
