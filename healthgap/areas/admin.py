from django.contrib import admin

from healthgap.areas.models import Area, Boundary, Deprivation, PopulationEstimate


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area_type", "parent", "is_hwb"]
    list_filter = ["area_type", "is_hwb"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "ward"]


@admin.register(PopulationEstimate)
class PopulationEstimateAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "sex", "age", "count"]
    list_filter = ["year", "sex"]
    raw_id_fields = ["area"]


@admin.register(Deprivation)
class DeprivationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "domain", "rank", "decile", "score"]
    list_filter = ["year", "domain"]
    raw_id_fields = ["area"]


admin.site.register(Boundary)
