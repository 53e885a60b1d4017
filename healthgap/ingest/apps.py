from django.apps import AppConfig


class IngestConfig(AppConfig):
    """File importers and the ``import`` and ``export`` commands; no models of its own."""

    name = "healthgap.ingest"
    verbose_name = "Import and export"
