"""New values are written in parts of whole indicators, each benchmarked just before it is
written (on PostgreSQL while the server stores the part before, in the same COPY): the results
are those of benchmarking every row at once, a failure while a later part is made rolls the whole
import back, and the rows are stored in the unique key's order."""

from contextlib import suppress

import pytest
from django.db import transaction

from healthgap.indicators import benchmarking
from healthgap.indicators.models import IndicatorValue, Polarity, ValueType
from healthgap.ingest import values
from healthgap.ingest.fingertips import import_fingertips_export
from tests.factories import IndicatorFactory
from tests.ingest.bulk_path import every_import_bulk, stored_values
from tests.ingest.fingertips_files import (
    COVENTRY,
    EAST_MIDLANDS,
    ENGLAND,
    LEICESTER,
    WARWICKSHIRE,
    WEST_MIDLANDS,
    database_state,
    row,
    write_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas", "indicators")]
AREAS = [ENGLAND, WEST_MIDLANDS, EAST_MIDLANDS, COVENTRY, WARWICKSHIRE, LEICESTER]
INDICATORS = {
    "99996": Polarity.LOW_IS_GOOD,
    "99997": Polarity.HIGH_IS_GOOD,
    "99998": Polarity.NO_JUDGEMENT,
}
KEY = ["indicator_id", "area_id", "period_id", "sex", "age", "category_type", "category"]
BENCHMARK = benchmarking.benchmark


class Rollback(Exception):
    pass


@pytest.fixture
def indicators():
    """Proportions (so that recent trends are computed), one of each polarity."""
    for code, polarity in INDICATORS.items():
        IndicatorFactory(code=code, value_type=ValueType.PROPORTION, polarity=polarity)


def three_indicators(path):
    """Three proportions for six areas over six years, each area a different level and slope,
    so that comparisons, ranks and recent trends all have something to say; written last row
    first."""
    rows = []
    for step, indicator in enumerate(INDICATORS, start=1):
        for year in range(2015, 2021):
            for place, area in enumerate(AREAS):
                count = 1000 + 150 * place + step * 40 * (year - 2015) * (-1) ** place
                value = count / 100
                cells = {"Count": str(count), "Denominator": "10000", "Value": f"{value:.2f}"}
                cells.update({"Lower_CI_95.0_limit": f"{value - 0.6:.2f}"})
                cells.update({"Upper_CI_95.0_limit": f"{value + 0.6:.2f}"})
                cells.update({"IndicatorID": indicator, "IndicatorName": f"Test {indicator}"})
                rows.append(row(area, Timeperiod=str(year), **cells))
    return write_rows(path, rows[::-1])


def import_counting_parts(path, monkeypatch, part_rows: int):
    """Import the file with parts of at least ``part_rows`` rows and roll it back; returns each
    stored value's key and results, and how many parts were benchmarked."""
    monkeypatch.setattr(values, "PART_ROWS", part_rows)
    parts = []

    def counted(frame, *args):
        parts.append(len(frame))
        return BENCHMARK(frame, *args)

    monkeypatch.setattr(benchmarking, "benchmark", counted)
    with suppress(Rollback), transaction.atomic():
        import_fingertips_export(path)
        fields = ["indicator_id", "area_id", "period__label", "sex", *benchmarking.RESULTS]
        stored = sorted(IndicatorValue.objects.values_list(*fields))
        raise Rollback
    return stored, parts


def test_benchmarking_part_by_part_gives_the_results_of_benchmarking_at_once(tmp_path, monkeypatch):
    path = three_indicators(tmp_path / "three.csv")
    at_once, one_part = import_counting_parts(path, monkeypatch, part_rows=1_000_000)
    by_part, three_parts = import_counting_parts(path, monkeypatch, part_rows=1)
    assert one_part == [108] and three_parts == [36, 36, 36]
    assert by_part == at_once and len(at_once) == 108
    results = list(zip(*at_once, strict=True))
    compared, rank, trend = results[4], results[9], results[13]
    assert {"Better", "Worse", "Higher", "Lower"} <= set(compared)
    assert {1, 2, 3} <= set(rank)
    assert any(text.startswith(("Increasing", "Decreasing")) for text in trend)


def test_a_failure_while_a_later_part_is_made_rolls_the_whole_import_back(tmp_path, monkeypatch):
    """The large-load path (indexes and foreign keys dropped, one COPY on PostgreSQL) fails in
    the middle of its rows: nothing of it stays, and the next import works."""
    every_import_bulk(monkeypatch, "indexes_rebuilt_after")
    import_fingertips_export(write_rows(tmp_path / "first.csv", [row(), row(ENGLAND)]))
    state, kept = database_state(), stored_values()
    monkeypatch.setattr(values, "PART_ROWS", 1)
    calls = []

    def fail_on_the_second_part(frame, *args):
        calls.append(len(frame))
        if len(calls) == 2:
            raise Rollback
        return BENCHMARK(frame, *args)

    monkeypatch.setattr(benchmarking, "benchmark", fail_on_the_second_part)
    with pytest.raises(Rollback):
        import_fingertips_export(three_indicators(tmp_path / "three.csv"))
    assert calls == [36, 36]
    assert (database_state(), stored_values()) == (state, kept)
    monkeypatch.setattr(benchmarking, "benchmark", BENCHMARK)
    assert import_fingertips_export(tmp_path / "three.csv").new == 108


def test_new_values_are_stored_in_the_unique_keys_order(tmp_path):
    import_fingertips_export(three_indicators(tmp_path / "three.csv"))
    stored = list(IndicatorValue.objects.order_by("id").values_list(*KEY))
    assert len(stored) == 108 and stored == sorted(stored)
