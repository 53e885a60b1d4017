"""The public view of peer challenges: published ones only (``Challenge.public_objects``), each
with its letter and the board's progress on the recommendations. The list and the progress are
data pages, with ``.json`` (and, for the progress table, ``.csv``) twins."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from healthgap.improvement import reports, services
from healthgap.improvement.models import Challenge
from healthgap.web.formats import DataTable, error_response, page_json, table_response

TITLE = "Peer challenges of the Health and Wellbeing Boards"
NOT_PUBLISHED = "There is no published peer challenge with this number."


def _published() -> list[Challenge]:
    return list(Challenge.public_objects.select_related("area").order_by("-visit_start", "title"))


def _challenge_table(challenges: list[Challenge]) -> DataTable:
    rows = [
        {
            "title": c.title,
            "board": c.area.name,
            "visit_start": c.visit_start.isoformat() if c.visit_start else None,
            "visit_end": c.visit_end.isoformat() if c.visit_end else None,
            "example": c.is_example,
            "url": reverse("public_peer_challenge", args=[c.pk]),
        }
        for c in challenges
    ]
    columns = [
        ("title", "Peer challenge"),
        ("board", "Board"),
        ("visit_start", "Visit from"),
        ("visit_end", "Visit to"),
        ("example", "Example data"),
    ]
    return DataTable("challenges", "Published peer challenges", columns, rows, {"title": "url"})


def challenges(request, fmt: str | None = None):
    table = _challenge_table(_published())
    if fmt == "json":
        return page_json(TITLE, [table])
    json_url = reverse("public_peer_challenges_format", args=["json"])
    context = {"title": TITLE, "table": table, "json_url": json_url}
    return render(request, "web/peer_challenges.html", context)


def _find(pk: int) -> Challenge | None:
    published = Challenge.public_objects.select_related("area", "framework", "lead")
    return published.filter(pk=pk).first()


def letter(request, pk: int):
    found = _find(pk)
    if found is None:
        return error_response(request, 404, NOT_PUBLISHED)
    return render(request, "web/peer_challenge_letter.html", reports.letter_context(found))


def progress_table(challenge: Challenge) -> DataTable:
    """One row per action on each recommendation (a recommendation without one has a row of its
    own): status, due date and the latest update with its evidence. A programme is named only
    once it is published."""
    rows = []
    for row in reports.progress_review_context(challenge)["progress"]:
        recommendation = row.recommendation
        base = {
            "number": recommendation.number,
            "recommendation": recommendation.text,
            "essential": recommendation.essential,
            "progress": row.summary,
        }
        for action in row.actions or [None]:
            rows.append({**base, **_action_columns(action)})
    columns = [
        ("number", "No."),
        ("recommendation", "Recommendation"),
        ("essential", "Essential"),
        ("progress", "Progress"),
        ("action", "Action"),
        ("status", "Status"),
        ("due_date", "Due"),
        ("programme", "Programme"),
        ("latest_update", "Latest update"),
        ("evidence", "Evidence"),
    ]
    return DataTable("progress", "Progress on the recommendations", columns, rows)


def _action_columns(action) -> dict:
    if action is None:
        return {}
    latest = services.latest_update(action)
    programme = action.programme
    return {
        "action": action.title,
        "status": action.get_status_display(),
        "due_date": action.due_date.isoformat(),
        "programme": programme.name if programme and programme.is_published else None,
        "latest_update": latest.text if latest else None,
        "evidence": (latest.evidence or None) if latest else None,
    }


def progress(request, pk: int, fmt: str | None = None):
    found = _find(pk)
    if found is None:
        return error_response(request, 404, NOT_PUBLISHED, fmt)
    table = progress_table(found)
    if fmt == "json":
        return page_json(f"Progress since the peer challenge: {found.title}", [table])
    if fmt == "csv":
        return table_response(table, fmt, f"peer-challenge-{found.pk}-progress")
    context = {
        "challenge": found,
        "table": table,
        "json_url": reverse("public_peer_challenge_progress_format", args=[found.pk, "json"]),
        "csv_url": reverse("public_peer_challenge_progress_format", args=[found.pk, "csv"]),
    }
    return render(request, "web/peer_challenge_progress.html", context)
