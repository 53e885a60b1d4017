from django.urls import path

from healthgap.board import views

app_name = "board"

urlpatterns = [
    path("", views.committee_list, name="committees"),
    path("new", views.committee_new, name="committee_new"),
    path("<int:pk>/edit", views.committee_edit, name="committee_edit"),
    path("<int:pk>/members/new", views.member_new, name="member_new"),
    path("members/<int:pk>/edit", views.member_edit, name="member_edit"),
    path("<int:pk>/meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("<int:pk>/meetings/new", views.plan_meeting, name="plan_meeting"),
    path("<int:pk>/actions", views.action_log, name="actions"),
    path("members/<int:pk>", views.member_register, name="member"),
    path("meetings/<int:pk>", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance", views.record_attendance, name="record_attendance"),
    path("meetings/<int:pk>/items/new", views.add_item, name="add_item"),
    path("meetings/<int:pk>/publish", views.publish_meeting, name="publish_meeting"),
    path("meetings/<int:pk>/withdraw", views.withdraw_meeting, name="withdraw_meeting"),
    path("items/<int:pk>", views.item_detail, name="item"),
    path("items/<int:pk>/declare", views.declare, name="declare"),
    path("items/<int:pk>/papers", views.upload_paper, name="upload_paper"),
    path("papers/<int:pk>", views.paper_download, name="paper"),
]
