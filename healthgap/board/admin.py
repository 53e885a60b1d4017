from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from healthgap.board.models import Committee, Member, Priority, TermsOfReference
from healthgap.publishing import services
from healthgap.publishing.models import Versioned


@admin.register(Committee, Member, Priority, TermsOfReference)
class BoardAdmin(SimpleHistoryAdmin):
    """Committees, their terms of reference, priorities and members (edited here until they have
    workspace forms)."""

    def save_model(self, request, obj, form, change):
        # Versioned items through the services, so a workspace form opened before is refused.
        if not isinstance(obj, Versioned):
            super().save_model(request, obj, form, change)
        elif change:
            services.save_versioned(obj, request.user, obj.version)
        else:
            services.create(obj, request.user)
