from django.contrib import admin

from healthgap.indicators.models import ImportRecord, Indicator, IndicatorValue, Period


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "value_type", "polarity", "is_synthetic"]
    list_filter = ["domain", "value_type", "polarity", "is_synthetic"]
    search_fields = ["code", "name"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end"]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["file_name", "importer", "started_at", "row_count", "status"]
    list_filter = ["importer", "status"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "sex", "age", "category", "value"]
    list_filter = ["sex"]
    raw_id_fields = ["indicator", "area", "period", "import_record"]
