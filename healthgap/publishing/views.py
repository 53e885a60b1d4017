"""Workspace pages common to every item: its history in words, and the administrators'
site-wide change log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from healthgap.publishing.changelog import ChangeLog
from healthgap.publishing.forms import ChangeLogFilters
from healthgap.publishing.history import item_history
from healthgap.publishing.permissions import VIEW_CHANGE_LOG

CHANGES_PER_PAGE = 50


def history_page(request, item, back_url: str):
    """An item's history page; the caller has checked the user may see the item."""
    context = {"item": item, "entries": item_history(item), "back_url": back_url}
    return render(request, "publishing/history.html", context)


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
