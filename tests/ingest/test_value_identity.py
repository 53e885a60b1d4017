"""A value keeps its id across re-imports, and every import records who ran it.

Run on both databases: ``.venv/bin/python -m pytest tests/ingest`` (SQLite) and
``scripts/with_postgres.sh .venv/bin/python -m pytest tests/ingest`` (PostgreSQL).
"""

import getpass
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from healthgap.indicators.models import ImportRecord, IndicatorValue, SupersededValue
from healthgap.ingest.fingertips import import_fingertips_export
from healthgap.ingest.values import run_by
from tests.ingest.fingertips_files import (
    COVENTRY,
    ENGLAND,
    WARWICKSHIRE,
    database_state,
    row,
    write_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]
TABLE = IndicatorValue._meta.db_table
STORED = ["id", "area_id", "value", "lower95", "upper95", "import_record_id", "source_row"]
STORED += ["compared_to_england", "compared_to_region", "rank_upper_tier", "recent_trend"]


def limits(low, high):
    return {"Lower_CI_95.0_limit": low, "Upper_CI_95.0_limit": high}


def stored():
    """Every stored value of the test indicator, by area."""
    rows = IndicatorValue.objects.filter(indicator="99999").values(*STORED)
    return {value["area_id"]: value for value in rows}


@contextmanager
def statements():
    """Every SQL statement Django's cursors run in the block."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def updates_of_values(sql: list[str]) -> list[str]:
    return [s for s in sql if s.lstrip().upper().startswith("UPDATE") and TABLE in s]


def test_a_changed_value_keeps_its_id_and_its_history(tmp_path):
    warwickshire = row(WARWICKSHIRE, Value="30", **limits("29", "31"))
    first = [row(), row(ENGLAND, **limits("19.9", "20.1")), warwickshire]
    import_fingertips_export(write_rows(tmp_path / "v1.csv", first))
    before = stored()
    # Coventry's figure is revised; England's too, which changes Warwickshire's comparison
    # (30 against 20 is "Higher", against 35 "Lower") without changing its figures.
    revised = [row(ENGLAND, Value="35", **limits("34.9", "35.1")), row(Value="21"), warwickshire]
    result = import_fingertips_export(write_rows(tmp_path / "v2.csv", revised))
    assert (result.new, result.replaced, result.unchanged) == (0, 2, 1)
    after = stored()
    assert {area: value["id"] for area, value in after.items()} == {
        area: value["id"] for area, value in before.items()
    }
    newer = ImportRecord.objects.get(file_name=str(tmp_path / "v2.csv"))
    coventry = after[COVENTRY]
    assert (coventry["value"], coventry["import_record_id"], coventry["source_row"]) == (
        21,
        newer.id,
        3,
    )
    [history] = SupersededValue.objects.filter(indicator="99999", area=COVENTRY)
    assert (history.value, history.lower95, history.upper95) == (20, 18, 22)
    assert history.import_record_id == before[COVENTRY]["import_record_id"]
    assert history.superseded_by == newer
    # Warwickshire's figures are untouched; only its benchmark follows the new England value.
    warwickshire = after[WARWICKSHIRE]
    assert warwickshire["import_record_id"] == before[WARWICKSHIRE]["import_record_id"]
    assert (warwickshire["value"], warwickshire["source_row"]) == (30, 4)
    assert before[WARWICKSHIRE]["compared_to_england"] == "Higher"
    assert warwickshire["compared_to_england"] == "Lower"
    assert SupersededValue.objects.filter(area=WARWICKSHIRE).count() == 0


def test_a_value_revised_twice_keeps_its_id_and_both_old_figures(tmp_path):
    for version, value in enumerate(["20", "21", "22"]):
        import_fingertips_export(write_rows(tmp_path / f"v{version}.csv", [row(Value=value)]))
        if version == 0:
            first_id = IndicatorValue.objects.get(indicator="99999", area=COVENTRY).id
    value = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    assert (value.id, value.value) == (first_id, 22)
    history = SupersededValue.objects.filter(indicator="99999", area=COVENTRY).order_by("id")
    assert [(old.value, old.superseded_by.file_name[-6:]) for old in history] == [
        (20, "v1.csv"),
        (21, "v2.csv"),
    ]


def test_the_same_values_again_update_nothing(tmp_path):
    rows = [row(), row(ENGLAND), row(WARWICKSHIRE, Value="30")]
    path = write_rows(tmp_path / "a.csv", rows)
    import_fingertips_export(path)
    before, superseded = stored(), SupersededValue.objects.count()
    # The same file is passed over by its SHA-256; the same values in a file written another
    # way (rows reversed) are read, matched and found unchanged.
    with statements() as seen:
        again = import_fingertips_export(path)
    assert again.already_loaded and seen and not updates_of_values(seen)
    with statements() as seen:
        reordered = import_fingertips_export(write_rows(tmp_path / "b.csv", rows[::-1]))
    assert (reordered.new, reordered.replaced, reordered.unchanged) == (0, 0, 3)
    assert updates_of_values(seen) == []
    assert stored() == before
    assert SupersededValue.objects.count() == superseded


def test_values_a_newer_file_leaves_out_stay_as_they_were(tmp_path):
    import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(WARWICKSHIRE)]))
    before = stored()
    import_fingertips_export(write_rows(tmp_path / "v2.csv", [row(Value="21")]))
    after = stored()
    assert after[WARWICKSHIRE] == before[WARWICKSHIRE]
    assert after[COVENTRY]["id"] == before[COVENTRY]["id"]


def test_the_import_command_records_who_ran_it(tmp_path):
    first = write_rows(tmp_path / "a.csv", [row()])
    call_command("import", "fingertips", str(first), user="Public health analyst")
    [record] = ImportRecord.objects.filter(file_name=str(first))
    assert (record.run_by, record.run_by_name) == (None, "Public health analyst")
    second = write_rows(tmp_path / "b.csv", [row(Value="21")])
    call_command("import", "fingertips", str(second))
    [record] = ImportRecord.objects.filter(file_name=str(second))
    assert record.run_by_name == getpass.getuser()


def test_an_import_run_by_a_user_is_recorded_once_with_that_user(tmp_path):
    user = get_user_model().objects.create_user("analyst")
    counts = database_state()
    with run_by(user):
        import_fingertips_export(write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)]))
    assert database_state()[1] == counts[1] + 1  # one ImportRecord
    record = ImportRecord.objects.get(file_name=str(tmp_path / "a.csv"))
    assert (record.run_by, record.run_by_name) == (user, "analyst")
    user.delete()  # the record stays, with the name
    record.refresh_from_db()
    assert (record.run_by, record.run_by_name) == (None, "analyst")
