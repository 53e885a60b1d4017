"""Population by sex and single year of age from ONS MYE2 tables (one table per sex), for every
area of the table the store knows; metropolitan counties and other areas healthgap does not
hold are passed over."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from healthgap.areas.models import Area, PopulationEstimate
from healthgap.ingest.loading import upsert
from healthgap.ingest.mye2 import AGES, read_mye2


def load_mye2_by_sex(path: Path, sex: str, year: int) -> int:
    """Counts at each single year of age (90 meaning 90 and over) for ``sex`` in mid-``year``."""
    table = read_mye2(path)
    known = set(Area.objects.filter(code__in=list(table["CODE"])).values_list("code", flat=True))
    table = table[table["CODE"].isin(known)]
    estimates = [
        PopulationEstimate(
            area_id=code,
            year=year,
            sex=sex,
            age=int(age),
            count=float(count),
            source=Path(path).name,
        )
        for code, counts in zip(table["CODE"], table[AGES].to_numpy())
        for age, count in zip(AGES, counts)
    ]
    with transaction.atomic():
        return upsert(
            PopulationEstimate,
            estimates,
            ["area", "year", "sex", "age"],
            ["count", "source"],
            "population by sex",
        )
