from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "healthgap.improvement"
    verbose_name = "Improvement: peer challenge and follow-up"

    def ready(self):
        from healthgap.improvement import permissions  # noqa: F401 - registers the rules
