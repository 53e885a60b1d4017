from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "healthgap.delivery"
    verbose_name = "Delivery plan"

    def ready(self):
        from healthgap.delivery import permissions  # noqa: F401 - registers the rules
