from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "healthgap.accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Registers the deploy checks, the role permissions and the sign-in logging.
        from healthgap.accounts import checks, permissions, signals  # noqa: F401


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """Django's admin, reachable only with a verified second factor (see admin_site.py); named
    in INSTALLED_APPS in place of ``django.contrib.admin``."""

    default = False
    default_site = "healthgap.accounts.admin_site.VerifiedAdminSite"
