"""Uploading a modelled prevalence by age band and sex (issue 12, case finding): a good file is
saved whole; a bad one names file, row and column for every problem and saves nothing."""

import pytest

from healthgap.constants import FEMALE, MALE, PERSONS
from healthgap.indicators.models import ImportRecord
from healthgap.ingest.errors import IngestError
from healthgap.ingest.modelled_prevalence import import_modelled_prevalence
from healthgap.practices.models import ModelledPrevalence, ModelledPrevalenceRate
from tests.factories import IndicatorFactory

GOOD = """condition,age_band,sex,prevalence
HYP,16-44,Male,4.1
HYP,16-44,Female,2.6
HYP,45 to 64,M,25.2
HYP,45 to 64,F,18.9
HYP,65+,male,55.0
HYP,65+,female,52.5
qof_DM,17+,Persons,8.8
"""


@pytest.fixture
def conditions(db):
    for code in ("qof_HYP", "qof_DM"):
        IndicatorFactory(code=code)


def _file(tmp_path, text, name="model.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_saved_with_proportions(conditions, tmp_path):
    estimate = import_modelled_prevalence(_file(tmp_path, GOOD), "Test model", "Test source")
    assert estimate.conditions == ["DM", "HYP"]
    older = estimate.rates.get(condition="HYP", sex=MALE, age_start=65)
    assert older.age_end is None and older.prevalence == pytest.approx(0.55)
    middle = estimate.rates.get(condition="HYP", sex=FEMALE, age_start=45)
    assert middle.age_end == 64 and middle.prevalence == pytest.approx(0.189)
    assert estimate.rates.get(condition="DM").sex == PERSONS
    record = estimate.import_record
    assert record.importer == "modelled-prevalence" and record.row_count == 7


def test_a_new_file_under_the_same_name_replaces_the_figures(conditions, tmp_path):
    import_modelled_prevalence(_file(tmp_path, GOOD), "Test model")
    replacement = "condition,age_band,sex,prevalence\nDM,17+,Persons,9.5\n"
    estimate = import_modelled_prevalence(_file(tmp_path, replacement, "new.csv"), "Test model")
    assert ModelledPrevalence.objects.count() == 1
    assert list(estimate.rates.values_list("condition", "prevalence")) == [("DM", 0.095)]
    assert estimate.history.count() == 2


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("XYZ,16-44,Persons,4", 2, "condition", "is not a QOF condition"),
        ("HYP,44-16,Persons,4", 2, "age_band", "is not an age band"),
        ("HYP,sixteen,Persons,4", 2, "age_band", "is not an age band"),
        ("HYP,16-44,Other,4", 2, "sex", "is not Male, Female or Persons"),
        ("HYP,16-44,Persons,140", 2, "prevalence", "a percentage from 0 to 100"),
        ("HYP,16-44,Persons,many", 2, "prevalence", ""),
        ("HYP,16-44,Persons,4\nHYP,40-64,Persons,20", 3, "age_band", "overlaps the band on row 3"),
        ("HYP,16-44,Male,4", 2, "sex", "not for female"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(conditions, tmp_path, text, row, column, words):
    path = _file(tmp_path, f"condition,age_band,sex,prevalence\nDM,17+,Persons,8.8\n{text}\n")
    with pytest.raises(IngestError) as raised:
        import_modelled_prevalence(path, "Bad model")
    problem = raised.value.problems[0]
    assert (problem.row, problem.column) == (row + 1, column)
    assert words in problem.message
    assert raised.value.file.endswith("model.csv")
    assert not ModelledPrevalenceRate.objects.exists() and not ImportRecord.objects.exists()


def test_a_missing_column_is_named(conditions, tmp_path):
    path = _file(tmp_path, "condition,age_band,prevalence\nHYP,16-44,4\n")
    with pytest.raises(IngestError) as raised:
        import_modelled_prevalence(path, "Bad model")
    assert "sex" in raised.value.summary()
    assert not ModelledPrevalence.objects.exists()
