"""Django's admin for administrators who have verified a second factor (django-otp) in this
session. Anyone else is sent to the site's own sign-in or two-step pages instead of the admin's
login form."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from healthgap.accounts.permissions import is_administrator


class VerifiedAdminSite(admin.AdminSite):
    site_header = "healthgap administration"
    site_title = "healthgap administration"

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and is_administrator(user)
            and getattr(user, "is_verified", lambda: False)()
        )

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            next_url = request.GET.get("next", request.path)
            return redirect_to_login(next_url, settings.LOGIN_URL)
        # Signed in but not allowed: either no verified second factor, or not an administrator.
        return redirect(reverse("web:two_step_required"))
