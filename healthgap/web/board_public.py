"""The public view of board meetings: published meetings only (``Meeting.public_objects``), with
their agendas, papers, linked published documents, decisions and attendance."""

from django.db.models import Prefetch
from django.shortcuts import render

from healthgap.board.models import Meeting
from healthgap.knowledge.models import Document
from healthgap.web.formats import error_response


def meetings(request):
    published = Meeting.public_objects.select_related("committee").order_by("-starts_at")
    return render(request, "web/board_meetings.html", {"meetings": published})


def meeting(request, pk: int):
    found = Meeting.public_objects.select_related("committee").filter(pk=pk).first()
    if found is None:
        return error_response(request, 404, "No published meeting with this number.")
    context = {
        "meeting": found,
        "items": found.items.select_related("priority").prefetch_related(
            "papers", Prefetch("documents", Document.public_objects.all(), "published_documents")
        ),
        "attendance": found.attendance.select_related("member__organisation"),
    }
    return render(request, "web/board_meeting.html", context)
