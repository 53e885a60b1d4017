"""The demo database holds every bundled Fingertips file and the synthetic figures, benchmarked."""

import pytest

from healthgap.areas.models import Area
from healthgap.areas.queries import wards_of
from healthgap.demo.loader import FINGERTIPS_FILES, indicator_steps
from healthgap.demo.synthetic import DECILE_LE, WARD_LE, load_synthetic_life_expectancy
from healthgap.indicators.models import ImportRecord, Indicator, IndicatorValue, SupersededValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

COVENTRY, LEICESTER = "E08000026", "E06000016"


def test_every_bundled_file_was_imported_once():
    names = {
        record.split("/")[-1] for record in ImportRecord.objects.values_list("file_name", flat=True)
    }
    assert set(FINGERTIPS_FILES) <= names


def test_loading_the_files_again_changes_nothing():
    before = (
        IndicatorValue.objects.count(),
        SupersededValue.objects.count(),
        ImportRecord.objects.count(),
    )
    for _, step in indicator_steps():
        step()
    after = (
        IndicatorValue.objects.count(),
        SupersededValue.objects.count(),
        ImportRecord.objects.count(),
    )
    assert after == before


def test_indicators_have_a_domain_and_polarity():
    assert not Indicator.objects.filter(domain="").exists()
    assert Indicator.objects.get(code="90366").polarity == "high"


def test_coventry_life_expectancy_is_benchmarked_against_england():
    value = IndicatorValue.objects.get(
        indicator="90366", area=COVENTRY, period__label="2015 - 17", sex="Male"
    )
    assert value.value == pytest.approx(78.2, abs=0.05)
    assert value.compared_to_england == "Worse"
    assert value.comparison_basis == "published"
    assert 1 <= value.rank_upper_tier <= value.ranked_among
    assert value.quartile_upper_tier in (1, 2, 3, 4)


def test_fingertips_export_values_are_compared_with_region_from_their_limits():
    value = IndicatorValue.objects.get(indicator="41001", area=LEICESTER, sex="Male")
    assert value.comparison_basis == "computed"
    assert value.compared_to_region in ("Higher", "Similar", "Lower")
    # The export has no 99.8% limits for this indicator.
    assert value.compared_to_england_998 == "Not compared"
    assert value.source_row > 1 and value.import_record is not None


def test_a_newer_extract_replaced_older_values_and_kept_them():
    old = SupersededValue.objects.filter(indicator="90362", area=COVENTRY)
    assert old.exists()
    current = IndicatorValue.objects.get(
        indicator="90362", area=COVENTRY, period=old[0].period, sex=old[0].sex
    )
    assert current.import_record.file_name.endswith("tdl_themes_healthy_life_expectancy.csv")


def test_synthetic_values_come_through_the_importer_and_load_once():
    """Generated figures take the path of an imported file: one import record, a source row and
    benchmarking for every value; generating them again changes nothing."""
    synthetic = IndicatorValue.objects.filter(indicator__in=[WARD_LE, DECILE_LE])
    [record] = ImportRecord.objects.filter(values__in=synthetic).distinct()
    boards = Area.objects.filter(is_hwb=True)
    per_board = [wards_of(board).count() + 1 + 10 for board in boards]  # wards, whole, deciles
    assert record.importer == "synthetic" and record.row_count == synthetic.count()
    assert synthetic.count() == sum(per_board)
    assert not synthetic.filter(source_row=None).exists()
    assert not synthetic.filter(compared_to_england="").exists()
    assert Indicator.objects.filter(code__in=[WARD_LE, DECILE_LE], is_synthetic=True).count() == 2
    before = (synthetic.count(), ImportRecord.objects.count())
    load_synthetic_life_expectancy()
    assert (synthetic.count(), ImportRecord.objects.count()) == before
