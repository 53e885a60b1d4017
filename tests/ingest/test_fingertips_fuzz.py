"""Fuzzing the Fingertips importer: whatever bytes it is given, it loads them or raises an
IngestError naming the file, and a failed import leaves the database exactly as it was.

The harness is a hypothesis test (run by ``make test``); it mutates a valid export by truncating
it, splicing in random bytes, replacing cells with random text and re-encoding it.
"""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthgap.ingest.errors import IngestError
from healthgap.ingest.fingertips import import_fingertips_export
from tests.ingest.fingertips_files import ENGLAND, HEADER, WEST_MIDLANDS, database_state, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]


def valid_bytes() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for area in ("E08000026", ENGLAND, WEST_MIDLANDS):
        writer.writerow(row(area))
    return buffer.getvalue().encode("utf-8")


VALID = valid_bytes()
CELL_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)

truncated = st.integers(0, len(VALID)).map(lambda n: VALID[:n])
spliced = st.tuples(st.integers(0, len(VALID)), st.binary(max_size=16)).map(
    lambda t: VALID[: t[0]] + t[1] + VALID[t[0] :]
)


@st.composite
def edited_cells(draw):
    rows = list(csv.reader(io.StringIO(VALID.decode())))
    for _ in range(draw(st.integers(1, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(HEADER) - 1))
        rows[r][c] = draw(CELL_TEXT | st.sampled_from(["", "-1", "1e400", "NaN", "99999999999"]))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(truncated, spliced, edited_cells()))
def test_any_input_loads_or_fails_cleanly(tmp_path, data):
    path = tmp_path / "fuzzed.csv"
    path.write_bytes(data)
    before = database_state()
    try:
        import_fingertips_export(path)
    except IngestError as error:
        assert error.file == str(path) and error.problems
        for problem in error.problems:
            assert problem.row is None or problem.row >= 1
            assert problem.message
        assert database_state() == before
