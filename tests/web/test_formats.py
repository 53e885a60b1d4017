"""HTML number formatting of data tables; downloads keep the raw figures."""

import csv
import io

from healthgap.web.formats import DataTable, format_number, table_response


def test_format_number():
    assert format_number(9274) == "9,274"
    assert format_number(9274.0, 0) == "9,274"
    assert format_number(1234.56, 1) == "1,234.6"
    assert format_number(82.0, 1) == "82.0"
    assert format_number(0.25) == "0.25"
    assert format_number(82.0) == "82.0"
    assert format_number(-1500.5) == "-1,500.5"
    assert format_number("E08000026") == "E08000026"
    assert format_number(True) == "True"


def _table():
    return DataTable(
        "t",
        "Test",
        [("name", "Name"), ("count", "Count"), ("value", "Value")],
        [
            {"name": "A <b>", "count": 9274, "value": 12.3456, "places": 2, "url": "/a?x=1&y=2"},
            {"name": "B", "count": None, "value": 1200.0, "places": 0},
        ],
        links={"name": "url"},
        decimals={"count": 0, "value": "places"},
    )


def test_html_rows_are_formatted_escaped_and_numeric_cells_right_aligned():
    table = _table()
    html = str(table.html_body())
    assert '<a class="govuk-link" href="/a?x=1&amp;y=2">A &lt;b&gt;</a>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">9,274</td>' in html
    assert ">12.35<" in html and ">1,200<" in html and ">–<" in html
    assert [css.endswith("--numeric") for _, css in table.headers()] == [False, True, True]
    assert "hg-table__name" in table.headers()[0][1]


def test_downloads_keep_raw_figures():
    text = table_response(_table(), "csv", "t").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {"Name": "A <b>", "Count": "9274", "Value": "12.3456"}
    assert rows[1]["Value"] == "1200.0"
