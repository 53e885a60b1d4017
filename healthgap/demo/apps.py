from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The bundled Coventry and Leicester demo: its open data, synthetic figures and loader."""

    name = "healthgap.demo"
    verbose_name = "Demo data"
