from django.contrib import admin
from django.urls import include, path, re_path

from healthgap.publishing.views import change_log
from healthgap.web import (
    before_after,
    board,
    board_public,
    board_reports_public,
    peer_challenges,
    programmes,
)

urlpatterns = [
    path("admin/", admin.site.urls),
    # Publishing and the delivery plan: the workspace (signed in) and the public programmes page.
    path("workspace/programmes/", include("healthgap.delivery.urls")),
    path("workspace/changes/", change_log, name="change_log"),
    # The delivery plan: strategies, measures and targets, the board's performance reports.
    path("workspace/strategies/", include("healthgap.web.delivery_plan_urls")),
    path("programmes/", programmes.programmes, name="programmes"),
    re_path(r"^programmes\.(?P<fmt>json)$", programmes.programmes, name="programmes_format"),
    # Published board performance reports (dated snapshots) and their PDFs.
    path("programmes/reports/", board_reports_public.reports, name="public_reports"),
    re_path(
        r"^programmes/reports\.(?P<fmt>json)$",
        board_reports_public.reports,
        name="public_reports_format",
    ),
    path("programmes/reports/<int:pk>", board_reports_public.report, name="public_report"),
    path(
        "programmes/reports/<int:pk>.pdf",
        board_reports_public.report_pdf,
        name="public_report_pdf",
    ),
    # Board governance: the workspace (signed in; the landing page with its charts is in web)
    # and the public view of published meetings.
    path("workspace/board/", include("healthgap.board.urls")),
    path("workspace/board/<int:pk>/", board.board_home, name="board_home"),
    re_path(
        r"^workspace/board/(?P<pk>\d+)/(?P<table>[a-z]+)\.(?P<fmt>json|csv|xlsx)$",
        board.board_home,
        name="board_home_table",
    ),
    path("meetings/", board_public.meetings, name="public_meetings"),
    path("meetings/<int:pk>", board_public.meeting, name="public_meeting"),
    # Improvement: peer challenges, their letters and recommendations tracked to done.
    path("workspace/improvement/", include("healthgap.improvement.urls")),
    path("peer-challenges/", peer_challenges.challenges, name="public_peer_challenges"),
    re_path(
        r"^peer-challenges\.(?P<fmt>json)$",
        peer_challenges.challenges,
        name="public_peer_challenges_format",
    ),
    path("peer-challenges/<int:pk>", peer_challenges.letter, name="public_peer_challenge"),
    path(
        "peer-challenges/<int:pk>/progress",
        peer_challenges.progress,
        name="public_peer_challenge_progress",
    ),
    re_path(
        r"^peer-challenges/(?P<pk>\d+)/progress\.(?P<fmt>json|csv)$",
        peer_challenges.progress,
        name="public_peer_challenge_progress_format",
    ),
    # The knowledge hub: the workspace (signed in) and the public hub of published documents.
    path("workspace/knowledge/", include("healthgap.knowledge.urls")),
    path("knowledge/", include("healthgap.web.knowledge_urls")),
    path(
        "workspace/knowledge/programmes/<int:pk>/before-after",
        before_after.before_after,
        name="before_after",
    ),
    re_path(
        r"^workspace/knowledge/programmes/(?P<pk>\d+)/before-after\.(?P<fmt>json|csv)$",
        before_after.before_after,
        name="before_after_format",
    ),
    # The open-data API (issue 17).
    path("api/", include("healthgap.api.urls")),
    # Places and routes of the user's own (issue 12): workspace and public pages.
    path("", include("healthgap.web.place_urls")),
    # The public site.
    path("", include("healthgap.web.urls")),
]

handler404 = "healthgap.web.views.not_found"
handler500 = "healthgap.web.views.server_error"
handler403 = "healthgap.web.account_views.forbidden"
