from django.urls import path, re_path

from healthgap.web import account_views as account
from healthgap.web import indicator_pages, outcomes, practice_prevalence, practice_views, views

app_name = "web"

CODE = r"(?P<code>[A-Z]\d{8}|U\d{5})"  # GSS codes; primary care networks' ODS codes
PRACTICE = r"(?P<code>[A-Z]\d{5})"
FORMAT = r"(?P<fmt>json|csv|xlsx)"
INDICATOR = r"(?P<code>[\w-]+)"
PAGE = rf"(?P<page>{'|'.join(outcomes.BUILDERS)})"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/data", views.about_data, name="about_data"),
    path("search", views.search, name="search"),
    path("indicators/", indicator_pages.indicator_list, name="indicators"),
    re_path(rf"^indicators/{INDICATOR}$", indicator_pages.indicator_definition, name="indicator"),
    re_path(
        rf"^indicators/{INDICATOR}\.(?P<fmt>json)$",
        indicator_pages.indicator_definition,
        name="indicator_format",
    ),
    re_path(
        rf"^indicators/{INDICATOR}/(?P<table>[a-z_]+)\.{FORMAT}$",
        indicator_pages.indicator_table,
        name="indicator_table",
    ),
    path("about/accessibility", views.accessibility, name="accessibility"),
    re_path(rf"^areas/{CODE}$", views.area, name="area"),
    re_path(rf"^areas/{CODE}\.(?P<fmt>json)$", views.area, name="area_format"),
    re_path(rf"^areas/{CODE}/{PAGE}$", outcomes.outcome, name="outcome"),
    re_path(rf"^areas/{CODE}/{PAGE}\.(?P<fmt>json)$", outcomes.outcome, name="outcome_format"),
    re_path(
        rf"^areas/{CODE}/{PAGE}/(?P<table>[a-z_]+)\.{FORMAT}$",
        outcomes.outcome_table,
        name="outcome_table",
    ),
    re_path(rf"^areas/{CODE}/(?P<table>[a-z_]+)\.{FORMAT}$", views.area_table, name="area_table"),
    # GP practices (issue 12)
    path("practices/", practice_views.practice_index, name="practices"),
    re_path(rf"^practices/{PRACTICE}$", practice_views.practice, name="practice"),
    re_path(
        rf"^practices/{PRACTICE}\.(?P<fmt>json)$", practice_views.practice, name="practice_format"
    ),
    re_path(
        rf"^practices/{PRACTICE}/(?P<table>[a-z_]+)\.{FORMAT}$",
        practice_views.practice_table,
        name="practice_table",
    ),
    path(
        "workspace/practices/prevalence/",
        practice_prevalence.modelled_prevalence_list,
        name="modelled_prevalence",
    ),
    path(
        "workspace/practices/prevalence/new",
        practice_prevalence.modelled_prevalence_upload,
        name="modelled_prevalence_upload",
    ),
    # Accounts: signed-in pages
    path("workspace/", account.workspace_home, name="workspace"),
    path("account/sign-in", account.SignInView.as_view(), name="sign_in"),
    path("account/sign-out", account.SignOutView.as_view(), name="sign_out"),
    path("account/password", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/changed",
        account.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/password/reset", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password/reset/sent",
        account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done",
        account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/two-step/set-up", account.two_step_setup, name="two_step_setup"),
    path("account/two-step/verify", account.two_step_verify, name="two_step_verify"),
    path("account/two-step/required", account.two_step_required, name="two_step_required"),
]
