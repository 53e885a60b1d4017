"""The API's URLs: version 1 under /api/v1/ (the root URLconf mounts this at /api/)."""

from django.urls import path

from healthgap.api.v1 import api

urlpatterns = [
    path("v1/", api.urls),
]
