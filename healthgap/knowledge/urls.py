from django.urls import path

from healthgap.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("new", views.document_new, name="document_new"),
    path("<int:pk>", views.document_detail, name="document"),
    path("<int:pk>/edit", views.document_edit, name="document_edit"),
    path("<int:pk>/file", views.document_file, name="document_file"),
    path("<int:pk>/history", views.document_history, name="document_history"),
    path("<int:pk>/publish", views.document_publish, name="document_publish"),
    path("<int:pk>/withdraw", views.document_withdraw, name="document_withdraw"),
    path("review", views.review_list, name="review"),
    path("coverage", views.coverage_grid, name="coverage"),
    path("evaluations/", views.evaluation_list, name="evaluations"),
    path("evaluations/new", views.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:pk>", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/edit", views.evaluation_edit, name="evaluation_edit"),
]
