"""Indicator queries on a few rows made with factories: points and areas with data, the
whole-population filter, and the area hierarchy from LSOA to England."""

import pytest

from healthgap.areas.models import AreaType
from healthgap.areas.queries import wards_of
from healthgap.constants import ENGLAND_CODE, MALE
from healthgap.indicators import queries
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    LsoaFactory,
    PeriodFactory,
    UpperTierFactory,
)

pytestmark = pytest.mark.django_db


def test_an_lsoa_sits_in_its_msoa_ward_authority_region_and_england():
    authority = UpperTierFactory(code="E06999901", name="Testshire")
    lsoa = LsoaFactory(parent__parent=authority)
    assert lsoa.parent.area_type == AreaType.MSOA and lsoa.parent.parent == authority
    assert lsoa.ward.parent == authority and list(wards_of(authority)) == [lsoa.ward]
    assert lsoa.region().code == authority.parent.code
    assert lsoa.region().parent.code == ENGLAND_CODE


def test_points_are_latest_first_and_breakdowns_are_left_out():
    indicator = IndicatorFactory()
    area = UpperTierFactory(code="E06999902", name="Other")
    for year in (2017, 2019, 2018):
        IndicatorValueFactory(indicator=indicator, area=area, period=PeriodFactory(year=year))
    IndicatorValueFactory(  # a breakdown only: 2020 is not a whole-population point
        indicator=indicator,
        area=area,
        period__year=2020,
        category_type="Deprivation decile",
        category="1",
    )
    IndicatorValueFactory(indicator=indicator, area=area, sex=MALE, period__year=2016)
    points = queries.indicator_points(indicator.code, [area.code])
    assert [label for label, _, _ in points] == ["2019", "2018", "2017", "2016"]
    assert queries.areas_with_data(indicator.code, [area.code, ENGLAND_CODE]) == {area.code}
    assert queries.indicators_with_data([area.code]) == [indicator]
