"""Published board meetings in the open-data API (``Meeting.public_objects``): the meeting, its
agenda items with their decisions and papers, and attendance, as the public meeting page shows
them; and every decision of the published meetings as one list."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.urls import reverse
from ninja import Path, Query, Router
from pydantic import field_validator

from healthgap.api import schemas
from healthgap.api.common import DOWNLOADS, ERRORS, MAX_ID, Paging, answer
from healthgap.api.envelope import licensed, paged
from healthgap.board.models import AgendaItem, Meeting

router = Router(tags=["meetings"])


class MeetingFilters(Paging):
    committee: int | None = Query(None, ge=1, le=MAX_ID, description="Id of the board or group")
    since: date | None = Query(None, description="Meetings on or after this day")
    until: date | None = Query(None, description="Meetings on or before this day")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _iso_day(cls, day):
        """A day as YYYY-MM-DD only (pydantic would also take a number of seconds)."""
        return date.fromisoformat(day) if isinstance(day, str) else day


def _published(filters: MeetingFilters):
    found = Meeting.public_objects.select_related("committee").order_by("-starts_at", "pk")
    if filters.committee is not None:
        found = found.filter(committee_id=filters.committee)
    if filters.since is not None:
        found = found.filter(starts_at__date__gte=filters.since)
    if filters.until is not None:
        found = found.filter(starts_at__date__lte=filters.until)
    return found


def _meeting(request, meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "committee": meeting.committee.name,
        "committee_id": meeting.committee_id,
        "kind": meeting.kind,
        "kind_name": meeting.get_kind_display(),
        "starts_at": meeting.starts_at,
        "location": meeting.location,
        "is_example": meeting.committee.is_example,
        "published_at": meeting.published_at,
        "url": request.build_absolute_uri(reverse("api-v1:meeting", args=[meeting.pk])),
        "page_url": request.build_absolute_uri(reverse("public_meeting", args=[meeting.pk])),
    }


def _item(request, item: AgendaItem) -> dict:
    papers = [
        {
            "title": paper.title,
            "size_bytes": paper.size_bytes,
            "url": request.build_absolute_uri(reverse("board:paper", args=[paper.pk])),
        }
        for paper in item.papers.all()
    ]
    return {
        "number": item.number,
        "title": item.title,
        "theme": item.theme_label,
        "item_type": item.get_item_type_display(),
        "decision": item.decision,
        "from_committee": item.from_committee.name if item.from_committee else None,
        "papers": papers,
    }


def _meeting_detail(request, meeting: Meeting) -> dict:
    items = meeting.items.select_related("priority", "from_committee").prefetch_related("papers")
    attendance = [
        {
            "member": row.member.name,
            "status": row.get_status_display(),
            "substitute": row.substitute,
        }
        for row in meeting.attendance.select_related("member")
    ]
    return {
        **_meeting(request, meeting),
        "items": [_item(request, item) for item in items],
        "attendance": attendance,
    }


@router.get(
    "/meetings",
    response={200: schemas.MeetingPage, **ERRORS},
    url_name="meetings",
    openapi_extra=DOWNLOADS,
)
def meetings(request, filters: Query[MeetingFilters]):
    """The board's and its groups' published meetings, latest first."""
    page, total = paged(_published(filters), filters.page, filters.page_size)
    rows = [_meeting(request, meeting) for meeting in page]
    return answer(request, "meetings", "Published meetings", rows, total, filters)


@router.get(
    "/meetings/{meeting_id}",
    response={200: schemas.MeetingAnswer, **ERRORS},
    url_name="meeting",
)
def meeting(request, meeting_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published meeting: its agenda (each item's decision and papers) and attendance."""
    found = Meeting.public_objects.select_related("committee").filter(pk=meeting_id).first()
    if found is None:
        raise Http404(f"No published meeting has the id {meeting_id}.")
    return licensed({"result": _meeting_detail(request, found)})


def _decision(request, item: AgendaItem) -> dict:
    return {
        "meeting": item.meeting_id,
        "committee": item.meeting.committee.name,
        "starts_at": item.meeting.starts_at,
        "number": item.number,
        "title": item.title,
        "theme": item.theme_label,
        "decision": item.decision,
        "meeting_url": request.build_absolute_uri(
            reverse("api-v1:meeting", args=[item.meeting_id])
        ),
    }


@router.get(
    "/decisions",
    response={200: schemas.DecisionPage, **ERRORS},
    url_name="decisions",
    openapi_extra=DOWNLOADS,
)
def decisions(request, filters: Query[MeetingFilters]):
    """Every decision recorded on an agenda item of a published meeting, latest first."""
    found = (
        AgendaItem.objects.filter(meeting__in=_published(filters))
        .exclude(decision="")
        .select_related("meeting__committee", "priority")
        .order_by("-meeting__starts_at", "meeting_id", "number")
    )
    page, total = paged(found, filters.page, filters.page_size)
    rows = [_decision(request, item) for item in page]
    return answer(request, "decisions", "Decisions of published meetings", rows, total, filters)
