"""Workspace pages of the knowledge hub (sign-in required): search every document, add and
edit one (file checked, version checked), its history, publish and withdraw; the evaluations
register; documents due for review; the JSNA coverage grid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from healthgap.board.models import Meeting
from healthgap.knowledge import coverage, permissions, services
from healthgap.knowledge.browse import search_context
from healthgap.knowledge.forms import DocumentForm, EvaluationForm, WithdrawDocumentForm
from healthgap.knowledge.models import Document, Evaluation
from healthgap.knowledge.review import documents_due_for_review
from healthgap.publishing.forms import VersionedForm
from healthgap.publishing.services import StaleEdit
from healthgap.publishing.views import history_page, publish_and_return, withdraw_and_return


def _require(user, perm: str, item=None) -> None:
    if not user.has_perm(perm, item):
        raise PermissionDenied("You do not have permission to do this.")


def _document(request, pk: int, perm: str = permissions.VIEW) -> Document:
    document = get_object_or_404(Document.private_objects, pk=pk)
    _require(request.user, perm, document)
    return document


@login_required
def document_list(request):
    _require(request.user, permissions.VIEW)
    context = search_context(request, Document.private_objects)
    context["can_add"] = request.user.has_perm(permissions.ADD)
    return render(request, "knowledge/document_list.html", context)


@login_required
def document_detail(request, pk: int):
    document = _document(request, pk)
    user = request.user
    context = {
        "document": document,
        "evaluations": document.evaluations.order_by("question"),
        "places": document.places.order_by("name"),
        "agenda_items": document.agenda_items_in(Meeting.private_objects.all()),
        "can_change": user.has_perm(permissions.CHANGE, document),
        "can_publish": user.has_perm(permissions.PUBLISH, document),
        "withdraw_form": WithdrawDocumentForm(),
    }
    return render(request, "knowledge/document_detail.html", context)


def _save_document(form: DocumentForm, user) -> Document | None:
    """Saves through the services; a refused file or a stale edit becomes a form error."""
    document = form.save(commit=False)
    try:
        if document.pk is None:
            document.owner = document.owner or user
            return services.create_document(document, user, form.upload(), form.relations())
        version = form.cleaned_data["version"]
        return services.save_document(document, user, version, form.upload(), form.relations())
    except services.DocumentFileError as error:
        form.add_error("file", str(error))
    except StaleEdit as stale:
        form.refuse_stale(stale)
    return None


@login_required
def document_new(request):
    _require(request.user, permissions.ADD)
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"version": 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and (document := _save_document(form, request.user))
    ):
        messages.success(request, f"Document “{document}” added as a draft.")
        return redirect(document)
    return render(request, "knowledge/document_form.html", {"form": form, "document": None})


@login_required
def document_edit(request, pk: int):
    document = _document(request, pk, permissions.CHANGE)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid() and _save_document(form, request.user):
        messages.success(request, "Your changes are saved.")
        return redirect(document)
    return render(request, "knowledge/document_form.html", {"form": form, "document": document})


@login_required
def document_file(request, pk: int):
    return file_response(_document(request, pk))


def file_response(document: Document) -> FileResponse:
    """The uploaded file: a PDF opens in the browser; HTML and DOCX download, so that no
    uploaded page is ever rendered as one of the site's own."""
    if not document.file:
        raise Http404("This document has no file.")
    inline = document.file_type == "pdf"
    return FileResponse(document.file.open("rb"), as_attachment=not inline)


@login_required
def document_history(request, pk: int):
    document = _document(request, pk)
    return history_page(request, document, document.get_absolute_url())


@login_required
@require_POST
def document_publish(request, pk: int):
    document = _document(request, pk, permissions.PUBLISH)
    return publish_and_return(
        request, document, "The document is published: the public can find it."
    )


@login_required
@require_POST
def document_withdraw(request, pk: int):
    document = _document(request, pk, permissions.PUBLISH)
    return withdraw_and_return(
        request,
        document,
        WithdrawDocumentForm(request.POST),
        "The document is withdrawn from the public site.",
    )


@login_required
def review_list(request):
    _require(request.user, permissions.VIEW)
    context = {"documents": documents_due_for_review(Document.private_objects)}
    return render(request, "knowledge/review_list.html", context)


@login_required
def coverage_grid(request):
    _require(request.user, permissions.VIEW)
    return render(request, "knowledge/coverage.html", coverage.coverage_context(request))


@login_required
def evaluation_list(request):
    _require(request.user, permissions.VIEW)
    evaluations = Evaluation.private_objects.select_related("programme", "report")
    context = {
        "evaluations": evaluations,
        "can_add": request.user.has_perm(permissions.EVALUATION_ADD),
    }
    return render(request, "knowledge/evaluation_list.html", context)


@login_required
def evaluation_detail(request, pk: int):
    _require(request.user, permissions.VIEW)
    evaluation = get_object_or_404(Evaluation.private_objects, pk=pk)
    context = {
        "evaluation": evaluation,
        "can_change": request.user.has_perm(permissions.EVALUATION_CHANGE, evaluation),
    }
    return render(request, "knowledge/evaluation_detail.html", context)


def _may_evaluate(user, form: EvaluationForm) -> bool:
    """The programme chosen on the form must be one the user may register evaluations of (a
    programme lead: one they lead), so a lead cannot move an evaluation onto another's."""
    if user.has_perm(permissions.EVALUATION_CHANGE, form.instance):
        return True
    form.add_error("programme", "Choose a programme you lead")
    return False


@login_required
def evaluation_new(request):
    _require(request.user, permissions.EVALUATION_ADD)
    initial = {"version": 1, "programme": request.GET.get("programme")}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _may_evaluate(request.user, form):
        evaluation = services.create_evaluation(form.save(commit=False), request.user)
        messages.success(request, "Evaluation added to the register.")
        return redirect(evaluation)
    return render(request, "knowledge/evaluation_form.html", {"form": form, "evaluation": None})


@login_required
def evaluation_edit(request, pk: int):
    evaluation = get_object_or_404(Evaluation.private_objects, pk=pk)
    _require(request.user, permissions.EVALUATION_CHANGE, evaluation)
    form: VersionedForm = EvaluationForm(request.POST or None, instance=evaluation)
    if (
        request.method == "POST"
        and form.is_valid()
        and _may_evaluate(request.user, form)
        and form.save_checked(request.user)
    ):
        messages.success(request, "Your changes are saved.")
        return redirect(evaluation)
    context = {"form": form, "evaluation": evaluation}
    return render(request, "knowledge/evaluation_form.html", context)
