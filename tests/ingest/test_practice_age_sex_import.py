"""NHS Digital's registered patients by practice, sex and five-year age band (issue 12): a good
file is stored band by band, and every kind of bad input names file, row and column and loads
nothing."""

import pytest
from django.core.management import call_command

from healthgap.indicators.models import ImportRecord
from healthgap.ingest.errors import IngestError
from healthgap.ingest.practice_age_sex import import_gp_patients_age_sex
from healthgap.practices.models import PracticeAgeSexList
from tests.practices.factories import PracticeFactory, age_sex_rows, write_age_sex_file

pytestmark = pytest.mark.django_db
MALES = [300, 310, 290, 280, 400, 450, 420, 380, 360, 340, 330, 300, 250, 200, 150, 100, 60, 30,
         10, 2]  # fmt: skip
FEMALES = [290, 300, 285, 290, 420, 460, 430, 385, 350, 345, 335, 310, 260, 215, 170, 125, 80,
           45, 20, 6]  # fmt: skip


@pytest.fixture
def practices():
    return [PracticeFactory(area__code=code) for code in ("C82005", "C82010")]


@pytest.fixture
def good_lines(practices):
    return age_sex_rows("C82005", MALES, FEMALES) + age_sex_rows("C82010", FEMALES, MALES)


def test_a_good_file_is_stored_by_practice_sex_and_band(good_lines, tmp_path):
    path = write_age_sex_file(tmp_path / "gp-reg-pat-prac-quin-age.csv", good_lines)
    result = import_gp_patients_age_sex(path)
    assert result.rows == 80  # 2 practices x 2 sexes x 20 bands; the ALL rows are checks
    rows = PracticeAgeSexList.objects.filter(practice="C82005", period="2022-05")
    assert rows.count() == 40
    youngest = rows.get(sex="Male", age_start=0)
    assert (youngest.age_end, youngest.patients) == (4, 300)
    oldest = rows.get(sex="Female", age_start=95)
    assert (oldest.age_end, oldest.patients, oldest.band) == (None, 6, "95+")
    assert sum(rows.filter(sex="Female").values_list("patients", flat=True)) == sum(FEMALES)
    assert ImportRecord.objects.filter(importer="gp-patients-age-sex").count() == 1


def test_the_same_file_again_changes_nothing_and_a_new_month_is_kept_beside(good_lines, tmp_path):
    path = write_age_sex_file(tmp_path / "may.csv", good_lines)
    import_gp_patients_age_sex(path)
    again = import_gp_patients_age_sex(path)
    assert again.already_loaded
    assert ImportRecord.objects.filter(importer="gp-patients-age-sex").count() == 1
    june = [line.replace("01May2022", "01Jun2022") for line in good_lines]
    import_gp_patients_age_sex(write_age_sex_file(tmp_path / "june.csv", june))
    assert set(PracticeAgeSexList.objects.values_list("period", flat=True)) == {
        "2022-05",
        "2022-06",
    }


def test_a_new_file_for_a_month_replaces_that_month(good_lines, practices, tmp_path):
    import_gp_patients_age_sex(write_age_sex_file(tmp_path / "first.csv", good_lines))
    only_one = age_sex_rows("C82005", FEMALES, MALES)
    import_gp_patients_age_sex(write_age_sex_file(tmp_path / "second.csv", only_one))
    assert set(PracticeAgeSexList.objects.values_list("practice", flat=True)) == {"C82005"}
    assert PracticeAgeSexList.objects.get(practice="C82005", sex="Male", age_start=95).patients == 6


def _refused(tmp_path, lines, *expected):
    path = write_age_sex_file(tmp_path / "bad.csv", lines)
    with pytest.raises(IngestError) as caught:
        import_gp_patients_age_sex(path)
    message = str(caught.value)
    assert "bad.csv" in message and "nothing was loaded" in message
    for text in expected:
        assert text in message, message
    assert not PracticeAgeSexList.objects.exists()
    assert not ImportRecord.objects.filter(importer="gp-patients-age-sex").exists()


def _replace(lines, index, old, new):
    changed = list(lines)
    assert old in changed[index]
    changed[index] = changed[index].replace(old, new)
    return changed


def test_an_unknown_practice_code(good_lines, tmp_path):
    lines = _replace(good_lines, 0, "C82005", "Z99999")
    _refused(tmp_path, lines, "row 2, column 'ORG_CODE': unknown practice code 'Z99999'")


def test_a_date_that_is_not_a_date(good_lines, tmp_path):
    lines = _replace(good_lines, 3, "01May2022", "2022-05-01")
    _refused(tmp_path, lines, "row 5, column 'EXTRACT_DATE'", "not a date like 01May2022")


def test_an_unknown_sex(good_lines, tmp_path):
    lines = _replace(good_lines, 1, ",MALE,", ",M,")
    _refused(tmp_path, lines, "row 3, column 'SEX': 'M' is not MALE, FEMALE or ALL")


def test_an_unknown_band(good_lines, tmp_path):
    lines = _replace(good_lines, 2, ",10_14,", ",10-14,")
    _refused(tmp_path, lines, "row 4, column 'AGE_GROUP_5': '10-14' is not a band like 0_4")


@pytest.mark.parametrize("count", ["-3", "2.5", "", "many"])
def test_a_count_that_is_not_a_whole_number_of_patients(good_lines, tmp_path, count):
    lines = _replace(good_lines, 4, ",400", f",{count}")
    _refused(tmp_path, lines, "row 6, column 'NUMBER_OF_PATIENTS'")


def test_a_row_given_twice(good_lines, tmp_path):
    lines = [*good_lines, good_lines[5]]
    _refused(tmp_path, lines, f"row {len(lines) + 1}", "given already on row 7")


def test_bands_that_leave_ages_out(good_lines, tmp_path):
    lines = [line for line in good_lines[:21] if ",MALE,10_14," not in line]
    _refused(tmp_path, lines, "the male bands of C82005 on 2022-05 do not run from 0_4 to 95+")


def test_bands_that_do_not_add_up_to_the_all_ages_row(good_lines, tmp_path):
    lines = _replace(good_lines, 20, f",{sum(MALES)}", f",{sum(MALES) + 1}")
    _refused(tmp_path, lines, "row 22, column 'NUMBER_OF_PATIENTS'", "add up to 4962")


def test_a_missing_column(practices, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ORG_CODE,EXTRACT_DATE,SEX,NUMBER_OF_PATIENTS\nC82005,01May2022,MALE,3\n")
    with pytest.raises(IngestError, match="column 'AGE_GROUP_5': required column is missing"):
        import_gp_patients_age_sex(path)


def test_the_import_command(good_lines, tmp_path, capsys):
    path = write_age_sex_file(tmp_path / "quin.csv", good_lines)
    call_command("import", "gp-patients-age-sex", str(path))
    assert "quin.csv: 80 rows" in capsys.readouterr().out
    assert PracticeAgeSexList.objects.count() == 80
