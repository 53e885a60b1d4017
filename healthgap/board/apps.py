from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "healthgap.board"
    verbose_name = "Board governance"

    def ready(self):
        from healthgap.board import permissions  # noqa: F401 - registers the rules
