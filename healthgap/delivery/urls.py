from django.urls import path

from healthgap.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("new", views.programme_new, name="programme_new"),
    path("<int:pk>", views.programme_detail, name="programme"),
    path("<int:pk>/edit", views.programme_edit, name="programme_edit"),
    path("<int:pk>/history", views.programme_history, name="programme_history"),
    path("<int:pk>/publish", views.programme_publish, name="programme_publish"),
    path("<int:pk>/withdraw", views.programme_withdraw, name="programme_withdraw"),
    path("<int:pk>/milestones/new", views.milestone_new, name="milestone_new"),
    path("milestones/<int:pk>/edit", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/history", views.milestone_history, name="milestone_history"),
    path("<int:pk>/updates/new", views.update_new, name="update_new"),
    path("updates/<int:pk>/approve", views.update_approve, name="update_approve"),
]
