from django.contrib import admin
from django.urls import include, path, re_path

from healthgap.publishing.views import change_log
from healthgap.web import programmes

urlpatterns = [
    path("admin/", admin.site.urls),
    # Publishing and the delivery plan: the workspace (signed in) and the public programmes page.
    path("workspace/programmes/", include("healthgap.delivery.urls")),
    path("workspace/changes/", change_log, name="change_log"),
    path("programmes/", programmes.programmes, name="programmes"),
    re_path(r"^programmes\.(?P<fmt>json)$", programmes.programmes, name="programmes_format"),
    # The open-data API (issue 17).
    path("api/", include("healthgap.api.urls")),
    # The public site.
    path("", include("healthgap.web.urls")),
]

handler404 = "healthgap.web.views.not_found"
handler500 = "healthgap.web.views.server_error"
handler403 = "healthgap.web.account_views.forbidden"
