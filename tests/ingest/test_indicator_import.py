"""Indicator importers: idempotent re-import, history, round trips, every kind, the command."""

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from healthgap.indicators.models import (
    ImportRecord,
    Indicator,
    IndicatorValue,
    SupersededValue,
    ValueCheck,
)
from healthgap.ingest.export import select_values, write_csv, write_xlsx
from healthgap.ingest.fingertips import import_fingertips_export
from healthgap.ingest.local import import_local_csv
from healthgap.ingest.practices import import_gp_patients, import_qof_workbook
from tests.factories import IndicatorFactory
from tests.ingest.fingertips_files import (
    COVENTRY,
    ENGLAND,
    WARWICKSHIRE,
    WEST_MIDLANDS,
    database_state,
    row,
    write_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_areas")]
FIGURES = ["value", "lower95", "upper95", "lower998", "upper998", "count", "denominator"]
KEY = ["indicator_id", "area_id", "period__label", "sex", "age", "category_type", "category"]


def stored(indicators):
    rows = IndicatorValue.objects.filter(indicator__in=indicators)
    frame = pd.DataFrame.from_records(rows.values(*KEY, *FIGURES, "value_note"))
    return frame.sort_values(KEY).reset_index(drop=True)


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_rows(tmp_path / "a.csv", [row(), row(ENGLAND)])
    import_fingertips_export(path)
    before = database_state()
    again = import_fingertips_export(path)
    assert again.already_loaded and database_state() == before


def test_a_newer_file_replaces_values_and_keeps_the_history(tmp_path):
    first = import_fingertips_export(write_rows(tmp_path / "v1.csv", [row(), row(ENGLAND)]))
    newer = write_rows(tmp_path / "v2.csv", [row(Value="21"), row(ENGLAND)])
    result = import_fingertips_export(newer)
    assert (result.new, result.replaced, result.unchanged) == (0, 1, 1)
    current = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    assert current.value == 21 and current.import_record.file_name == str(newer)
    [old] = SupersededValue.objects.filter(indicator="99999", area=COVENTRY)
    assert old.value == 20 and old.superseded_by == current.import_record
    assert old.import_record.file_name.endswith("v1.csv") and first.new == 2


def test_first_load_and_re_import_give_the_same_values_and_benchmarks(tmp_path, monkeypatch):
    """A first load (nothing stored for the indicator) skips matching with stored values; a
    re-import matches, keeps history and benchmarks again. Both must end in the same state."""
    from healthgap.ingest import values

    rows = [row(), row(ENGLAND), row(WEST_MIDLANDS), row(WARWICKSHIRE, Value="30")]
    compared = ["indicator_id", "area_id", "value", "compared_to_england", "compared_to_region"]
    compared += ["rank_upper_tier", "recent_trend", "source_row"]
    monkeypatch.setattr(values, "_differs", lambda *a: pytest.fail("first load matched values"))
    first = import_fingertips_export(write_rows(tmp_path / "a.csv", rows))
    assert (first.new, first.replaced, first.unchanged) == (4, 0, 0)
    ours = IndicatorValue.objects.filter(indicator="99999")
    loaded = list(ours.order_by("area_id").values(*compared))
    monkeypatch.undo()
    changed = import_fingertips_export(
        write_rows(tmp_path / "b.csv", [*rows[:3], row(WARWICKSHIRE)])
    )
    assert (changed.new, changed.replaced, changed.unchanged) == (0, 1, 3)
    assert SupersededValue.objects.get(area=WARWICKSHIRE).value == 30
    back = import_fingertips_export(
        write_rows(tmp_path / "c.csv", [*rows, row(ENGLAND, Sex="Male")])
    )
    assert (back.new, back.replaced, back.unchanged) == (1, 1, 3)
    again = ours.filter(sex="Persons").order_by("area_id").values(*compared)
    assert list(again) == loaded


def test_benchmarks_are_computed_against_england_and_region(tmp_path):
    limits = {"Lower_CI_95.0_limit": "12", "Upper_CI_95.0_limit": "14"}
    rows = [
        row(ENGLAND, Value="20", **{"Lower_CI_95.0_limit": "19.9", "Upper_CI_95.0_limit": "20.1"}),
        row(WEST_MIDLANDS, Value="10", **{"Lower_CI_95.0_limit": "9", "Upper_CI_95.0_limit": "11"}),
        row(COVENTRY, Value="13", **limits),
        row(WARWICKSHIRE, Value="25", **{"Lower_CI_95.0_limit": "24", "Upper_CI_95.0_limit": "26"}),
    ]
    import_fingertips_export(write_rows(tmp_path / "bench.csv", rows))
    coventry = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    # Polarity unknown and the file says "Similar" only: no judgement, so Higher/Lower.
    assert Indicator.objects.get(code="99999").polarity == "none"
    assert (coventry.compared_to_england, coventry.compared_to_region) == ("Lower", "Higher")
    assert (coventry.rank_upper_tier, coventry.ranked_among) == (1, 2)
    england = IndicatorValue.objects.get(indicator="99999", area=ENGLAND)
    assert england.compared_to_england == "Not compared" and england.rank_upper_tier is None


def test_published_figures_that_disagree_are_recorded(tmp_path):
    # 200 / 1000 is 20%, with Wilson limits 17.6 to 22.6, not 18 to 22.
    IndicatorFactory(code="99999", value_type="proportion")
    import_fingertips_export(write_rows(tmp_path / "checks.csv", [row(), row(ENGLAND)]))
    checks = ValueCheck.objects.filter(value__area=COVENTRY, value__indicator="99999")
    fields = {check.field: check for check in checks}
    assert "value" not in fields
    assert fields["lower95"].given == "18" and fields["lower95"].computed.startswith("17.6")
    assert "Wilson" in fields["lower95"].method


def test_recent_trend_is_set_on_each_value(tmp_path):
    rows = []
    for year, (count, england) in enumerate(zip([100, 150, 200, 250, 300, 350], [200] * 6)):
        period = str(2012 + year)
        for area, x in ((COVENTRY, count), (ENGLAND, england)):
            rows.append(row(area, Timeperiod=period, Value=str(x / 10), Count=str(x),
                            **{"Lower_CI_95.0_limit": "", "Upper_CI_95.0_limit": ""}))  # fmt: skip
    IndicatorFactory(code="99999", value_type="proportion", polarity="low")
    import_fingertips_export(write_rows(tmp_path / "trend.csv", rows))
    trend = dict(
        IndicatorValue.objects.filter(indicator="99999", area=COVENTRY).values_list(
            "period__label", "recent_trend"
        )
    )
    assert trend["2015"] == "Cannot be calculated"  # only 4 points up to 2015
    assert trend["2016"] == trend["2017"] == "Increasing and getting worse"


@pytest.mark.usefixtures("demo_db")  # the file names every West Midlands authority
def test_import_export_import_gives_the_same_values(tmp_path, shared_data):
    source = shared_data / "fingertips" / "fingertips_export_suicide_countyUA_west_midlands.csv"
    codes = ["41001", "91390", "91393", "91404", "91430"]
    for code in codes:  # the demo loaded them: start from nothing
        IndicatorValue.objects.filter(indicator=code).delete()
    import_fingertips_export(source)
    first = stored(codes)
    exported = tmp_path / "export.csv"
    assert write_csv(select_values(codes), exported) == len(first)
    IndicatorValue.objects.filter(indicator__in=codes).delete()
    import_fingertips_export(exported)
    pd.testing.assert_frame_equal(stored(codes), first)

    workbook = tmp_path / "export.xlsx"
    write_xlsx(select_values(codes), workbook)
    result = import_fingertips_export(workbook)
    assert (result.new, result.replaced, result.unchanged) == (0, 0, len(first))


def test_healthgap_csv_for_local_indicators(tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "indicator_code,indicator_name,polarity,unit,area_code,period,value,lower95,upper95\n"
        "cov-1,Green space visits,higher is better,%,E08000026,2019/20,41.5,39,44\n"
        "cov-1,,,,E92000001,2019/20,45,44.5,45.5\n"
        "cov-1,,,,E08000026,2020/21,43,,\n"
    )
    assert import_local_csv(path).new == 3
    indicator = Indicator.objects.get(code="cov-1")
    assert (indicator.polarity, indicator.domain) == ("high", "Local indicators")
    value = IndicatorValue.objects.get(indicator="cov-1", period__label="2019/20", area=COVENTRY)
    assert value.compared_to_england == "Worse"


def test_gp_patients_and_qof_workbook(shared_data):
    folder = shared_data / "gp_practice"
    path = folder / "nhsd_gp_registered_patients_by_practice_england_2022-05.csv"
    import_gp_patients(path)
    # The practices of NHS Leicester City CCG (04C) by their codes in the file: when the demo is
    # loaded they already sit under their primary care networks, not under the CCG.
    patients = pd.read_csv(path, dtype=str)
    codes = patients.loc[patients["CCG_CODE"] == "04C", "CODE"].tolist()
    leicester = IndicatorValue.objects.filter(indicator="gp_registered_patients", area_id__in=codes)
    assert leicester.count() == 56
    assert sum(leicester.values_list("value", flat=True)) == 426_933
    [result] = import_qof_workbook(folder / "nhsd_qof_2014-15_ccg_prevalence_achievement.xlsx")
    assert result.new > 4000
    hypertension = IndicatorValue.objects.get(
        indicator="qof_HYP", period__label="2014/15", area__name__icontains="Coventry and Rugby"
    )
    assert (hypertension.count, hypertension.denominator) == (64927, 472725)
    assert hypertension.value == pytest.approx(13.7, abs=0.05)
    assert hypertension.lower95 < hypertension.value < hypertension.upper95


def test_the_import_command(tmp_path, capsys):
    path = write_rows(tmp_path / "cli.csv", [row(), row(ENGLAND)])
    call_command("import", "fingertips", str(path))
    assert "2 new" in capsys.readouterr().out
    bad = write_rows(tmp_path / "bad.csv", [row("E08999999")])
    with pytest.raises(Exception, match="unknown area code") as caught:
        call_command("import", "fingertips", str(bad))
    assert "row 2" in str(caught.value) and "AreaCode" in str(caught.value)
    assert ImportRecord.objects.filter(file_name=str(bad)).count() == 0
    assert not np.isnan(IndicatorValue.objects.get(indicator="99999", area=COVENTRY).value)


def test_replacing_a_value_that_had_checks_replaces_its_checks(tmp_path):
    """A newer file for a value with recorded disagreements: the value keeps its id, the old
    checks go (its history is kept), and it gets the new import's own checks."""
    IndicatorFactory(code="99999", value_type="proportion")
    import_fingertips_export(write_rows(tmp_path / "first.csv", [row(), row(ENGLAND)]))
    old = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    old_checks = set(old.checks.values_list("id", flat=True))
    assert old_checks
    limits = {"Lower_CI_95.0_limit": "22", "Upper_CI_95.0_limit": "27"}
    newer = [row(Value="25", Count="250", **limits), row(ENGLAND)]
    result = import_fingertips_export(write_rows(tmp_path / "newer.csv", newer))
    assert result.replaced == 1
    assert not ValueCheck.objects.filter(id__in=old_checks).exists()
    new = IndicatorValue.objects.get(indicator="99999", area=COVENTRY)
    assert new.id == old.id and new.value == 25
    # 250 / 1000 is 25%, with Wilson limits 22.4 to 27.8, not 22 to 27.
    checks = {check.field: check for check in new.checks.all()}
    assert checks["lower95"].given == "22" and checks["lower95"].computed.startswith("22.4")
    assert {check.import_record_id for check in checks.values()} == {new.import_record_id}
    assert SupersededValue.objects.get(area=COVENTRY, indicator="99999").value == 20
