"""The record-level deaths importer: counts by LSOA, band, sex, year and cause; bad files load
nothing and say where each problem is."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from healthgap.ingest.deaths import import_deaths
from healthgap.ingest.errors import IngestError
from healthgap.mortality.models import DeathCount
from tests.factories import LsoaFactory

HEADER = "date_of_death,age_years,sex,lsoa_code,underlying_cause"


CODES = ["E01T90001", "E01T90002"]  # not in the demo, which other tests may have loaded


def held():
    return DeathCount.objects.filter(area_id__in=CODES)


@pytest.fixture
def lsoas(db):
    return [LsoaFactory(code="E01T90001"), LsoaFactory(code="E01T90002")]


def write(tmp_path, lines, header=HEADER, name="deaths.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


GOOD = [
    "2019-03-01,0,1,E01T90001,P07.3",  # a baby, other causes
    "2019-04-11,67,M,E01T90001,I21.9",  # heart attack at 67: circulatory, half preventable
    "2019-05-02,68,Male,E01T90001,I219",  # same cell, code without the dot
    "12/06/2019,74,2,E01T90002,C34.1",  # lung cancer under 75: preventable
    "2019-07-01,80,F,E01T90002,C34.1",  # lung cancer at 80: not counted preventable
    "2020-01-03,91,F,E01T90002,U07.1",  # COVID-19, 90+
    "2019-08-30,55,M,E01T90002,K70.3",  # alcoholic liver disease: liver, not digestive
    "2019-09-30,40,M,E01T90002,X70",  # suicide: external, preventable
]


def cell(area, year, sex, startage, cause):
    return DeathCount.objects.get(
        area_id=area, year=year, sex=sex, startage=startage, cause_group=cause
    )


def test_counts_by_cell_and_cause_group(lsoas, tmp_path):
    result = import_deaths(write(tmp_path, GOOD))
    assert result.deaths == 8
    assert held().count() == result.cells == 7
    heart = cell("E01T90001", 2019, "male", 65, "circulatory")
    assert (heart.deaths, heart.preventable) == (2, 1.0)  # two deaths, each half preventable
    assert cell("E01T90001", 2019, "male", 0, "other").deaths == 1
    assert cell("E01T90002", 2019, "female", 70, "cancer").preventable == 1
    assert cell("E01T90002", 2019, "female", 80, "cancer").preventable == 0
    assert cell("E01T90002", 2020, "female", 90, "covid").deaths == 1
    assert cell("E01T90002", 2019, "male", 55, "liver").preventable == 1
    assert cell("E01T90002", 2019, "male", 40, "external").preventable == 1
    assert sum(held().values_list("deaths", flat=True)) == 8


def test_neonatal_deaths_need_age_in_days(lsoas, tmp_path):
    lines = ["2019-01-05,0,1,E01T90001,P07.3,3", "2019-01-05,0,1,E01T90001,P07.3,200"]
    import_deaths(write(tmp_path, lines, header=HEADER + ",age_days"))
    assert cell("E01T90001", 2019, "male", 0, "neonatal").deaths == 1
    assert cell("E01T90001", 2019, "male", 0, "other").deaths == 1


def test_loading_twice_changes_nothing_and_a_new_extract_replaces_the_year(lsoas, tmp_path):
    import_deaths(write(tmp_path, GOOD))
    before = list(held().order_by("id").values())
    assert import_deaths(write(tmp_path, GOOD)).already_loaded
    assert list(held().order_by("id").values()) == before
    import_deaths(write(tmp_path, GOOD[:2], name="revised.csv"))
    assert held().filter(area_id="E01T90001", year=2019).count() == 2
    assert sum(held().values_list("deaths", flat=True)) == 2 + 1 + 1 + 1 + 1 + 1


def test_command_reports_the_counts(lsoas, tmp_path, capsys):
    call_command("import", "deaths", str(write(tmp_path, GOOD)))
    assert "8 deaths counted into 7 cells" in capsys.readouterr().out


def problems_of(path):
    with pytest.raises(IngestError) as raised:
        import_deaths(path)
    return [(p.row, p.column, p.message) for p in raised.value.problems]


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_loaded(lsoas, tmp_path):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    lines = [
        GOOD[1],
        "2019-04-11,67,M,E01T99999,I21.9",  # row 3: unknown LSOA
        "2019-04-11,150,M,E01T90001,I21.9",  # row 4: impossible age
        "2019-04-11,67,M,E01T90001,I2",  # row 5: malformed ICD-10
        f"{future},67,M,E01T90001,I21.9",  # row 6: date in the future
        "2019-02-30,67,M,E01T90001,I21.9",  # row 7: no such date
        "2019-04-11,67,X,E01T90001,I21.9",  # row 8: unknown sex
        "2019-04-11,-1,M,E01T90001,21.9",  # row 9: negative age and a code without a letter
    ]
    found = problems_of(write(tmp_path, lines))
    places = sorted((row, column) for row, column, _ in found)
    assert places == [
        (3, "lsoa_code"), (4, "age_years"), (5, "underlying_cause"), (6, "date_of_death"),
        (7, "date_of_death"), (8, "sex"), (9, "age_years"), (9, "underlying_cause"),
    ]  # fmt: skip
    messages = {(row, column): message for row, column, message in found}
    assert "E01T99999" in messages[(3, "lsoa_code")]
    assert "150" in messages[(4, "age_years")]
    assert "'I2' is not an ICD-10 code" in messages[(5, "underlying_cause")]
    assert "future" in messages[(6, "date_of_death")]
    assert held().count() == 0


def test_a_missing_column_is_named(lsoas, tmp_path):
    header = "date_of_death,age_years,sex,lsoa_code"
    found = problems_of(write(tmp_path, ["2019-04-11,67,M,E01T90001"], header=header))
    assert found == [(1, "underlying_cause", "required column is missing from the header")]
    assert held().count() == 0


def test_empty_cells_are_problems(lsoas, tmp_path):
    found = problems_of(write(tmp_path, [",67,M,,I21.9", "2019-04-11,,M,E01T90001,"]))
    assert sorted((row, column) for row, column, _ in found) == [
        (2, "date_of_death"), (2, "lsoa_code"), (3, "age_years"), (3, "underlying_cause"),
    ]  # fmt: skip


def test_the_command_fails_with_the_problems(lsoas, tmp_path):
    path = write(tmp_path, ["2019-04-11,67,M,E01T99999,I21.9"])
    with pytest.raises(CommandError, match=r"row 2, column 'lsoa_code'.*nothing|nothing"):
        call_command("import", "deaths", str(path))
    assert held().count() == 0
