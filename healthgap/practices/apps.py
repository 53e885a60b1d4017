from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "healthgap.practices"
    verbose_name = "GP practices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from healthgap.practices import permissions  # noqa: F401 - registers the rules
