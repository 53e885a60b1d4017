"""Raw bulk writes for large tables: multi-row INSERTs on SQLite, binary COPY on PostgreSQL.

The ORM builds one model object per row, far too slow for a million values; these functions take
whole columns and stream them to the database inside the caller's transaction.

Columns are converted once each, never row by row in Python: categoricals through their
categories, numbers through numpy. On SQLite a column holding one value throughout (the import
record, an empty category, ...) is written into the INSERT as a literal rather than bound on every
row, and each statement inserts ROWS_PER_INSERT rows: a statement's own work (its transaction and
table-lock steps, and the AUTOINCREMENT counter Django's tables keep, read and written once per
statement) is then paid once per 200 rows instead of once per row. On PostgreSQL the rows are
assembled with numpy into COPY's binary format (numbers as their 8-, 4- or 2-byte big-endian
form, text as UTF-8), so no number is ever formatted as text, and sent in one COPY statement;
rows may arrive in parts (:func:`insert_parts`), made by the caller while the server stores the
part before.
Updates go the same way into a temporary table, then one ``UPDATE ... FROM`` (:func:`update_rows`),
so a changed row keeps its id.

For large loads on PostgreSQL, :func:`foreign_keys_checked_after` drops a table's foreign keys for
the load and adds them back, so each is checked once by a join over the table instead of by one
deferred trigger per row (see its docstring for the lock this takes), and
:func:`indexes_rebuilt_after` does the same for a table's indexes (on SQLite all but the unique
key, on PostgreSQL all but the primary key): built once by sorting after the load rather than
updated row by row.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from django.db import connection
from tqdm import tqdm

BATCH_ROWS = 50_000
# Rows per INSERT statement on SQLite (fewer when the bound cells would pass SQLite's variable
# limit). Measured on the 100,000-row values table: 1 row a statement 2.3 s, 50 rows 2.0 s; with
# the secondary indexes rebuilt after the load (indexes_rebuilt_after), 1.4 s against 0.8 s.
ROWS_PER_INSERT = 200
UPDATE_STAGING = "healthgap_update_staging"  # temporary table of update_rows
SQLITE_CACHE_KB = 262_144
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
COPY_TRAILER = b"\xff\xff"
# PostgreSQL types COPY's binary format is written for here: numpy's big-endian dtype, or text.
BINARY_TYPES = {
    "double precision": ">f8",
    "real": ">f4",
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "boolean": "bool",
    "text": "text",
    "character varying": "text",
}


def as_cells(column, nan_as_null: bool = False) -> list:
    """A column as a Python list with None for missing values (NaN, NA, NaT).

    ``nan_as_null``: float columns are returned with their NaNs as they are, for SQLite, which
    stores a bound NaN as NULL (sqlite3_bind_double), so no Python object is made per cell.
    """
    series = pd.Series(column).reset_index(drop=True)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        labels = np.asarray(series.cat.categories, dtype=object)
        cells = np.append(labels, None)[codes]  # code -1 (missing) picks the None at the end
        return cells.tolist()
    plain = isinstance(series.dtype, np.dtype)  # not a nullable extension type (Int64, ...)
    if plain and series.dtype.kind in "iub":
        return series.to_numpy().tolist()
    if plain and series.dtype.kind == "f":
        values = series.to_numpy()
        if nan_as_null:
            return values.tolist()
        cells = values.astype(object)
        cells[np.isnan(values)] = None
        return cells.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def insert_rows(table: str, columns: dict[str, object], description: str = "writing") -> int:
    """Insert rows given as {database column: values}; returns the number of rows."""
    rows = len(pd.Series(next(iter(columns.values())))) if columns else 0
    return insert_parts(table, [columns], rows, description)


def insert_parts(
    table: str, parts: Iterable[dict[str, object]], rows: int, description: str = "writing"
) -> int:
    """Insert rows that arrive in parts, each {database column: values} with the same columns,
    in the order given; ``rows``: how many in all (for the progress bar). Returns the number of
    rows written.

    Each part is taken from ``parts`` only once the one before has been handed to the database,
    so a generator may compute the next part meanwhile: on PostgreSQL one COPY carries every part
    and the server stores the rows already sent while the next part is made (which therefore
    must not query the database).
    """
    with tqdm(total=rows, desc=description, unit="rows", disable=None, leave=False) as bar:
        if connection.vendor == "postgresql":
            return _copy(table, _frames(parts), bar)
        written = 0
        for data in _frames(parts):
            _insert_sqlite(table, data, _length(data), bar)
            written += _length(data)
        return written


def _length(data: dict[str, pd.Series]) -> int:
    return len(next(iter(data.values())))


def _frames(parts: Iterable[dict[str, object]]) -> Iterator[dict[str, pd.Series]]:
    """Each non-empty part's columns as Series numbered from 0."""
    for columns in parts:
        data = {name: pd.Series(values).reset_index(drop=True) for name, values in columns.items()}
        if data and _length(data):
            yield data


# --- SQLite -----------------------------------------------------------------------------------


def _insert_sqlite(table: str, data: dict[str, pd.Series], rows: int, bar) -> None:
    constant = {name: _constant(values) for name, values in data.items()}
    bound = [name for name in data if constant[name] is None]
    names = ", ".join(connection.ops.quote_name(name) for name in data)
    row = "(" + ", ".join("?" if constant[name] is None else constant[name] for name in data) + ")"
    head = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES "
    connection.ensure_connection()
    raw = connection.connection.cursor()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(ROWS_PER_INSERT, limit // max(len(bound), 1)))
    # A larger page cache (256 MB) keeps the unique index's pages in memory while inserting.
    raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    try:
        for start in range(0, rows, BATCH_ROWS):
            stop = min(start + BATCH_ROWS, rows)
            cells = [as_cells(data[name].iloc[start:stop], nan_as_null=True) for name in bound]
            flat = _row_major(cells)
            for first in range(0, stop - start, per_statement):
                count = min(per_statement, stop - start - first)
                sql = head + ", ".join([row] * count)
                raw.execute(sql, flat[first * len(bound) : (first + count) * len(bound)])
            bar.update(stop - start)
    finally:
        raw.close()


def _row_major(columns: list[list]) -> list:
    """The cells of equal-length columns in one list, row after row: each column is written
    into every k-th place by slice assignment (no tuple per row)."""
    width = len(columns)
    flat = [None] * (width * len(columns[0]) if columns else 0)
    for position, cells in enumerate(columns):
        flat[position::width] = cells
    return flat


def _constant(values: pd.Series) -> str | None:
    """The SQL literal of a column holding one value on every row (None if it varies).

    Only NULL, whole numbers and text without NUL characters are written as literals; anything
    else stays a bound parameter.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if not len(codes) or (codes != codes[0]).any():
            return None
        value = None if codes[0] < 0 else values.cat.categories[codes[0]]
    elif isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
        array = values.to_numpy()
        if not len(array) or (array != array[0]).any():
            return None
        value = int(array[0])
    elif isinstance(values.dtype, np.dtype) and values.dtype.kind == "f":
        return "NULL" if len(values) and values.isna().all() else None
    else:
        return None
    if value is None:
        return "NULL"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


# --- PostgreSQL -------------------------------------------------------------------------------


def _column_types(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        return dict(cursor.fetchall())


def _copy(table: str, parts: Iterator[dict[str, pd.Series]], bar) -> int:
    """One binary COPY of every part's rows, each written in batches assembled with numpy;
    returns the number of rows."""
    from psycopg.copy import QueuedLibpqWriter  # PostgreSQL only

    first = next(parts, None)
    if first is None:
        return 0
    types = _column_types(table)
    kinds = {name: BINARY_TYPES.get(types.get(name, ""), "") for name in first}
    unknown = [name for name, kind in kinds.items() if not kind]
    if unknown:
        raise ValueError(f"{table}: no binary COPY for columns {unknown} ({types})")
    quoted = ", ".join(connection.ops.quote_name(name) for name in first)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT binary)"
    written = 0
    with connection.cursor() as cursor:
        # The queued writer sends each batch from a thread while the next one is assembled.
        writer = QueuedLibpqWriter(cursor.cursor)
        with cursor.cursor.copy(sql, writer=writer) as copy:
            copy.write(COPY_HEADER)
            for data in itertools.chain([first], parts):
                fields = [_BinaryField(data[name], kinds[name]) for name in first]
                written += _write_copy(copy, fields, _length(data), bar)
            copy.write(COPY_TRAILER)
    return written


def _write_copy(copy, fields, rows: int, bar) -> int:
    layout = _row_layout(fields)  # the same for every batch of the part
    for start in range(0, rows, BATCH_ROWS):
        stop = min(start + BATCH_ROWS, rows)
        copy.write(_binary_rows(fields, layout, start, stop))
        bar.update(stop - start)
    return rows


class _BinaryField:
    """One column ready for COPY's binary format: each row's length (-1 for NULL) and payload,
    the payload as one fixed-width numpy element per row (a big-endian number, or the text's
    UTF-8 bytes padded with zeros to the column's widest value), and which payload bytes a row
    really has (``kept``) where that varies from row to row."""

    def __init__(self, values: pd.Series, kind: str):
        self.kind = kind
        if kind == "text":
            self._init_text(values)
            return
        missing = values.isna().to_numpy()
        if kind == "bool":
            numbers = values.where(~missing, False).to_numpy(dtype=bool).astype(np.uint8)
        elif kind[1] == "f":
            numbers = values.to_numpy(dtype="float64", na_value=np.nan).astype(kind)
        else:
            numbers = values.to_numpy(dtype="int64", na_value=0).astype(kind)
        self.values = numbers
        self.dtype = numbers.dtype
        self.width = self.dtype.itemsize
        self.row_lengths = np.where(missing, -1, self.width).astype(">i4")
        self.varies = bool(missing.any())
        # Row 0 keeps every payload byte, row 1 (NULL) none.
        self.kept_table = np.array([b"\x01" * self.width, b"\x00" * self.width], f"S{self.width}")
        self.kept_codes = missing.astype(np.int64)

    def _init_text(self, values: pd.Series) -> None:
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, labels = values.cat.codes.to_numpy(), values.cat.categories
        else:
            codes, labels = pd.factorize(values.astype(object), use_na_sentinel=True)
        encoded = [str(label).encode("utf-8") for label in labels]
        # One entry per label and a last one, length -1 and no bytes, for code -1 (missing).
        self.codes = codes.astype(np.int64)
        self.code_lengths = np.array([len(b) for b in encoded] + [-1], dtype=">i4")
        self.width = max((len(b) for b in encoded), default=0)
        self.dtype = np.dtype(f"S{self.width}") if self.width else None
        self.table = np.array([*encoded, b""], dtype=self.dtype) if self.width else None
        used = self.code_lengths[self.codes]
        self.varies = bool(len(used)) and used.min() < self.width
        self.kept_table = np.array(
            [b"\x01" * max(n, 0) for n in self.code_lengths], dtype=self.dtype
        )
        self.kept_codes = self.codes

    def lengths(self, start: int, stop: int) -> np.ndarray:
        if self.kind == "text":
            return self.code_lengths[self.codes[start:stop]]
        return self.row_lengths[start:stop]

    def payload(self, start: int, stop: int) -> np.ndarray:
        if self.kind == "text":
            return self.table[self.codes[start:stop]]
        return self.values[start:stop]

    def kept(self, start: int, stop: int) -> np.ndarray:
        """Per row, 1 for each payload byte the row has, 0 for padding (as one element each)."""
        return self.kept_table[self.kept_codes[start:stop]]


def _row_layout(fields: list[_BinaryField]) -> tuple[np.dtype, np.ndarray]:
    """A record type laid out as a COPY tuple at each field's widest size: the field count
    ("n"), then each field's length ("l0", "l1", ...) and payload ("p0", ...); and one such
    record as bytes with 1 where every row has a byte and 0 where rows differ."""
    names, formats, offsets, at = ["n"], [">i2"], [0], 2
    for position, field in enumerate(fields):
        names.append(f"l{position}")
        formats.append(">i4")
        offsets.append(at)
        at += 4
        if field.width:
            names.append(f"p{position}")
            formats.append(field.dtype)
            offsets.append(at)
            at += field.width
    layout = np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": at})
    always = np.ones(at, dtype=bool)
    for position, field in enumerate(fields):
        if field.width and field.varies:
            place = layout.fields[f"p{position}"][1]
            always[place : place + field.width] = False
    return layout, always


def _binary_rows(
    fields: list[_BinaryField], layout: tuple[np.dtype, np.ndarray], start: int, stop: int
) -> bytes:
    """Rows start..stop as COPY binary tuples: field count, then each field's length and bytes.

    Every row is written as one record at the widest size of each field (a numpy structured
    array, so each field is one strided copy per column), the bytes past a value's own length
    are masked out, and the rest read off row by row in one step.
    """
    rows = stop - start
    layout, always = layout  # from _row_layout(fields)
    record = np.empty(rows, dtype=layout)
    record["n"] = len(fields)
    keep = np.empty(rows, dtype=layout)
    keep.view(np.uint8).reshape(rows, -1)[:] = always
    for position, field in enumerate(fields):
        record[f"l{position}"] = field.lengths(start, stop)
        if field.width:
            record[f"p{position}"] = field.payload(start, stop)
            if field.varies:
                keep[f"p{position}"] = field.kept(start, stop).view(field.dtype)
    matrix = record.view(np.uint8).reshape(rows, -1)
    return matrix[keep.view(np.bool_).reshape(rows, -1)].tobytes()


# --- foreign keys checked after a large load (PostgreSQL) ----------------------------------------


@contextmanager
def foreign_keys_checked_after(table: str) -> Iterator[list[str]]:
    """Drop ``table``'s foreign keys for the block, then add each back exactly as it was.

    PostgreSQL checks a deferred foreign key with one trigger per inserted row at commit (four
    million for a million values with four foreign keys). Adding the constraint back instead
    checks every row of the table with one set-based join per key: ``ADD CONSTRAINT ... NOT
    VALID`` (no check) then ``VALIDATE CONSTRAINT``. The database still enforces integrity: a row
    pointing nowhere makes the validation fail, and the caller's transaction rolls back with the
    rows and the dropped constraints (PostgreSQL DDL is transactional). Must run inside that
    transaction; yields the names of the constraints dropped.

    Trade-offs, why this is only for large loads: the DDL takes an ACCESS EXCLUSIVE lock on
    ``table`` until the transaction ends, so readers of the table (and other imports) wait for the
    rest of the import (pages are served from the page cache meanwhile); adding a foreign key also
    takes a SHARE ROW EXCLUSIVE lock on the referenced tables (reads go on, writes wait); and the
    validation reads the whole table, not only the rows loaded. Does nothing on other databases.
    """
    if connection.vendor != "postgresql":
        yield []
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_after must run inside a transaction")
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
        names = sorted(name for name, info in found.items() if info["foreign_key"])
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [quoted],
        )
        definitions = dict(cursor.fetchall())
        _run_pending_checks(cursor)
        for name in names:
            constraint = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {constraint}")
    yield names
    # NOT VALID then VALIDATE measured as fast as a plain ADD CONSTRAINT (each one join per key):
    # 0.81-0.83 s against 0.84-0.85 s for the four keys after a 1,000,000-row load.
    with connection.cursor() as cursor:
        for name in names:
            constraint = connection.ops.quote_name(name)
            cursor.execute(
                f"ALTER TABLE {quoted} ADD CONSTRAINT {constraint} {definitions[name]} NOT VALID"
            )
            cursor.execute(f"ALTER TABLE {quoted} VALIDATE CONSTRAINT {constraint}")


def _run_pending_checks(cursor) -> None:
    """PostgreSQL: deferred foreign-key checks still pending on a table (rows written or deleted
    earlier in the transaction) forbid ALTER TABLE on it: run them now, then defer again (Django's
    foreign keys are all INITIALLY DEFERRED, so this is the transaction's state before)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def indexes_rebuilt_after(table: str) -> Iterator[list[str]]:
    """Drop ``table``'s secondary indexes for the block, then create each again exactly as it was.

    Creating an index sorts the table once; keeping it during a large load costs a B-tree
    descent per row and index. SQLite (100,000 values): 0.8 s to insert without the indexes and
    0.4 s to build them, against 2.0 s to insert with them; its unique constraints (automatic
    indexes) stay, so a duplicate key is still refused row by row. PostgreSQL (1,000,000 values):
    see :func:`_postgresql_indexes_rebuilt_after`.
    Must run inside the caller's transaction: a failure rolls back the rows and the dropped
    indexes together (both databases' DDL is transactional); other connections keep reading the
    last committed state. Yields the names of the indexes.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        yield []
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt_after must run inside a transaction")
    if connection.vendor == "postgresql":
        with _postgresql_indexes_rebuilt_after(table) as names:
            yield names
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        indexes = dict(cursor.fetchall())
        for name in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield sorted(indexes)
    with connection.cursor() as cursor:
        for statement in indexes.values():
            cursor.execute(statement)


@contextmanager
def _postgresql_indexes_rebuilt_after(table: str) -> Iterator[list[str]]:
    """PostgreSQL: every index but the primary key's dropped for the block, then built again from
    its own definition (pg_get_indexdef), a unique constraint added back as the constraint it was
    (pg_get_constraintdef), so that a duplicate key makes the rebuild fail and the transaction
    roll back. Takes an ACCESS EXCLUSIVE lock on ``table`` until the transaction ends.

    1,000,000 values into an empty table: the COPY took 16.3 s with the indexes and 4.6 s without
    them, and building the five 4.7 s (the unique key 1.5 s). A larger maintenance_work_mem
    (256 MB against the default 64 MB) measured no faster for these builds."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ix.relname, pg_get_indexdef(i.indexrelid), c.conname, "
            "pg_get_constraintdef(c.oid) FROM pg_index i "
            "JOIN pg_class ix ON ix.oid = i.indexrelid "
            "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid AND c.contype IN ('u', 'x') "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY 1",
            [quoted],
        )
        indexes = cursor.fetchall()
        _run_pending_checks(cursor)
        for index, _, constraint, _ in indexes:
            if constraint:
                name = connection.ops.quote_name(constraint)
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {name}")
            else:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
    yield [index for index, *_ in indexes]
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)
        for _, definition, constraint, constraint_definition in indexes:
            if constraint:
                name = connection.ops.quote_name(constraint)
                cursor.execute(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {name} {constraint_definition}"
                )
            else:
                cursor.execute(definition)


def estimated_rows(table: str) -> int:
    """An estimate of the table's rows without counting them: PostgreSQL's pg_class.reltuples
    (0 when never analysed); on SQLite the highest rowid (an index look-up; at least the row
    count where ids only grow, as Django's AUTOINCREMENT ids do)."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [quoted])
        else:
            cursor.execute(f"SELECT MAX(rowid) FROM {quoted}")
        return max(int(cursor.fetchone()[0] or 0), 0)


def update_rows(table: str, ids, columns: dict[str, object], description: str = "updating") -> int:
    """Set columns on the rows with these ids, set-based; returns the number of rows.

    The new cells are loaded into a temporary table as :func:`insert_rows` loads any table (COPY
    on PostgreSQL, executemany on SQLite), then one ``UPDATE ... FROM`` joins it to ``table`` on
    the id. Must run inside the caller's transaction: a failure rolls the temporary table back
    with everything else.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if not len(ids):
        return 0
    quote = connection.ops.quote_name
    names = [quote(name) for name in columns]
    with connection.cursor() as cursor:
        # Same column types as the target (CREATE TABLE AS copies them), no rows, no indexes.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {UPDATE_STAGING} AS "
            f"SELECT id, {', '.join(names)} FROM {quote(table)} WHERE 1 = 0"
        )
        insert_rows(UPDATE_STAGING, {"id": ids, **columns}, description)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {UPDATE_STAGING}")  # temporary tables are never analysed
        assignments = ", ".join(f"{name} = {UPDATE_STAGING}.{name}" for name in names)
        cursor.execute(
            f"UPDATE {quote(table)} SET {assignments} FROM {UPDATE_STAGING} "
            f"WHERE {quote(table)}.id = {UPDATE_STAGING}.id"
        )
        cursor.execute(f"DROP TABLE {UPDATE_STAGING}")
    return len(ids)


def delete_ids(table: str, ids: Sequence[int], column: str = "id") -> None:
    """Delete the rows whose ``column`` is one of ``ids`` (raw SQL: no ORM cascade)."""
    quote = connection.ops.quote_name
    sql = f"DELETE FROM {quote(table)} WHERE {quote(column)} IN (%s)"
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = [int(i) for i in ids[start : start + 500]]
            cursor.execute(sql % ", ".join(["%s"] * len(batch)), batch)


def select_frame(sql: str, params: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))
