"""The public knowledge hub: published documents only (``public_objects``), searchable with the
same facets as the workspace, each document's page and file, and each priority's evidence."""

from __future__ import annotations

from django.shortcuts import render

from healthgap.board.models import Meeting
from healthgap.delivery.models import Programme
from healthgap.knowledge.browse import search_context
from healthgap.knowledge.models import Document, Tag, TagKind
from healthgap.knowledge.views import file_response
from healthgap.places.models import Place
from healthgap.web.formats import DataTable, error_response, page_json

TITLE = "Knowledge hub: JSNA chapters, needs assessments, evaluations and research"


def hub(request, fmt: str | None = None):
    context = search_context(request, Document.public_objects)
    if fmt == "json":
        if context["query_error"]:
            return error_response(request, 400, context["query_error"], fmt="json")
        return page_json(TITLE, [_results_table(context["page"])])
    priorities = Tag.objects.filter(
        kind=TagKind.PRIORITY, documents__in=Document.public_objects.all()
    ).distinct()
    context.update(title=TITLE, public=True, priorities=priorities.order_by("name"))
    status = 400 if context["query_error"] else 200
    return render(request, "knowledge/hub.html", context, status=status)


def _results_table(page) -> DataTable:
    rows = [
        {
            "title": result.document.title,
            "type": result.document.get_document_type_display(),
            "date": result.document.issued_on.isoformat() if result.document.issued_on else None,
            "organisation": str(result.document.organisation or ""),
            "summary": result.document.summary,
        }
        for result in page.results
    ]
    columns = [
        ("title", "Title"),
        ("type", "Type"),
        ("date", "Date"),
        ("organisation", "Organisation"),
        ("summary", "Summary"),
    ]
    return DataTable("documents", "Published documents", columns, rows)


def _published(pk: int) -> Document | None:
    return Document.public_objects.filter(pk=pk).first()


def document(request, pk: int):
    found = _published(pk)
    if found is None:
        return error_response(request, 404, "There is no published document with this number.")
    context = {
        "document": found,
        "programmes": Programme.public_objects.filter(documents=found),
        "places": Place.public_objects.filter(documents=found).order_by("name"),
        "agenda_items": found.agenda_items_in(Meeting.public_objects.all()),
    }
    return render(request, "knowledge/public_document.html", context)


def document_file(request, pk: int):
    found = _published(pk)
    if found is None or not found.file:
        return error_response(request, 404, "There is no published file with this number.")
    return file_response(found)


def priority(request, pk: int):
    tag = Tag.objects.filter(kind=TagKind.PRIORITY, pk=pk).first()
    if tag is None:
        return error_response(request, 404, "There is no priority with this number.")
    context = {"priority": tag, "documents": published_evidence(tags=tag)}
    return render(request, "knowledge/priority.html", context)


def published_evidence(**link):
    """The published documents linked as ``link`` says (``tags=priority``,
    ``indicators=indicator``), newest first: a page's evidence panel."""
    return Document.public_objects.filter(**link).order_by("-issued_on", "title")
