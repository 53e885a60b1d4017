from django.apps import AppConfig


class MortalityConfig(AppConfig):
    name = "healthgap.mortality"
    verbose_name = "Mortality: deaths by cause and age, closing the gap"
