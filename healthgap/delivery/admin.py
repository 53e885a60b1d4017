from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from healthgap.delivery.models import Programme
from healthgap.publishing import services


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lead", "status", "publication_state", "version"]
    list_filter = ["publication_state", "status"]
    readonly_fields = ["version", "publication_state"]

    def save_model(self, request, obj, form, change):
        """Through the services, like every other save: the version is raised, so that a
        workspace form opened before this save is refused rather than overwriting it."""
        if change:
            services.save_versioned(obj, request.user, obj.version)
        else:
            services.create(obj, request.user)
