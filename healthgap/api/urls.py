"""The API's URLs (mounted at /api/): version 1 under /api/v1/, and the Fingertips-compatible
calls at Fingertips' own paths."""

from django.urls import path

from healthgap.api import fingertips
from healthgap.api.v1 import api

urlpatterns = [
    path("v1/", api.urls),
    path("area_types", fingertips.area_types, name="fingertips_area_types"),
    path("areas/by_area_type", fingertips.areas_by_area_type, name="fingertips_areas"),
    path("ages", fingertips.ages, name="fingertips_ages"),
    path("sexes", fingertips.sexes, name="fingertips_sexes"),
    path("value_notes", fingertips.value_notes, name="fingertips_value_notes"),
    path(
        "indicator_metadata/by_indicator_id",
        fingertips.indicator_metadata,
        name="fingertips_indicator_metadata",
    ),
    path("all_data/csv/by_indicator_id", fingertips.all_data_csv, name="fingertips_all_data"),
]
