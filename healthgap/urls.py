from django.contrib import admin
from django.urls import include, path, re_path

from healthgap.publishing.views import change_log
from healthgap.web import programmes

urlpatterns = [
    path("admin/", admin.site.urls),
    # Publishing and the delivery plan: the workspace (signed in) and the public programmes page.
    path("workspace/programmes/", include("healthgap.delivery.urls")),
    path("workspace/changes/", change_log, name="change_log"),
    # The delivery plan: strategies, measures and targets, the board's performance reports.
    path("workspace/strategies/", include("healthgap.web.delivery_plan_urls")),
    path("programmes/", programmes.programmes, name="programmes"),
    re_path(r"^programmes\.(?P<fmt>json)$", programmes.programmes, name="programmes_format"),
    # Places and routes of the user's own (issue 12): workspace and public pages.
    path("", include("healthgap.web.place_urls")),
    # The public site.
    path("", include("healthgap.web.urls")),
]

handler404 = "healthgap.web.views.not_found"
handler500 = "healthgap.web.views.server_error"
handler403 = "healthgap.web.account_views.forbidden"
