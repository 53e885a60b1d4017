"""Workspace pages common to every item: its history in words, and the administrators'
site-wide change log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from healthgap.publishing import services
from healthgap.publishing.changelog import ChangeLog
from healthgap.publishing.forms import ChangeLogFilters
from healthgap.publishing.history import item_history
from healthgap.publishing.permissions import VIEW_CHANGE_LOG

CHANGES_PER_PAGE = 50


def history_page(request, item, back_url: str):
    """An item's history page; the caller has checked the user may see the item."""
    context = {"item": item, "entries": item_history(item), "back_url": back_url}
    return render(request, "publishing/history.html", context)


def publish_and_return(request, item, success: str, publish=services.publish):
    """Publishes the item as the signed-in user (``publish``: an app's own service, if it has
    one) and goes back to the item, saying what happened; a refusal becomes an error message."""
    try:
        publish(item, request.user)
        messages.success(request, success)
    except services.PublicationError as error:
        messages.error(request, str(error))
    return redirect(item)


def withdraw_and_return(request, item, form, success: str, withdraw=services.withdraw):
    """Withdraws the item with the reason given in ``form`` (a withdraw form), as
    ``publish_and_return`` publishes: a missing reason is refused with its message."""
    try:
        if not form.is_valid():
            raise services.PublicationError(form.errors["reason"][0])
        withdraw(item, request.user, form.cleaned_data["reason"])
        messages.success(request, success)
    except services.PublicationError as error:
        messages.error(request, str(error))
    return redirect(item)


@login_required
def change_log(request):
    if not request.user.has_perm(VIEW_CHANGE_LOG):
        raise PermissionDenied("Only administrators can see the change log.")
    form = ChangeLogFilters(request.GET or None)
    page = Paginator(ChangeLog(form.filters()), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "publishing/change_log.html", context)
