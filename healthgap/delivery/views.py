"""Workspace pages for programmes (sign-in required): list, detail, new, edit (version
checked), history, publish and withdraw; milestones and updates by the programme's lead, and
the approval of updates by a board officer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from healthgap.delivery import permissions
from healthgap.delivery import services as delivery
from healthgap.delivery.forms import MilestoneForm, ProgrammeForm, UpdateForm
from healthgap.delivery.models import Milestone, Programme, ProgrammeUpdate
from healthgap.delivery.targets import TargetError
from healthgap.publishing import services
from healthgap.publishing.forms import WithdrawForm
from healthgap.publishing.views import history_page, publish_and_return, withdraw_and_return


def _require(user, perm: str, programme: Programme | None = None) -> None:
    if not user.has_perm(perm, programme):
        raise PermissionDenied("You do not have permission to do this to this programme.")


def _programme(request, pk: int, perm: str = permissions.VIEW) -> Programme:
    programme = get_object_or_404(Programme.private_objects.select_related("lead"), pk=pk)
    _require(request.user, perm, programme)
    return programme


@login_required
def programme_list(request):
    _require(request.user, permissions.VIEW)
    programmes = Programme.private_objects.select_related("lead").order_by("name")
    context = {"programmes": programmes, "can_add": request.user.has_perm(permissions.ADD)}
    return render(request, "delivery/programme_list.html", context)


@login_required
def programme_detail(request, pk: int):
    programme = _programme(request, pk)
    user = request.user
    today = timezone.localdate()
    milestones = list(programme.milestones.select_related("owner"))
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue_on(today)
    context = {
        "programme": programme,
        "can_change": user.has_perm(permissions.CHANGE, programme),
        "can_publish": user.has_perm(permissions.PUBLISH, programme),
        "can_update": user.has_perm(permissions.UPDATE_PROGRAMME, programme),
        "can_approve": user.has_perm(permissions.APPROVE_UPDATE),
        "withdraw_form": WithdrawForm(),
        "update_form": UpdateForm(),
        "milestones": milestones,
        "updates": programme.updates.select_related("author"),
        "claims": programme.claims.select_related("measure__indicator"),
        "priorities": programme.priorities.select_related("strategy"),
        "plans": programme.plans.all(),
    }
    return render(request, "delivery/programme_detail.html", context)


@login_required
def programme_new(request):
    _require(request.user, permissions.ADD)
    form = ProgrammeForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        programme = services.create(form.save(commit=False), request.user)
        messages.success(request, f"Programme “{programme}” created as a draft.")
        return redirect(programme)
    return render(request, "delivery/programme_form.html", {"form": form, "programme": None})


@login_required
def programme_edit(request, pk: int):
    programme = _programme(request, pk, permissions.CHANGE)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid() and form.save_checked(request.user):
        messages.success(request, "Your changes are saved.")
        return redirect(programme)
    return render(request, "delivery/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_history(request, pk: int):
    programme = _programme(request, pk)
    return history_page(request, programme, programme.get_absolute_url())


@login_required
@require_POST
def programme_publish(request, pk: int):
    programme = _programme(request, pk, permissions.PUBLISH)
    return publish_and_return(
        request, programme, "The programme is published: the public can see it."
    )


@login_required
@require_POST
def programme_withdraw(request, pk: int):
    programme = _programme(request, pk, permissions.PUBLISH)
    return withdraw_and_return(
        request,
        programme,
        WithdrawForm(request.POST),
        "The programme is withdrawn from the public site.",
    )


@login_required
def milestone_new(request, pk: int):
    programme = _programme(request, pk, permissions.UPDATE_PROGRAMME)
    form = MilestoneForm(request.POST or None, initial={"version": 1, "owner": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            delivery.add_milestone(programme, form.save(commit=False), request.user)
            messages.success(request, "The milestone is added.")
            return redirect(programme)
        except TargetError as error:
            form.add_error(error.field, str(error))
    context = {"form": form, "programme": programme, "milestone": None}
    return render(request, "delivery/milestone_form.html", context)


def _milestone(request, pk: int, perm: str) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.select_related("programme"), pk=pk)
    _require(request.user, perm, milestone.programme)
    return milestone


@login_required
def milestone_edit(request, pk: int):
    milestone = _milestone(request, pk, permissions.UPDATE_PROGRAMME)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid() and form.save_checked(request.user):
        messages.success(request, f"The milestone “{milestone.title}” is saved.")
        return redirect(milestone.programme)
    context = {"form": form, "programme": milestone.programme, "milestone": milestone}
    return render(request, "delivery/milestone_form.html", context)


@login_required
def milestone_history(request, pk: int):
    milestone = _milestone(request, pk, permissions.VIEW)
    return history_page(request, milestone, milestone.programme.get_absolute_url())


@login_required
@require_POST
def update_new(request, pk: int):
    programme = _programme(request, pk, permissions.UPDATE_PROGRAMME)
    form = UpdateForm(request.POST)
    if form.is_valid():
        delivery.record_update(programme, request.user, form.cleaned_data["commentary"])
        messages.success(
            request, "Your update is saved; a board officer approves it for the public."
        )
    else:
        messages.error(request, form.errors["commentary"][0])
    return redirect(programme)


@login_required
@require_POST
def update_approve(request, pk: int):
    update = get_object_or_404(ProgrammeUpdate.private_objects.select_related("programme"), pk=pk)
    _require(request.user, permissions.APPROVE_UPDATE, update)
    try:
        services.publish(update, request.user)
        messages.success(request, "The update is approved and public.")
    except services.PublicationError as error:
        messages.error(request, str(error))
    return redirect(update.programme)
