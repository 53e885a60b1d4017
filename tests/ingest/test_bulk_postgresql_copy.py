"""PostgreSQL's binary COPY, assembled with numpy: every type it writes, NULLs of each, texts of
different lengths (UTF-8, empty, only missing), in parts and batches, read back as they went in."""

import numpy as np
import pandas as pd
import pytest
from django.db import connection, transaction

from healthgap.ingest import bulk

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's binary COPY"),
]
PROBE = "healthgap_copy_probe"
COLUMNS = {
    "n": "integer",
    "big": "bigint",
    "small": "smallint",
    "x": "double precision",
    "r": "real",
    "flag": "boolean",
    "label": "text",
    "note": "character varying(40)",
    "nothing": "text",
    "empty": "text",
    "same": "text",
}


def part(first: int, rows: int) -> tuple[dict, list[tuple]]:
    """Columns for rows first..first+rows-1 and the tuples they should read back as."""
    n = np.arange(first, first + rows)
    x = n * 1.5
    x[n % 4 == 0] = np.nan
    big = pd.array(n * 10_000_000_000, dtype="Int64")
    big[n % 5 == 0] = pd.NA
    small = pd.array(n % 300, dtype="Int64")
    small[n % 6 == 0] = pd.NA
    flag = pd.array(n % 2 == 0, dtype="boolean")
    flag[n % 7 == 0] = pd.NA
    words = ["Better", "Ōtautahi – ‘quoted’", "", "Not compared"]
    label = pd.Categorical([words[i % 4] if i % 9 else None for i in n])
    note = pd.Series([None if i % 3 == 0 else "é" * (i % 5) for i in n], dtype=object)
    columns = {
        "n": n,
        "big": big,
        "small": small,
        "x": x,
        "r": n / 4,
        "flag": flag,
        "label": label,
        "note": note,
        "nothing": pd.Series([None] * rows, dtype=object),
        "empty": np.full(rows, "", dtype=object),
        "same": np.full(rows, "All ages", dtype=object),
    }
    expected = [
        (
            int(i),
            None if i % 5 == 0 else int(i) * 10_000_000_000,
            None if i % 6 == 0 else int(i) % 300,
            None if i % 4 == 0 else i * 1.5,
            i / 4,
            None if i % 7 == 0 else bool(i % 2 == 0),
            words[i % 4] if i % 9 else None,
            None if i % 3 == 0 else "é" * (i % 5),
            None,
            "",
            "All ages",
        )
        for i in n
    ]
    return columns, expected


def test_every_type_reads_back_as_written_across_parts_and_batches(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_ROWS", 7)  # several batches a part, the last one short
    (one, first), (two, second) = part(0, 40), part(40, 23)
    with transaction.atomic(), connection.cursor() as cursor:
        definition = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        cursor.execute(f"CREATE TEMPORARY TABLE {PROBE} ({definition})")
        written = bulk.insert_parts(PROBE, [one, {name: [] for name in one}, two], rows=63)
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM {PROBE} ORDER BY n")
        stored = cursor.fetchall()
        cursor.execute(f"DROP TABLE {PROBE}")
    assert written == 63
    assert stored == first + second


def test_a_column_of_a_type_copy_is_not_written_for_is_refused():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {PROBE} (d date)")
        with pytest.raises(ValueError, match=r"no binary COPY for columns \['d'\]"):
            bulk.insert_rows(PROBE, {"d": ["2020-01-01"]})
