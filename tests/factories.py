"""factory_boy factories for the few rows a unit test needs, instead of the whole demo.

Areas are looked up by code before they are created (``django_get_or_create``): the test
database is shared by the session, so a test that runs after the demo was loaded finds England,
its regions and authorities already there. Tests must therefore filter by their own codes rather
than count whole tables. Generated codes carry a "T" (``E01T00001``) so that they never match a
real GSS code of the demo.
"""

from datetime import date

import factory

from healthgap.areas.models import Area, AreaType
from healthgap.constants import ENGLAND_CODE, PERSONS
from healthgap.indicators.models import (
    ImportRecord,
    Indicator,
    IndicatorValue,
    Period,
    Polarity,
    ValueType,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E06T{n:05d}")
    name = factory.LazyAttribute(lambda area: f"Area {area.code}")
    area_type = AreaType.UNITARY
    parent = None


class EnglandFactory(AreaFactory):
    code = ENGLAND_CODE
    name = "England"
    area_type = AreaType.ENGLAND


class RegionFactory(AreaFactory):
    code = "E12000005"
    name = "West Midlands"
    area_type = AreaType.REGION
    parent = factory.SubFactory(EnglandFactory)


class UpperTierFactory(AreaFactory):
    """An upper-tier authority (Coventry by default) in its region."""

    code = "E08000026"
    name = "Coventry"
    area_type = AreaType.UNITARY
    parent = factory.SubFactory(RegionFactory)


class WardFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"E05T{n:05d}")
    area_type = AreaType.WARD
    parent = factory.SubFactory(UpperTierFactory)


class MsoaFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"E02T{n:05d}")
    area_type = AreaType.MSOA
    parent = factory.SubFactory(UpperTierFactory)


class LsoaFactory(AreaFactory):
    """An LSOA inside an MSOA of its authority, best fitting a ward of the same authority."""

    code = factory.Sequence(lambda n: f"E01T{n:05d}")
    area_type = AreaType.LSOA
    parent = factory.SubFactory(MsoaFactory)
    ward = factory.SubFactory(WardFactory, parent=factory.SelfAttribute("..parent.parent"))


class PeriodFactory(factory.django.DjangoModelFactory):
    """A calendar year (2018 by default)."""

    class Meta:
        model = Period
        django_get_or_create = ("label",)

    class Params:
        year = 2018

    label = factory.LazyAttribute(lambda period: str(period.year))
    start = factory.LazyAttribute(lambda period: date(period.year, 1, 1))
    end = factory.LazyAttribute(lambda period: date(period.year, 12, 31))


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n}")
    name = factory.LazyAttribute(lambda indicator: f"Test indicator {indicator.code}")
    domain = "Test domain"
    unit = "%"
    value_type = ValueType.PROPORTION
    polarity = Polarity.NO_JUDGEMENT


class ImportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRecord

    file_name = factory.Sequence(lambda n: f"test-file-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    importer = "test"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(UpperTierFactory)
    period = factory.SubFactory(PeriodFactory)
    sex = PERSONS
    value = 20.0
    lower95 = 18.0
    upper95 = 22.0
    count = 200.0
    denominator = 1000.0
    import_record = factory.SubFactory(ImportRecordFactory)
