"""Modelled prevalence estimates in the workspace: every internal user sees them; analysts and
administrators upload one (a CSV by condition, age band and sex) for case finding. A bad file
is refused with every problem named by row and column, and nothing is saved."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from healthgap.ingest.errors import IngestError
from healthgap.ingest.modelled_prevalence import import_modelled_prevalence
from healthgap.ingest.values import run_by
from healthgap.practices import permissions
from healthgap.practices.models import ModelledPrevalence

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a model by condition, age band and sex is a few kB


class ModelledPrevalenceForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="For example “OHID hypertension prevalence estimates 2023”. A file under a "
        "name already used replaces that estimate's figures.",
    )
    source = forms.CharField(max_length=300, required=False, help_text="Who modelled it, and when.")
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the columns condition (QOF code, e.g. HYP), age_band (e.g. "
        "16-44 or 75+), sex (Male, Female or Persons) and prevalence (a percentage).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: is it the right file?")
        return upload


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("You do not have permission to do this.")


@login_required
def modelled_prevalence_list(request):
    _require(request.user, permissions.VIEW_MODELLED)
    estimates = ModelledPrevalence.objects.select_related("import_record").prefetch_related("rates")
    context = {
        "estimates": [
            {"estimate": e, "conditions": sorted({r.condition for r in e.rates.all()})}
            for e in estimates
        ],
        "can_upload": request.user.has_perm(permissions.UPLOAD_MODELLED),
    }
    return render(request, "web/practices/modelled_prevalence.html", context)


@login_required
def modelled_prevalence_upload(request):
    _require(request.user, permissions.UPLOAD_MODELLED)
    form = ModelledPrevalenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        estimate = _saved(form, request.user)
        if estimate is not None:
            messages.success(request, f"“{estimate}” is saved: case finding can now use it.")
            return redirect("web:modelled_prevalence")
    return render(request, "web/practices/modelled_prevalence_upload.html", {"form": form})


def _saved(form: ModelledPrevalenceForm, user) -> ModelledPrevalence | None:
    """The estimate, read from a copy of the upload under its own name (for the messages and
    the import record); the file's problems go on the form."""
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with open(path, "wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        try:
            with run_by(user):
                return import_modelled_prevalence(
                    path, form.cleaned_data["name"], form.cleaned_data["source"]
                )
        except IngestError as error:
            for problem in error.problems:
                form.add_error("file", f"{path.name}, {problem.describe()}")
    return None
