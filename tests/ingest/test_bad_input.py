"""A bad file names the file, row and column of each problem, and loads nothing."""

import json

import pytest

from healthgap.areas.models import Area, Boundary, Deprivation, PopulationEstimate
from healthgap.ingest import geography
from healthgap.ingest.errors import IngestError
from tests.factories import WardFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]

AGES = [str(age) for age in range(90)] + ["90+"]


def population_csv(tmp_path, rows, header=None):
    header = header or ["utla19_code", "utla19_name", *AGES]
    path = tmp_path / "population.csv"
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts():
    return (PopulationEstimate.objects.count(), Area.objects.count(), Deprivation.objects.count())


def test_missing_columns_are_named_and_nothing_is_loaded(tmp_path):
    path = population_csv(
        tmp_path,
        [["E08000026", "Coventry", *range(90)]],
        header=["utla19_code", "utla19_name", *AGES[:-1]],
    )
    before = counts()
    with pytest.raises(IngestError) as caught:
        geography.load_single_year_population(path, "utla19_code", 2030)
    assert caught.value.file == str(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "90+")]
    assert "population.csv" in str(caught.value) and "'90+'" in str(caught.value)
    assert counts() == before


def test_unknown_area_code_and_non_numeric_value_are_reported_with_row_and_column(tmp_path):
    good = ["E08000026", "Coventry", *[100] * 91]
    unknown = ["E08999999", "Nowhere", *[100] * 91]
    text = ["E06000016", "Leicester", *[100] * 40, "many", *[100] * 50]
    path = population_csv(tmp_path, [good, unknown, text])
    before = counts()
    with pytest.raises(IngestError) as caught:
        geography.load_single_year_population(path, "utla19_code", 2030)
    problems = {(p.row, p.column): p.message for p in caught.value.problems}
    assert problems[(3, "utla19_code")] == "unknown area code 'E08999999'"
    assert problems[(4, "40")] == "'many' is not a number"
    # The good first row was not written either: the file loads whole or not at all.
    assert counts() == before
    assert not PopulationEstimate.objects.filter(year=2030).exists()


def test_negative_counts_and_ragged_rows_are_problems(tmp_path):
    path = population_csv(tmp_path, [["E08000026", "Coventry", -5, *[1] * 90]])
    with pytest.raises(IngestError) as caught:
        geography.load_single_year_population(path, "utla19_code", 2030)
    assert caught.value.problems[0].column == "0"
    assert "below the minimum" in caught.value.problems[0].message

    ragged = population_csv(tmp_path, [["E08000026", "Coventry", 1, 2]])
    with pytest.raises(IngestError) as caught:
        geography.load_single_year_population(ragged, "utla19_code", 2030)
    assert caught.value.problems[0].row == 2
    assert "expected 93 cells, found 4" in caught.value.problems[0].message


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("code,name\nE12000005,West Midlands\nE12000004,Café\n".encode("latin-1"))
    with pytest.raises(IngestError) as caught:
        geography.load_regions(path)
    assert caught.value.problems[0].row == 3
    assert "not UTF-8" in caught.value.problems[0].message


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_bytes("\ufeffcode,name\nE12000005,West Midlands\n".encode())
    assert geography.load_regions(path) == 2
    assert Area.objects.get(code="E12000005").name == "West Midlands"


def test_boundary_with_unknown_code_loads_none_of_the_file(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    path = tmp_path / "wards.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"WD21CD": "E05001218"}, "geometry": square},
                    {"type": "Feature", "properties": {"WD21CD": "E05999999"}, "geometry": square},
                ],
            }
        )
    )
    ward = WardFactory(code="E05001218", name="Abbey")
    before = Boundary.objects.get_or_create(
        area=ward, defaults={"geometry": square, "source": "test"}
    )[0].geometry
    with pytest.raises(IngestError) as caught:
        geography.load_boundaries(path, "WD21CD")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "WD21CD")]
    assert Boundary.objects.get(area_id="E05001218").geometry == before


def test_empty_file_and_missing_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(IngestError, match="empty"):
        geography.load_regions(empty)
    with pytest.raises(IngestError, match="file not found"):
        geography.load_regions(tmp_path / "nope.csv")
