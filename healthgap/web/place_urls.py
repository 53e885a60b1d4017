from django.urls import path, re_path

from healthgap.web import place_views as public
from healthgap.web import place_workspace as views

app_name = "places"
FORMAT = r"(?P<fmt>json|csv|xlsx)"

urlpatterns = [
    # The workspace (signed in)
    path("workspace/places/", views.place_list, name="places"),
    path("workspace/places/new", views.place_new, name="place_new"),
    path("workspace/places/<int:pk>", views.place_detail, name="place"),
    path("workspace/places/<int:pk>/edit", views.place_edit, name="place_edit"),
    path("workspace/places/<int:pk>/history", views.place_history, name="place_history"),
    path("workspace/places/<int:pk>/publish", views.place_publish, name="place_publish"),
    path("workspace/places/<int:pk>/withdraw", views.place_withdraw, name="place_withdraw"),
    # The public site: published places only
    path("places/", public.public_place_list, name="public_places"),
    path("places/<int:pk>", public.public_place, name="public_place"),
    re_path(
        r"^places/(?P<pk>\d+)\.(?P<fmt>json)$", public.public_place, name="public_place_format"
    ),
    re_path(
        rf"^places/(?P<pk>\d+)/(?P<table>[a-z_]+)\.{FORMAT}$",
        public.public_place_table,
        name="public_place_table",
    ),
]
