from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from healthgap.board.models import Committee, Member, Priority, TermsOfReference


@admin.register(Committee, Member, Priority, TermsOfReference)
class BoardAdmin(SimpleHistoryAdmin):
    pass
