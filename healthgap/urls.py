from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("healthgap.web.urls")),
]

handler404 = "healthgap.web.views.not_found"
handler500 = "healthgap.web.views.server_error"
handler403 = "healthgap.web.account_views.forbidden"
