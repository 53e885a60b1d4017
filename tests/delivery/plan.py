"""Strategies, measures and indicator series made in the test database for the delivery tests."""

from datetime import date

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.delivery.models import OutcomeMeasure, Priority, Strategy
from healthgap.indicators.models import Indicator, IndicatorValue, Period, Polarity
from healthgap.publishing import services

COVENTRY = "E08000026"


def indicator(code="t-1", polarity=Polarity.LOW_IS_GOOD, **fields) -> Indicator:
    return Indicator.objects.create(
        code=code, name=fields.pop("name", f"Test indicator {code}"), polarity=polarity, **fields
    )


def year(label: str) -> Period:
    start, end = date(int(label), 1, 1), date(int(label), 12, 31)
    return Period.objects.get_or_create(label=label, defaults={"start": start, "end": end})[0]


def value(ind, area_code, label, figure, lower=None, upper=None, count=None) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=ind,
        area_id=area_code,
        period=year(label),
        value=figure,
        lower95=lower,
        upper95=upper,
        count=count,
    )


def measure(creator, ind, area_code=COVENTRY, **fields) -> OutcomeMeasure:
    strategy = services.create(
        Strategy(name="Coventry Marmot City", area=Area.objects.get(code=area_code)), creator
    )
    priority = services.create(Priority(strategy=strategy, name="Healthy lives"), creator)
    return services.create(
        OutcomeMeasure(priority=priority, indicator=ind, area_id=area_code, **fields), creator
    )


def england(ind, label, figure) -> IndicatorValue:
    return value(ind, ENGLAND_CODE, label, figure)
