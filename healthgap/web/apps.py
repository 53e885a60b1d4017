from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "healthgap.web"
    verbose_name = "Public site"
