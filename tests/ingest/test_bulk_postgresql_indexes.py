"""Large imports on PostgreSQL build the values table's indexes after the load, the unique key
among them, and leave them exactly as they were. The threshold is lowered through
``values.BULK_LOAD_ROWS`` rather than by writing 100,000 rows."""

import pytest
from django.db import IntegrityError, connection, transaction

from healthgap.indicators.models import IndicatorValue
from healthgap.ingest import bulk
from healthgap.ingest.fingertips import import_fingertips_export
from tests.ingest.bulk_path import every_import_bulk, stored_values
from tests.ingest.fingertips_files import (
    COVENTRY,
    ENGLAND,
    WARWICKSHIRE,
    database_state,
    row,
    write_rows,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("few_areas"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own bulk path"),
]
TABLE = IndicatorValue._meta.db_table


def indexes():
    """The values table's indexes (name and definition) and its unique and primary keys."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        found = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), condeferrable FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'p') ORDER BY conname",
            [TABLE],
        )
        return found, cursor.fetchall()


@pytest.fixture
def bulk_mode(monkeypatch):
    """Every import takes the bulk path; returns the tables whose indexes it rebuilt."""
    return every_import_bulk(monkeypatch, "indexes_rebuilt_after")


def test_the_indexes_and_the_unique_key_come_back_as_they_were(tmp_path, bulk_mode):
    before = indexes()
    # The primary key, the unique key, two composite indexes and the import's foreign-key index.
    assert len(before[0]) == 5 and len(before[1]) == 2
    first = import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    rows = [row(Value="21"), row(ENGLAND), row(WARWICKSHIRE)]
    newer = import_fingertips_export(write_rows(tmp_path / "v2.csv", rows))
    assert bulk_mode == [TABLE, TABLE]
    assert indexes() == before
    assert first.new == 2 and (newer.new, newer.replaced, newer.unchanged) == (1, 1, 1)
    assert IndicatorValue.objects.get(indicator="99999", area=COVENTRY).value == 21


def test_a_duplicate_key_fails_when_the_unique_key_comes_back(tmp_path):
    """Without its index during the load the key is still enforced: adding it back rejects the
    load, and the rows and the dropped indexes roll back together."""
    import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    state, before, kept = database_state(), indexes(), stored_values()
    failure = pytest.raises(IntegrityError, match="one_value_per_breakdown")
    with failure, transaction.atomic(), bulk.indexes_rebuilt_after(TABLE) as dropped:
        assert len(dropped) == 4
        with connection.cursor() as cursor:
            columns = ", ".join(f"{name}_id" for name in ("indicator", "area", "period"))
            columns += ", sex, age, category_type, category, value_note"
            columns += ", compared_to_england, compared_to_region, compared_to_england_998"
            columns += ", compared_to_region_998, comparison_basis, recent_trend, trend_basis"
            cursor.execute(f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {TABLE}")
    assert (database_state(), indexes(), stored_values()) == (state, before, kept)
