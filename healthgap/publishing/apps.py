from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "healthgap.publishing"
    verbose_name = "Publication and history"
