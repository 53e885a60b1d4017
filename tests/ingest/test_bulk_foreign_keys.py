"""Large imports on PostgreSQL check the values' foreign keys once per key, after the load.

The threshold is lowered through ``values.BULK_LOAD_ROWS`` rather than by writing 100,000 rows.
"""

from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction

from healthgap.indicators.models import IndicatorValue
from healthgap.ingest import bulk, values
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]
TABLE = IndicatorValue._meta.db_table
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="foreign keys are dropped only on PostgreSQL"
)


@pytest.fixture
def bulk_mode(monkeypatch):
    """Every import takes the bulk path; returns the list of tables it dropped keys on."""
    return every_import_bulk(monkeypatch, "foreign_keys_checked_after")


def foreign_keys():
    """The values table's foreign keys: Django's introspection and PostgreSQL's own definition."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
        keys = {name: info["foreign_key"] for name, info in found.items() if info["foreign_key"]}
        if connection.vendor != "postgresql":
            return keys, {}
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), condeferrable, condeferred, convalidated "
            "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [TABLE],
        )
        return keys, {name: rest for name, *rest in cursor.fetchall()}


def test_a_small_import_keeps_the_per_row_checks(tmp_path, monkeypatch):
    used = []
    monkeypatch.setattr(bulk, "foreign_keys_checked_after", lambda table: used.append(table))
    result = import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    assert result.new == 2 and used == []


def test_a_load_small_beside_the_stored_table_keeps_the_per_row_checks(tmp_path, monkeypatch):
    monkeypatch.setattr(values, "BULK_LOAD_ROWS", 1)
    monkeypatch.setattr(bulk, "estimated_rows", lambda table: 1_000)
    used = []
    monkeypatch.setattr(bulk, "foreign_keys_checked_after", lambda table: used.append(table))
    result = import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    assert result.new == 2 and used == []


def test_bulk_mode_loads_and_replaces_values(tmp_path, bulk_mode):
    """On every database: same values as the per-row path, including a replacing re-import."""
    first = import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    first_ids = dict(IndicatorValue.objects.filter(indicator="99999").values_list("area", "id"))
    rows = [row(Value="21"), row(ENGLAND), row(WARWICKSHIRE)]
    newer = import_fingertips_export(write_rows(tmp_path / "v2.csv", rows))
    assert first.new == 2 and (newer.new, newer.replaced, newer.unchanged) == (1, 1, 1)
    assert bulk_mode == [TABLE, TABLE]
    coventry = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    assert coventry.value == 21 and coventry.id == first_ids[COVENTRY]
    assert IndicatorValue.objects.filter(indicator="99999").count() == 3


@postgresql_only
def test_the_foreign_keys_come_back_with_the_same_names_and_definitions(tmp_path, bulk_mode):
    before = foreign_keys()
    import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    assert bulk_mode == [TABLE]
    assert foreign_keys() == before
    keys, definitions = before
    assert set(keys) == set(definitions) and len(keys) == 4
    assert sorted(column for column, _ in keys.values()) == [
        "areas_area",
        "indicators_importrecord",
        "indicators_indicator",
        "indicators_period",
    ]
    for definition, deferrable, deferred, validated in definitions.values():
        assert "DEFERRABLE INITIALLY DEFERRED" in definition
        assert deferrable and deferred and validated


class Failure(Exception):
    pass


@postgresql_only
@pytest.mark.parametrize("when", ["before the keys are back", "after the keys are back"])
def test_a_failure_after_the_copy_rolls_back_rows_and_constraints(
    tmp_path, bulk_mode, monkeypatch, when
):
    import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    state, keys, kept = database_state(), foreign_keys(), stored_values()
    if when == "before the keys are back":
        real = bulk.insert_parts

        def insert_then_fail(table, *args, **kwargs):
            real(table, *args, **kwargs)
            if table == TABLE:
                raise Failure

        monkeypatch.setattr(bulk, "insert_parts", insert_then_fail)
    else:
        monkeypatch.setattr(values, "record_checks", lambda *args: (_ for _ in ()).throw(Failure))
    rows = [row(Value="21"), row(ENGLAND), row(WARWICKSHIRE)]
    with pytest.raises(Failure):
        import_fingertips_export(write_rows(tmp_path / "v2.csv", rows))
    assert len(bulk_mode) == 2
    assert (database_state(), foreign_keys(), stored_values()) == (state, keys, kept)


@postgresql_only
def test_a_row_pointing_nowhere_fails_when_the_keys_come_back(tmp_path):
    """The database still enforces the keys: validating them rejects the load and rolls back."""
    import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    keys, kept = foreign_keys(), stored_values()
    last = IndicatorValue.objects.latest("id").id
    failure = pytest.raises(IntegrityError, match="violates foreign key constraint")
    with failure, transaction.atomic(), bulk.foreign_keys_checked_after(TABLE) as dropped:
        assert len(dropped) == 4
        with connection.cursor() as cursor:
            sql = f"UPDATE {TABLE} SET area_id = 'E99999999' WHERE id = %s"
            cursor.execute(sql, [last])
    assert (foreign_keys(), stored_values()) == (keys, kept)


def test_the_keys_are_only_dropped_inside_a_transaction(monkeypatch):
    outside = SimpleNamespace(vendor="postgresql", in_atomic_block=False)
    monkeypatch.setattr(bulk, "connection", outside)
    failure = pytest.raises(RuntimeError, match="inside a transaction")
    with failure, bulk.foreign_keys_checked_after(TABLE):
        pass
