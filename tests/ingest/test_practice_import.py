"""GP practices (issue 12): the register with its NHS hierarchy, QOF 2022-23 registers and list
bands by practice, and bad input (unknown practice codes, a register above its list)."""

import shutil

import pytest

from healthgap.areas.models import Area, AreaType
from healthgap.demo.loader import demo_file
from healthgap.indicators.models import ImportRecord, IndicatorValue
from healthgap.ingest.errors import IngestError
from healthgap.ingest.practice_register import import_practice_register, import_qof_practices
from healthgap.practices.models import Practice, PracticeList
from tests.factories import EnglandFactory

FOLDER = "gp_practice"
QOF = f"{FOLDER}/nhsd_qof_2022-23_prevalence_by_practice_demo.csv"


@pytest.fixture
def register(db):
    EnglandFactory()
    import_practice_register(
        demo_file(f"{FOLDER}/nhsd_epraccur_2022_coventry_warwickshire_leicester_city.csv"),
        demo_file(f"{FOLDER}/nhsd_qof_2022-23_mapping_demo.csv"),
        demo_file(f"{FOLDER}/fingertips_api_93553_imd_score_demo.csv"),
    )


def test_practices_sit_under_pcn_sub_icb_and_icb(register):
    # SOURCES.md: sub-ICB B2M3M has 120 practices in 20 "PCNs" of the QOF 2022-23 mapping, one
    # of which is "Unallocated" (code U): its 2 practices sit under the sub-ICB itself.
    b2m3m = Area.objects.get(code="E38000251")
    assert b2m3m.area_type == AreaType.SUB_ICB
    assert b2m3m.parent.code == "E54000018" and b2m3m.parent.parent.code == "E92000001"
    pcns = Area.objects.filter(area_type=AreaType.PCN, parent=b2m3m)
    assert pcns.count() == 19
    in_pcns = Area.objects.filter(area_type=AreaType.GP_PRACTICE, parent__in=pcns)
    assert in_pcns.count() == 118
    assert Area.objects.get(code="Y07274").parent == b2m3m  # St Nicolas, unallocated
    sowe_valley = Area.objects.get(code="U68252")
    assert sowe_valley.name == "Sowe Valley PCN" and sowe_valley.children.count() == 10


def test_closed_practices_keep_their_dates_and_sit_under_the_sub_icb(register):
    closed = Practice.objects.get(area="C82015")  # Rushey Mead, closed 30 November 2018
    assert closed.status == "C" and not closed.is_open
    assert str(closed.closed) == "2018-11-30"
    assert closed.area.parent.code == "E38000097"  # NHS Leicester City (04C)


def test_practice_deprivation_from_ohid(register):
    scored = Practice.objects.filter(imd_score__isnull=False)
    assert scored.count() > 150
    assert all(0 < score < 100 for score in scored.values_list("imd_score", flat=True))


def test_qof_registers_prevalence_and_list_bands(register):
    import_qof_practices(demo_file(QOF))
    # C82005, 2022-23: atrial fibrillation 160 of 10,658 patients (the file's first row).
    af = IndicatorValue.objects.get(indicator="qof_AF", area="C82005")
    assert (af.count, af.denominator) == (160, 10658)
    assert af.value == pytest.approx(100 * 160 / 10658)
    assert af.lower95 < af.value < af.upper95
    bands = {row.band: row.patients for row in PracticeList.objects.filter(practice="C82005")}
    # list types: all ages 10,658, 6+ 9,944, 17+ 8,345, 18+ 8,221 (the file's own rows)
    assert bands["0-5"] == 10658 - 9944
    assert bands["17"] == 8345 - 8221
    assert sum(bands.values()) == 10658
    england = IndicatorValue.objects.get(indicator="qof_HYP", area="E92000001")
    assert england.value == pytest.approx(100 * 8996512 / 62378057)


def _copy_with(tmp_path, old: str, new: str):
    path = tmp_path / "qof.csv"
    shutil.copy(demo_file(QOF), path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def test_unknown_practice_code_names_file_row_and_column(register, tmp_path):
    path = _copy_with(tmp_path, "C82005,AF,160.0", "Z99999,AF,160.0")
    values, lists = IndicatorValue.objects.count(), PracticeList.objects.count()
    with pytest.raises(IngestError) as caught:
        import_qof_practices(path)
    message = str(caught.value)
    assert "qof.csv" in message and "row 2" in message and "'PRACTICE_CODE'" in message
    assert "unknown area code 'Z99999'" in message
    assert (IndicatorValue.objects.count(), PracticeList.objects.count()) == (values, lists)
    assert not ImportRecord.objects.filter(file_name=str(path)).exists()


def test_register_above_the_list_names_the_row(register, tmp_path):
    path = _copy_with(tmp_path, "C82005,AST,541.0,06OV,9944", "C82005,AST,99441.0,06OV,9944")
    values = IndicatorValue.objects.count()
    with pytest.raises(IngestError) as caught:
        import_qof_practices(path)
    message = str(caught.value)
    assert "row 3" in message and "'REGISTER'" in message and "above the denominator" in message
    assert IndicatorValue.objects.count() == values
    assert not ImportRecord.objects.filter(file_name=str(path)).exists()


def test_mapping_with_a_practice_missing_from_ods_loads_nothing(db, tmp_path):
    EnglandFactory()
    mapping = tmp_path / "mapping.csv"
    text = demo_file(f"{FOLDER}/nhsd_qof_2022-23_mapping_demo.csv").read_text()
    mapping.write_text(text.replace(",Y07274,", ",Y99999,"))
    practices, areas = Practice.objects.count(), Area.objects.count()
    with pytest.raises(IngestError, match=r"row 176, column 'PRACTICE_CODE': unknown practice"):
        import_practice_register(
            demo_file(f"{FOLDER}/nhsd_epraccur_2022_coventry_warwickshire_leicester_city.csv"),
            mapping,
        )
    assert (Practice.objects.count(), Area.objects.count()) == (practices, areas)


def test_the_import_command_kinds(db, capsys):
    from django.core.management import call_command

    EnglandFactory()
    folder = demo_file(FOLDER)
    call_command(
        "import", "practice-register",
        str(folder / "nhsd_epraccur_2022_coventry_warwickshire_leicester_city.csv"),
        "--mapping", str(folder / "nhsd_qof_2022-23_mapping_demo.csv"),
    )  # fmt: skip
    call_command("import", "qof-practices", str(demo_file(QOF)), "--period", "2022/23")
    out = capsys.readouterr().out
    assert "210 practices" in out  # the ODS file's GP practices (prescribing setting 4)
    assert "nhsd_qof_2022-23_prevalence_by_practice_demo.csv: " in out
    assert PracticeList.objects.filter(period="2022/23").exists()
