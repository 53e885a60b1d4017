from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


def _renew_pages_after_an_indicator_change(sender, **kwargs):
    """An indicator's definition (its disclosure rule above all) decides what its pages show:
    a change renews every page cache key, as a publication does."""
    from healthgap.publishing.cache import bump_publication_stamp

    transaction.on_commit(bump_publication_stamp)


class PublishingConfig(AppConfig):
    name = "healthgap.publishing"
    verbose_name = "Publication and history"

    def ready(self):
        post_save.connect(
            _renew_pages_after_an_indicator_change,
            sender="indicators.Indicator",
            dispatch_uid="publishing-renew-pages-on-indicator-save",
        )
