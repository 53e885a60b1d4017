from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "healthgap.places"
    verbose_name = "Places and routes of the user's own"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from healthgap.places import permissions  # noqa: F401 - registers the rules
