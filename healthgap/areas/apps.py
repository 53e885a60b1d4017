from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "healthgap.areas"
    verbose_name = "Areas and geography"
