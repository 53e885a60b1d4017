from django.urls import path, re_path

from healthgap.web import indicator_pages, outcomes, views

app_name = "web"

CODE = r"(?P<code>[A-Z]\d{8})"
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
]
