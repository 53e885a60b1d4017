from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "healthgap.indicators"
    verbose_name = "Indicators"
