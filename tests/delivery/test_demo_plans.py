"""The example delivery plans on the loaded demo show a board a realistic mix: measures on
track, off track and not distinguishable from their trajectory, statistical process control
readings and forecasts on the long quarterly series, deaths to avert against the programmes'
claims, and only a minority with "not enough data"; loading them again changes nothing."""

from collections import Counter

import pytest

from healthgap.delivery.deaths import deaths_to_avert
from healthgap.delivery.judgement import INDISTINGUISHABLE, NOT_ENOUGH_DATA, OFF_TRACK, ON_TRACK
from healthgap.delivery.models import OutcomeMeasure, Programme, Strategy
from healthgap.delivery.progress import measure_progress
from healthgap.demo.delivery import CLOSING_THE_GAP, MARMOT_CITY, load_demo_plans
from healthgap.demo.delivery_series import SERIES, load_local_series
from healthgap.indicators.models import IndicatorValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
ASSURANCES = ("consistently passing", "consistently failing", "hit and miss")


def _example_measures():
    return OutcomeMeasure.objects.filter(
        priority__strategy__name__in=[CLOSING_THE_GAP, MARMOT_CITY]
    ).select_related("indicator", "area", "baseline_period")


def test_a_board_sees_a_mix_of_judgements():
    progress = [measure_progress(measure) for measure in _example_measures()]
    statuses = Counter(item.status for item in progress)
    for status in (ON_TRACK, OFF_TRACK, INDISTINGUISHABLE):
        assert statuses[status] >= 1, statuses
    assert statuses[NOT_ENOUGH_DATA] < len(progress) / 2, statuses
    judged_with_spc = [
        item for item in progress if item.assurance in ASSURANCES and item.status != NOT_ENOUGH_DATA
    ]
    assert len({item.assurance for item in judged_with_spc}) >= 2
    for item in judged_with_spc:
        assert len(item.spc_rows) >= 15
        assert item.forecast_words.startswith("On the trend of the latest 5 values")


def test_each_strategy_judges_a_synthetic_series_with_its_interval():
    for name in (CLOSING_THE_GAP, MARMOT_CITY):
        judged = [
            measure_progress(measure)
            for measure in _example_measures().filter(priority__strategy__name=name)
        ]
        synthetic = [item for item in judged if item.measure.indicator.is_synthetic]
        assert synthetic and all(item.status != NOT_ENOUGH_DATA for item in synthetic)
        assert all("(local" in item.measure.indicator.name for item in synthetic)
        assert all("synthetic" in item.measure.indicator.name for item in synthetic)


def test_mortality_measures_show_deaths_to_avert_against_claims():
    deaths = [d for m in _example_measures() if (d := deaths_to_avert(m)) is not None]
    assert {d.measure.area_id for d in deaths} == {"E06000016", "E08000026"}
    for item in deaths:
        assert item.needed > 0 and item.claimed > 0
        covered = "enough to cover it." if item.claimed >= item.needed else "a shortfall of"
        assert covered in item.words
    # The all-cause measures are short of their claims; Coventry's cancer one is covered.
    assert sum(item.shortfall > 0 for item in deaths) == len(deaths) - 1


def test_the_cancer_measure_counts_the_citys_synthetic_cancer_deaths():
    cancer = _example_measures().get(area_id="E08000026", indicator_id="40502")
    assert cancer.cause_group == "cancer" and cancer.target_value is not None
    deaths = deaths_to_avert(cancer)
    assert deaths.synthetic and not deaths.missing
    assert "record-level deaths extract" in deaths.basis and ", synthetic" in deaths.basis
    assert "cause of death Cancer (ICD-10 C00-C97" in deaths.basis
    # The all-cause measures keep ONS's published deaths.
    for item in _example_measures().filter(indicator_id="108"):
        assert item.cause_group == "all"
        assert deaths_to_avert(item).basis.startswith("ONS deaths registered in 2014")


def _state() -> tuple:
    series = IndicatorValue.objects.filter(indicator_id__in=[s.code for s in SERIES])
    return (
        Strategy.private_objects.count(),
        Programme.private_objects.count(),
        sorted(_example_measures().values_list("pk", "target_value", "version")),
        sorted(series.values_list("pk", "value", "lower95", "upper95", "import_record_id")),
    )


def test_loading_the_plans_and_series_again_changes_nothing():
    before = _state()
    load_local_series()
    load_demo_plans(report=lambda *_: None)
    assert _state() == before
