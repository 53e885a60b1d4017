from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "healthgap.practices"
    verbose_name = "GP practices"
    default_auto_field = "django.db.models.BigAutoField"
