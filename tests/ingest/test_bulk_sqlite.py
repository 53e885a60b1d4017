"""SQLite's bulk path: multi-row INSERTs, and the values table's secondary indexes rebuilt after a
large load. The threshold is lowered through ``values.BULK_LOAD_ROWS`` rather than by writing
100,000 rows."""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from django.db import connection, transaction

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
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own bulk path"),
]
TABLE = IndicatorValue._meta.db_table
PROBE = "healthgap_bulk_probe"


def indexes():
    """The values table's indexes as SQLite holds them: name and CREATE statement (None for the
    unique constraint's automatic index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [TABLE]
        )
        return sorted(cursor.fetchall())


@pytest.fixture
def bulk_mode(monkeypatch):
    """Every import takes the bulk path; returns the tables whose indexes it rebuilt."""
    return every_import_bulk(monkeypatch, "indexes_rebuilt_after")


def test_the_indexes_come_back_as_they_were(tmp_path, bulk_mode):
    before = indexes()
    assert sum(sql is not None for _, sql in before) == 3  # and the unique key's own index
    first = import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    rows = [row(Value="21"), row(ENGLAND), row(WARWICKSHIRE)]
    newer = import_fingertips_export(write_rows(tmp_path / "v2.csv", rows))
    assert bulk_mode == [TABLE, TABLE]
    assert indexes() == before
    assert first.new == 2 and (newer.new, newer.replaced, newer.unchanged) == (1, 1, 1)
    assert IndicatorValue.objects.get(indicator="99999", area=COVENTRY).value == 21


class Failure(Exception):
    pass


def test_a_failure_after_the_load_rolls_back_rows_and_indexes(tmp_path, bulk_mode, monkeypatch):
    import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    state, before, kept = database_state(), indexes(), stored_values()
    real = bulk.insert_parts

    def insert_then_fail(table, *args, **kwargs):
        real(table, *args, **kwargs)
        if table == TABLE:
            raise Failure

    monkeypatch.setattr(bulk, "insert_parts", insert_then_fail)
    rows = [row(Value="21"), row(ENGLAND), row(WARWICKSHIRE)]
    with pytest.raises(Failure):
        import_fingertips_export(write_rows(tmp_path / "v2.csv", rows))
    assert (database_state(), indexes(), stored_values()) == (state, before, kept)


def test_the_indexes_are_only_dropped_inside_a_transaction(monkeypatch):
    monkeypatch.setattr(bulk, "connection", SimpleNamespace(vendor="sqlite", in_atomic_block=False))
    failure = pytest.raises(RuntimeError, match="inside a transaction")
    with failure, bulk.indexes_rebuilt_after(TABLE):
        pass


def test_rows_are_inserted_many_to_a_statement_with_missing_numbers_as_null():
    """More rows than one statement takes (and not a multiple of it): every row arrives, in
    order, a NaN as NULL, a column holding one value written as a literal."""
    rows = bulk.ROWS_PER_INSERT * 2 + 37
    number = np.arange(rows, dtype=float)
    number[::7] = np.nan
    text = pd.Categorical(np.where(np.arange(rows) % 3 == 0, "a", "b'c"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {PROBE} (n integer, x real, t text, k integer)")
        written = bulk.insert_rows(
            PROBE,
            {"n": np.arange(rows), "x": number, "t": text, "k": np.full(rows, 5)},
        )
        cursor.execute(f"SELECT n, x, t, k FROM {PROBE} ORDER BY rowid")
        stored = cursor.fetchall()
        cursor.execute(f"DROP TABLE {PROBE}")
    assert written == rows == len(stored)
    expected = [
        (n, None if math.isnan(number[n]) else number[n], str(text[n]), 5) for n in range(rows)
    ]
    assert stored == expected


def test_parts_are_written_one_after_another_in_order(monkeypatch):
    """Parts across more than one batch: the table's rowids follow them, every row once, and
    an empty part is skipped."""
    monkeypatch.setattr(bulk, "BATCH_ROWS", 3)
    parts = [
        {"n": [6, 2, 4, 0], "t": pd.Categorical(list("gcea"))},
        {"n": [], "t": pd.Categorical([])},
        {"n": [1, 5, 3], "t": pd.Categorical(list("bfd"))},
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {PROBE} (n integer, t text)")
        written = bulk.insert_parts(PROBE, parts, rows=7)
        cursor.execute(f"SELECT n, t FROM {PROBE} ORDER BY rowid")
        stored = cursor.fetchall()
        cursor.execute(f"DROP TABLE {PROBE}")
    assert written == 7
    assert stored == [(n, "abcdefg"[n]) for n in [6, 2, 4, 0, 1, 5, 3]]
