"""Workspace pages of peer challenges (sign-in required): the challenge, its visit, the board's
self-assessment, findings, recommendations, the letter (HTML and PDF), actions tracked to done,
the follow-up view and the progress-review report (HTML and PDF); and the frameworks.

Every page checks the user's permission on the challenge itself, so a peer reviewer opening a
challenge whose team does not name them gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from healthgap.accounts.permissions import is_internal
from healthgap.improvement import forms, permissions, reports, services
from healthgap.improvement.models import (
    Challenge,
    Finding,
    Framework,
    ImprovementAction,
    Question,
    Recommendation,
    SelfAssessment,
    VisitSession,
)
from healthgap.improvement.pdf import pdf_response
from healthgap.publishing import services as publishing
from healthgap.publishing.views import history_page, publish_and_return


def _require(user, perm: str, challenge: Challenge | None = None) -> None:
    if not user.has_perm(perm, challenge):
        raise PermissionDenied("You do not have permission to do this to this peer challenge.")


def _challenge(request, pk: int, perm: str = permissions.VIEW) -> Challenge:
    challenge = get_object_or_404(
        Challenge.private_objects.select_related("area", "framework", "lead"), pk=pk
    )
    _require(request.user, perm, challenge)
    return challenge


def _form_page(request, form, title: str, back: str, challenge=None, intro: str = ""):
    context = {"form": form, "title": title, "back": back, "challenge": challenge, "intro": intro}
    return render(request, "improvement/form.html", context)


def _saved_by_service(request, form, save) -> bool:
    """Runs ``save`` once the form is valid; a service's refusal goes back onto the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        form.refuse(error)
        return False
    return True


# The challenge ----------------------------------------------------------------------------------
@login_required
def challenge_list(request):
    user = request.user
    challenges = Challenge.private_objects.select_related("area", "lead")
    if not is_internal(user):
        challenges = challenges.filter(team__user=user).distinct()
    context = {"challenges": challenges, "can_add": user.has_perm(permissions.ADD)}
    return render(request, "improvement/challenge_list.html", context)


@login_required
def challenge_detail(request, pk: int):
    challenge = _challenge(request, pk)
    user = request.user
    context = {
        "challenge": challenge,
        "visit_in_words": services.visit_in_words(challenge),
        "assessments": reports.assessment_rows(challenge),
        "maturity": services.maturity_scores(challenge),
        "maturity_chart": reports.maturity_chart(challenge),
        "sections": reports.finding_sections(challenge),
        "recommendations": challenge.recommendations.all(),
        "can": {
            "change": user.has_perm(permissions.CHANGE, challenge),
            "record": user.has_perm(permissions.RECORD_VISIT, challenge),
            "assess": user.has_perm(permissions.ASSESS, challenge),
            "publish": user.has_perm(permissions.PUBLISH, challenge),
        },
    }
    return render(request, "improvement/challenge_detail.html", context)


@login_required
def challenge_new(request):
    _require(request.user, permissions.ADD)
    form = forms.ChallengeForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        challenge = publishing.create(form.save(commit=False), request.user)
        messages.success(request, f"Peer challenge “{challenge}” created as a draft.")
        return redirect(challenge)
    return _form_page(request, form, "Add a peer challenge", reverse("improvement:challenges"))


def _versioned_edit(request, pk: int, form_class, perm: str, title: str):
    challenge = _challenge(request, pk, perm)
    form = form_class(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid() and form.save_checked(request.user):
        messages.success(request, "Your changes are saved.")
        return redirect(challenge)
    return _form_page(request, form, title, challenge.get_absolute_url(), challenge)


@login_required
def challenge_edit(request, pk: int):
    return _versioned_edit(request, pk, forms.ChallengeForm, permissions.CHANGE, "Edit the scope")


@login_required
def visit_edit(request, pk: int):
    return _versioned_edit(request, pk, forms.VisitForm, permissions.RECORD_VISIT, "The visit")


@login_required
def letter_text_edit(request, pk: int):
    title = "Headline messages and next steps"
    return _versioned_edit(request, pk, forms.LetterTextForm, permissions.RECORD_VISIT, title)


def _add_part(request, pk: int, form_class, title: str):
    """A new team member or session of the visit timetable."""
    challenge = _challenge(request, pk, permissions.RECORD_VISIT)
    form = form_class(request.POST or None, initial={"version": 1})
    form.instance.challenge = challenge
    if request.method == "POST" and form.is_valid():
        services.add_part(form.save(commit=False), request.user)
        messages.success(request, "Added.")
        return redirect(challenge)
    return _form_page(request, form, title, challenge.get_absolute_url(), challenge)


@login_required
def team_add(request, pk: int):
    return _add_part(request, pk, forms.TeamMemberForm, "Add a member of the peer team")


@login_required
def session_add(request, pk: int):
    return _add_part(request, pk, forms.VisitSessionForm, "Add a session to the timetable")


@login_required
def focus_area_add(request, pk: int):
    challenge = _challenge(request, pk, permissions.CHANGE)
    form = forms.FocusAreaForm(request.POST or None)
    save = lambda: services.add_focus_area(challenge, form.cleaned_data["text"], request.user)  # noqa: E731
    if _saved_by_service(request, form, save):
        return redirect(challenge)
    return _form_page(request, form, "Add a focus area", challenge.get_absolute_url(), challenge)


# Editing and removing what the team recorded: findings and sessions ---------------------------
def _part(request, model, pk: int):
    """A finding or session, to someone who may record the visit of its challenge."""
    item = get_object_or_404(model.objects.select_related("challenge"), pk=pk)
    _require(request.user, permissions.RECORD_VISIT, item.challenge)
    return item


def _edit_part(request, model, pk: int, form_class, title: str, check=None):
    """A version-checked edit; ``check`` (a service's) refuses what spans items."""
    item = _part(request, model, pk)
    challenge = item.challenge
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            if check:
                check(form.instance)
            saved = form.save_checked(request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            saved = None
        if saved:
            messages.success(request, "Your changes are saved.")
            return redirect(challenge)
    return _form_page(request, form, title, challenge.get_absolute_url(), challenge)


def _remove_part(request, model, pk: int, noun: str):
    """Asks first; once confirmed, removes the item (its history keeps its text)."""
    item = _part(request, model, pk)
    challenge = item.challenge
    if request.method == "POST":
        services.remove_part(item, request.user)
        messages.success(request, f"The {noun} “{item}” is removed; the change log keeps it.")
        return redirect(challenge)
    context = {"item": item, "noun": noun, "challenge": challenge}
    return render(request, "improvement/confirm_remove.html", context)


@login_required
def finding_edit(request, pk: int):
    check = services.check_finding
    return _edit_part(request, Finding, pk, forms.FindingEditForm, "Edit the finding", check)


@login_required
def finding_remove(request, pk: int):
    return _remove_part(request, Finding, pk, "finding")


@login_required
def session_edit(request, pk: int):
    return _edit_part(request, VisitSession, pk, forms.VisitSessionForm, "Edit the session")


@login_required
def session_remove(request, pk: int):
    return _remove_part(request, VisitSession, pk, "session")


@login_required
def challenge_history(request, pk: int):
    challenge = _challenge(request, pk)
    return history_page(request, challenge, challenge.get_absolute_url())


@login_required
@require_POST
def challenge_publish(request, pk: int):
    challenge = _challenge(request, pk, permissions.PUBLISH)
    return publish_and_return(request, challenge, "The peer challenge is published.")


# Self-assessment --------------------------------------------------------------------------------
@login_required
def assess(request, pk: int, question_pk: int):
    challenge = _challenge(request, pk, permissions.ASSESS)
    question = get_object_or_404(Question, pk=question_pk)
    current = SelfAssessment.objects.filter(challenge=challenge, question=question).first()
    initial = {"rating": current.rating, "narrative": current.narrative} if current else None
    form = forms.AssessmentForm(request.POST or None, initial=initial)

    def save():
        data = form.cleaned_data
        services.assess(challenge, question, data["rating"], data["narrative"], request.user)

    if _saved_by_service(request, form, save):
        messages.success(request, "The self-assessment is saved.")
        return redirect(challenge)
    return _form_page(request, form, f"Self-assessment: {question}", challenge.get_absolute_url())


@login_required
def evidence_add(request, pk: int, assessment_pk: int):
    challenge = _challenge(request, pk, permissions.ASSESS)
    assessment = get_object_or_404(SelfAssessment, pk=assessment_pk, challenge=challenge)
    form = forms.EvidenceForm(request.POST or None)

    def save():
        services.add_evidence(assessment, request.user, **form.cleaned_data)

    if _saved_by_service(request, form, save):
        messages.success(request, "The evidence is linked.")
        return redirect(challenge)
    title = f"Link evidence: {assessment.question}"
    return _form_page(request, form, title, challenge.get_absolute_url(), challenge)


# Findings, recommendations and the letter -------------------------------------------------------
@login_required
def finding_add(request, pk: int):
    challenge = _challenge(request, pk, permissions.RECORD_VISIT)
    form = forms.FindingForm(challenge, request.POST or None)

    def save():
        data = form.cleaned_data
        target = form.heading_target()
        question = challenge.framework.questions.filter(pk=target.get("question_id")).first()
        focus_area = challenge.focus_areas.filter(pk=target.get("focus_area_id")).first()
        services.add_finding(
            challenge, request.user, data["kind"], data["text"], question, focus_area
        )

    if _saved_by_service(request, form, save):
        messages.success(request, "The finding is added.")
        return redirect(challenge)
    return _form_page(request, form, "Add a finding", challenge.get_absolute_url(), challenge)


@login_required
def recommendation_add(request, pk: int):
    challenge = _challenge(request, pk, permissions.RECORD_VISIT)
    form = forms.RecommendationForm(request.POST or None)

    def save():
        data = form.cleaned_data
        services.add_recommendation(challenge, data["text"], data["essential"], request.user)

    if _saved_by_service(request, form, save):
        messages.success(request, "The recommendation is added.")
        return redirect(challenge)
    back = challenge.get_absolute_url()
    return _form_page(request, form, "Add a recommendation", back, challenge)


@login_required
def letter(request, pk: int, fmt: str = "html"):
    challenge = _challenge(request, pk)
    context = reports.letter_context(challenge)
    if fmt == "pdf":
        return pdf_response("improvement/letter_print.html", context, "letter.pdf", request)
    return render(request, "improvement/letter.html", context)


# Actions and follow-up --------------------------------------------------------------------------
def _recommendation(request, pk: int, perm: str = permissions.VIEW) -> Recommendation:
    recommendation = get_object_or_404(Recommendation.objects.select_related("challenge"), pk=pk)
    _require(request.user, perm, recommendation.challenge)
    return recommendation


@login_required
def recommendation_detail(request, pk: int):
    recommendation = _recommendation(request, pk)
    challenge = recommendation.challenge
    can_track = request.user.has_perm(permissions.TRACK, challenge)
    form = forms.ActionForm(request.POST or None) if can_track else None
    if request.method == "POST":
        _require(request.user, permissions.TRACK, challenge)

        def save():
            services.add_action(recommendation, request.user, **form.cleaned_data)

        if _saved_by_service(request, form, save):
            messages.success(request, "The action is added.")
            return redirect(recommendation)
    context = {
        "recommendation": recommendation,
        "challenge": challenge,
        "actions": recommendation.actions.select_related("owner", "programme"),
        "form": form,
    }
    return render(request, "improvement/recommendation_detail.html", context)


@login_required
def action_detail(request, pk: int):
    action = get_object_or_404(
        ImprovementAction.objects.select_related("recommendation__challenge", "owner"), pk=pk
    )
    challenge = action.recommendation.challenge
    _require(request.user, permissions.VIEW, challenge)
    may_update = request.user.has_perm(permissions.TRACK, challenge) or (
        action.owner_id == request.user.pk
    )
    form = forms.ProgressForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied("Only the action's owner or a board officer can update it.")

        def save():
            services.record_progress(action, request.user, **form.cleaned_data)

        if _saved_by_service(request, form, save):
            messages.success(request, "The update is saved.")
            return redirect(action)
    context = {"action": action, "challenge": challenge, "form": form if may_update else None}
    return render(request, "improvement/action_detail.html", context)


@login_required
def follow_up(request, pk: int):
    challenge = _challenge(request, pk)
    context = {"challenge": challenge, "progress": services.progress(challenge)}
    return render(request, "improvement/follow_up.html", context)


@login_required
def progress_review(request, pk: int, fmt: str = "html"):
    challenge = _challenge(request, pk)
    context = reports.progress_review_context(challenge)
    if fmt == "pdf":
        template = "improvement/progress_review_print.html"
        return pdf_response(template, context, "progress-review.pdf", request)
    return render(request, "improvement/progress_review.html", context)


# Frameworks -------------------------------------------------------------------------------------
@login_required
def framework_list(request):
    _require(request.user, permissions.VIEW)
    return render(
        request, "improvement/framework_list.html", {"frameworks": Framework.objects.all()}
    )


@login_required
def framework_detail(request, pk: int):
    _require(request.user, permissions.VIEW)
    framework = get_object_or_404(Framework, pk=pk)
    can_edit = request.user.has_perm(permissions.EDIT_FRAMEWORK)
    form = forms.QuestionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        _require(request.user, permissions.EDIT_FRAMEWORK)

        def save():
            lines = form.descriptor_lines()
            services.add_question(framework, form.cleaned_data["text"], request.user, lines)

        if _saved_by_service(request, form, save):
            messages.success(request, "The question is added.")
            return redirect(framework)
    context = {"framework": framework, "form": form}
    return render(request, "improvement/framework_detail.html", context)
