"""What an uploaded file really is, judged by its content rather than its name, and its text.

A PDF starts with ``%PDF-``; a Word document is a zip holding ``word/document.xml``; an HTML
page is UTF-8 text with HTML markup. A file whose content is not what its extension says, or
that is over the size limit, is refused with a message saying so."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

import docx
import pypdf
from pypdf.errors import PdfReadError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_DESCRIPTION = "20 MB"
# Extension -> the type its content must be.
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
FILE_TYPE_NAMES = {"pdf": "a PDF", "docx": "a Word document (.docx)", "html": "an HTML page"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<head", b"<p>", b"<h1")
_SKIPPED_HTML_ELEMENTS = {"script", "style", "template", "noscript"}


class DocumentFileError(ValueError):
    """A file that cannot be accepted; the message tells the uploader why."""


@dataclass(frozen=True)
class ExtractedFile:
    file_type: str  # "pdf", "docx" or "html"
    text: str


def extract(name: str, content: bytes) -> ExtractedFile:
    """The checked type and the text of an uploaded file called ``name``."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise DocumentFileError(f"The file must be smaller than {MAX_UPLOAD_DESCRIPTION}")
    if not content:
        raise DocumentFileError("The file is empty")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise DocumentFileError("The file must be a PDF, a Word document (.docx) or an HTML page")
    actual = sniff(content)
    if actual != claimed:
        raise DocumentFileError(
            f"The file is called {PurePath(name).name} but it is not {FILE_TYPE_NAMES[claimed]}"
        )
    return ExtractedFile(actual, _normalise_space(_TEXT_READERS[actual](content)))


def sniff(content: bytes) -> str | None:
    """The type of a file from its first bytes and structure, or None if none of ours."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" not in content and any(marker in head for marker in _HTML_MARKERS):
        return "html"
    return None


def _pdf_text(content: bytes) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise DocumentFileError("The PDF could not be read: it may be damaged") from error


def _docx_text(content: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(content))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocumentFileError("The Word document could not be read: it may be damaged") from error
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in _SKIPPED_HTML_ELEMENTS

    def handle_endtag(self, tag):
        self._skipping -= tag in _SKIPPED_HTML_ELEMENTS and self._skipping > 0

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def _html_text(content: bytes) -> str:
    try:
        markup = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentFileError("The HTML page must be encoded as UTF-8") from error
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return " ".join(parser.parts)


def _normalise_space(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


_TEXT_READERS = {"pdf": _pdf_text, "docx": _docx_text, "html": _html_text}
