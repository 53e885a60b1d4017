"""Every write to the knowledge hub: documents (with their file checked and its text
extracted, and the search index kept in step) and evaluations. Versions, history and
publication come from ``healthgap.publishing.services``."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from healthgap.knowledge.extract import DocumentFileError, extract
from healthgap.knowledge.models import Document
from healthgap.knowledge.search import index_documents
from healthgap.publishing import services as publishing

__all__ = ["DocumentFileError", "Upload", "create_document", "save_document"]


@dataclass(frozen=True)
class Upload:
    """A file as sent: its name and bytes."""

    name: str
    content: bytes


def _attach(document: Document, upload: Upload | None) -> None:
    """Checks and reads the upload before anything is saved, so a refused file loses nothing."""
    if upload is None:
        return
    extracted = extract(upload.name, upload.content)
    document.file.save(upload.name, ContentFile(upload.content), save=False)
    document.file_type, document.text = extracted.file_type, extracted.text


def _check_source(document: Document) -> None:
    if not document.file and not document.external_url:
        raise DocumentFileError("Upload a file or give a link to an external page")
    document.year = document.issued_on.year if document.issued_on else None


def create_document(document: Document, user, upload: Upload | None = None, relations=None):
    """Saves a new draft document with its file (or link), relations and search entry."""
    _attach(document, upload)
    _check_source(document)
    with transaction.atomic():
        publishing.create(document, user)
        _set_relations(document, relations)
        index_documents([document])
    return document


def save_document(
    document: Document, user, expected_version: int, upload: Upload | None = None, relations=None
):
    """Saves an edit made from ``expected_version`` (``StaleEdit`` if someone saved since)."""
    _attach(document, upload)
    _check_source(document)
    with transaction.atomic():
        publishing.save_versioned(document, user, expected_version)
        _set_relations(document, relations)
        index_documents([document])
    return document


def _set_relations(document: Document, relations: dict | None) -> None:
    """``relations`` maps a many-to-many field (tags, wards, places, indicators, programmes,
    agenda_items) to items."""
    for name, items in (relations or {}).items():
        getattr(document, name).set(items)


def create_evaluation(evaluation, user):
    return publishing.create(evaluation, user)


def save_evaluation(evaluation, user, expected_version: int):
    return publishing.save_versioned(evaluation, user, expected_version)
