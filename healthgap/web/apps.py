from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "healthgap.web"
    verbose_name = "Public site"

    def ready(self):
        from healthgap.web import workspace_sections

        workspace_sections.register()
