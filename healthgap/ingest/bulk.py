"""Raw bulk writes for large tables: executemany on SQLite, COPY on PostgreSQL.

The ORM builds one model object per row, far too slow for a million values; these functions take
whole columns and stream them to the database inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from django.db import connection
from tqdm import tqdm

BATCH_ROWS = 50_000
SQLITE_CACHE_KB = 262_144


def as_cells(column) -> list:
    """A column as a Python list with None for missing values (NaN, NA, NaT)."""
    series = pd.Series(column)
    if series.dtype.kind == "f":
        values = series.to_numpy(dtype=object)
        values[np.isnan(series.to_numpy())] = None
        return values.tolist()
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return series.astype(object).where(series.notna(), None).tolist()


def insert_rows(table: str, columns: dict[str, object], description: str = "writing") -> int:
    """Insert rows given as {database column: values}; returns the number of rows."""
    frame = pd.DataFrame({name: _plain(values) for name, values in columns.items()})
    with tqdm(total=len(frame), desc=description, unit="rows", disable=None, leave=False) as bar:
        for start in range(0, len(frame), BATCH_ROWS):
            batch = frame.iloc[start : start + BATCH_ROWS]
            if connection.vendor == "postgresql":
                _copy(table, batch)
            else:
                _executemany(table, batch)
            bar.update(len(batch))
    return len(frame)


def _plain(values) -> pd.Series:
    series = pd.Series(values).reset_index(drop=True)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return series


def _copy(table: str, batch: pd.DataFrame) -> None:
    """PostgreSQL COPY of the batch as CSV text written by pandas (\\N is NULL)."""
    quoted = ", ".join(connection.ops.quote_name(name) for name in batch.columns)
    table = connection.ops.quote_name(table)
    sql = f"COPY {table} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    text = batch.to_csv(index=False, header=False, na_rep="\\N", lineterminator="\n")
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(text)


def _executemany(table: str, batch: pd.DataFrame) -> None:
    quoted = ", ".join(connection.ops.quote_name(name) for name in batch.columns)
    rows = list(zip(*(as_cells(batch[name]) for name in batch.columns)))
    connection.ensure_connection()
    raw = connection.connection.cursor()
    # A larger page cache (256 MB) keeps the unique index's pages in memory while inserting.
    raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    try:
        marks = ", ".join(["?"] * len(batch.columns))
        raw.executemany(
            f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})", rows
        )
    finally:
        raw.close()


def update_rows(table: str, ids, columns: dict[str, object]) -> int:
    """Set columns on the rows with these ids (one statement per row, sent in batches)."""
    names = list(columns)
    cells = [as_cells(values) for values in columns.values()]
    rows = list(zip(*cells, as_cells(ids)))
    if not rows:
        return 0
    assignments = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in names)
    sql = f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_ROWS):
            cursor.executemany(sql, rows[start : start + BATCH_ROWS])
    return len(rows)


def delete_ids(table: str, ids: Sequence[int]) -> None:
    sql = f"DELETE FROM {connection.ops.quote_name(table)} WHERE id IN (%s)"
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = [int(i) for i in ids[start : start + 500]]
            cursor.execute(sql % ", ".join(["%s"] * len(batch)), batch)


def select_frame(sql: str, params: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))
