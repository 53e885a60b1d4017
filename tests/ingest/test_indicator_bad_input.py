"""A bad indicator file names the file, row and column of each problem, and loads nothing."""

import pytest

from healthgap.ingest.errors import IngestError
from healthgap.ingest.fingertips import import_fingertips_export, import_tidy_extract
from healthgap.ingest.local import import_local_csv
from tests.ingest.fingertips_files import (
    ENGLAND,
    HEADER,
    WARWICKSHIRE,
    database_state,
    row,
    write_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]


def problems_of(path, importer=import_fingertips_export):
    before = database_state()
    with pytest.raises(IngestError) as caught:
        importer(path)
    assert database_state() == before, "a failed import must leave the database as it was"
    assert caught.value.file == str(path)
    assert path.name in str(caught.value)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_a_good_file_loads(tmp_path):
    path = write_rows(tmp_path / "good.csv", [row(), row(ENGLAND), row(WARWICKSHIRE)])
    result = import_fingertips_export(path)
    assert (result.rows, result.new) == (3, 3)


def test_missing_columns_are_named(tmp_path):
    header = [name for name in HEADER if name not in ("Value", "Count")]
    path = write_rows(tmp_path / "columns.csv", [row()[:-2]], header=header)
    assert problems_of(path) == [
        (1, "Value", "required column is missing from the header"),
        (1, "Count", "required column is missing from the header"),
    ]


def test_unknown_area_code(tmp_path):
    path = write_rows(tmp_path / "areas.csv", [row(), row("E08999999")])
    assert problems_of(path) == [(3, "AreaCode", "unknown area code 'E08999999'")]


def test_unknown_indicator_ids(tmp_path):
    path = write_rows(tmp_path / "ids.csv", [row(IndicatorID="9x9")])
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (2, "IndicatorID") and "not a Fingertips indicator ID" in message

    local = tmp_path / "local.csv"
    local.write_text("indicator_code,area_code,period,value\nnever-defined,E08000026,2019,1\n")
    [(line, column, message)] = problems_of(local, import_local_csv)
    assert (line, column) == (2, "indicator_code") and "unknown indicator ID" in message

    tidy = tmp_path / "tidy.csv"
    tidy.write_text(
        "area_code,area_name,period,value,indicator,measure,unit,significance\n"
        "E08000026,Coventry,2019,1,Not a known indicator,Rate,Persons,Similar\n"
    )
    [(line, column, message)] = problems_of(tidy, import_tidy_extract)
    assert (line, column) == (2, "indicator") and "unknown indicator" in message


def test_non_numeric_values(tmp_path):
    path = write_rows(tmp_path / "numbers.csv", [row(Value="twenty"), row(ENGLAND, Count="1e")])
    assert problems_of(path) == [
        (2, "Value", "'twenty' is not a number"),
        (3, "Count", "'1e' is not a number"),
    ]


def test_lower_limit_above_upper(tmp_path):
    cells = {"Lower_CI_95.0_limit": "25", "Upper_CI_95.0_limit": "22"}
    path = write_rows(tmp_path / "limits.csv", [row(**cells)])
    assert problems_of(path) == [
        (2, "Lower_CI_95.0_limit", "lower limit 25 is above the upper limit 22")
    ]


def test_count_above_denominator(tmp_path):
    path = write_rows(tmp_path / "counts.csv", [row(Count="1200")])
    assert problems_of(path) == [(2, "Count", "count 1200 is above the denominator 1000")]


def test_duplicate_rows(tmp_path):
    # "2018 - 19" and "2018-19" are the same period.
    path = write_rows(
        tmp_path / "duplicates.csv",
        [row(Timeperiod="2018 - 19"), row(ENGLAND), row(Timeperiod="2018-19")],
    )
    [(line, column, message)] = problems_of(path)
    assert line == 4 and "duplicate row" in message and "as row 2" in message


def test_truncated_file(tmp_path):
    path = write_rows(tmp_path / "whole.csv", [row(), row(ENGLAND)])
    text = path.read_text()
    cut = tmp_path / "truncated.csv"
    cut.write_text(text[: text.rindex("Persons") + 3])
    [(line, column, message)] = problems_of(cut)
    assert line == 3 and "expected 26 cells, found 8" in message and "truncated" in message

    quoted = tmp_path / "open_quote.csv"
    quoted.write_text(text + '99999,"Test indicator,,,E08000026')
    [(line, _, message)] = problems_of(quoted)
    assert line == 4 and "never closed" in message


def test_latin1_file_names_row_and_column(tmp_path):
    path = write_rows(
        tmp_path / "latin1.csv", [row(), row(ENGLAND, AreaName="Café")], encoding="latin-1"
    )
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (3, "AreaName") and "not UTF-8" in message


def test_byte_order_mark_is_accepted(tmp_path):
    path = write_rows(tmp_path / "bom.csv", [row()], encoding="utf-8-sig")
    assert import_fingertips_export(path).new == 1


def test_period_that_is_not_a_period(tmp_path):
    path = write_rows(tmp_path / "period.csv", [row(Timeperiod="sometime")])
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (2, "Timeperiod") and "is not a period" in message


def test_every_problem_in_the_file_is_reported_together(tmp_path):
    rows = [row(Value="x"), row("E00000000"), row(Count="5000")]
    path = write_rows(tmp_path / "several.csv", rows)
    assert {(line, column) for line, column, _ in problems_of(path)} == {
        (2, "Value"),
        (3, "AreaCode"),
        (4, "Count"),
    }


def test_a_boolean_alone_is_not_a_number(tmp_path):
    # No infinity to stop the fast parser: the 1 and the 0 it read are what sends the file to
    # the text path.
    rows = [row(Value="True"), row(ENGLAND, Denominator="FALSE")]
    path = write_rows(tmp_path / "booleans.csv", rows)
    assert problems_of(path) == [
        (2, "Value", "'True' is not a number"),
        (3, "Denominator", "'FALSE' is not a number"),
    ]


def test_words_the_fast_number_parser_would_accept_are_not_numbers(tmp_path):
    # pandas' C parser reads TRUE/false as 1/0 and 1e400 as infinity: the whole-file fast path
    # gives way to the text path, which reports them as it reports any other word.
    rows = [row(Value="TRUE"), row(ENGLAND, Count="false"), row(WARWICKSHIRE, Value="1e400")]
    path = write_rows(tmp_path / "words.csv", rows)
    assert problems_of(path) == [
        (2, "Value", "'TRUE' is not a number"),
        (4, "Value", "'1e400' is not a number"),
        (3, "Count", "'false' is not a number"),
    ]
