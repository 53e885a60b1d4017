from django.urls import path

from healthgap.web import delivery_plan_views as views

app_name = "plan"

urlpatterns = [
    path("", views.strategy_list, name="strategies"),
    path("<int:pk>", views.strategy_detail, name="strategy"),
    path("<int:pk>/report", views.report_new, name="report_new"),
    path("<int:pk>.xlsx", views.strategy_xlsx, name="strategy_xlsx"),
    path("measures/<int:pk>", views.measure_detail, name="measure"),
    path("measures/<int:pk>/target", views.measure_target, name="measure_target"),
    path("trajectory/<int:pk>", views.trajectory_point, name="trajectory_point"),
    path("reports/<int:pk>", views.report_detail, name="report"),
    path("reports/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/publish", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/withdraw", views.report_withdraw, name="report_withdraw"),
]
