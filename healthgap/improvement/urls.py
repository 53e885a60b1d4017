from django.urls import path

from healthgap.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.challenge_list, name="challenges"),
    path("new", views.challenge_new, name="challenge_new"),
    path("<int:pk>", views.challenge_detail, name="challenge"),
    path("<int:pk>/edit", views.challenge_edit, name="challenge_edit"),
    path("<int:pk>/visit", views.visit_edit, name="visit_edit"),
    path("<int:pk>/team/new", views.team_add, name="team_add"),
    path("<int:pk>/sessions/new", views.session_add, name="session_add"),
    path("<int:pk>/focus-areas/new", views.focus_area_add, name="focus_area_add"),
    path("<int:pk>/assess/<int:question_pk>", views.assess, name="assess"),
    path("<int:pk>/evidence/<int:assessment_pk>/new", views.evidence_add, name="evidence_add"),
    path("<int:pk>/findings/new", views.finding_add, name="finding_add"),
    path("<int:pk>/recommendations/new", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/letter-text", views.letter_text_edit, name="letter_text_edit"),
    path("<int:pk>/letter", views.letter, name="letter"),
    path("<int:pk>/letter.pdf", views.letter, {"fmt": "pdf"}, name="letter_pdf"),
    path("<int:pk>/follow-up", views.follow_up, name="follow_up"),
    path("<int:pk>/progress-review", views.progress_review, name="progress_review"),
    path(
        "<int:pk>/progress-review.pdf",
        views.progress_review,
        {"fmt": "pdf"},
        name="progress_review_pdf",
    ),
    path("<int:pk>/history", views.challenge_history, name="challenge_history"),
    path("<int:pk>/publish", views.challenge_publish, name="challenge_publish"),
    path("findings/<int:pk>/edit", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/remove", views.finding_remove, name="finding_remove"),
    path("sessions/<int:pk>/edit", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/remove", views.session_remove, name="session_remove"),
    path("recommendations/<int:pk>", views.recommendation_detail, name="recommendation"),
    path("actions/<int:pk>", views.action_detail, name="action"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<int:pk>", views.framework_detail, name="framework"),
]
