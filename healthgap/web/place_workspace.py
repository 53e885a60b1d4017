"""Places and routes in the workspace (sign-in required): analysts define, change, publish and
withdraw them; every internal user may look at them. The public page is in ``place_views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from healthgap.accounts.permissions import is_analyst
from healthgap.places import permissions
from healthgap.places import services as places
from healthgap.places.forms import PlaceForm
from healthgap.places.models import Place
from healthgap.publishing.forms import WithdrawForm
from healthgap.publishing.services import StaleEdit
from healthgap.publishing.views import history_page, publish_and_return, withdraw_and_return
from healthgap.web.place_pages import never_stored_for_analysts, place_content


def _require(user, perm: str, place: Place | None = None) -> None:
    if not user.has_perm(perm, place):
        raise PermissionDenied("You do not have permission to do this to this place.")


def _place(request, pk: int, perm: str = permissions.VIEW) -> Place:
    place = get_object_or_404(Place.private_objects.select_related("city"), pk=pk)
    _require(request.user, perm, place)
    return place


@login_required
def place_list(request):
    _require(request.user, permissions.VIEW)
    context = {
        "places": Place.private_objects.select_related("city", "created_by"),
        "can_add": request.user.has_perm(permissions.ADD),
    }
    return render(request, "web/places/list.html", context)


def _saved(form: PlaceForm, save) -> Place | None:
    """Runs ``save`` (define or change); a member problem or a stale edit goes on the form."""
    try:
        return save(form.definition())
    except places.PlaceError as error:
        form.add_error(error.field, str(error))
    except StaleEdit as stale:
        form.refuse_stale(stale)
    return None


@login_required
def place_new(request):
    _require(request.user, permissions.ADD)
    form = PlaceForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        place = _saved(form, lambda definition: places.define_place(definition, request.user))
        if place:
            messages.success(request, f"“{place}” is saved as a draft.")
            return redirect(place)
    return render(request, "web/places/form.html", {"form": form, "place": None})


@login_required
def place_edit(request, pk: int):
    place = _place(request, pk, permissions.CHANGE)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        saved = _saved(
            form, lambda definition: places.change_place(place, definition, request.user, version)
        )
        if saved:
            messages.success(request, "Your changes are saved.")
            return redirect(saved)
    return render(request, "web/places/form.html", {"form": form, "place": place})


@login_required
def place_detail(request, pk: int):
    place = _place(request, pk)
    user = request.user
    context = {
        "place": place,
        "content": place_content(place, unsuppressed=is_analyst(user)),
        "can_change": user.has_perm(permissions.CHANGE, place),
        "can_publish": user.has_perm(permissions.PUBLISH, place),
        "withdraw_form": WithdrawForm(),
        "public_url": request.build_absolute_uri(reverse("places:public_place", args=[pk])),
    }
    return never_stored_for_analysts(request, render(request, "web/places/detail.html", context))


@login_required
def place_history(request, pk: int):
    place = _place(request, pk)
    return history_page(request, place, place.get_absolute_url())


@login_required
@require_POST
def place_publish(request, pk: int):
    place = _place(request, pk, permissions.PUBLISH)
    return publish_and_return(
        request, place, "Published: anyone with the address can see it.", places.publish_place
    )


@login_required
@require_POST
def place_withdraw(request, pk: int):
    place = _place(request, pk, permissions.PUBLISH)
    return withdraw_and_return(
        request,
        place,
        WithdrawForm(request.POST),
        "Withdrawn from the public site.",
        places.withdraw_place,
    )
