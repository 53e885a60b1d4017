from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "healthgap.knowledge"
    verbose_name = "Knowledge hub"

    def ready(self):
        from healthgap.knowledge import permissions  # noqa: F401 - registers the rules
