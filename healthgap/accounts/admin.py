from django.contrib import admin

from healthgap.accounts.models import Organisation, Profile


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "area")
    list_filter = ("sector",)
    search_fields = ("name",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "job_title", "is_demo")
    list_filter = ("organisation__sector", "is_demo")
    search_fields = ("user__username", "user__last_name", "organisation__name")
