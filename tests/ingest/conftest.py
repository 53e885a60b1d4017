"""Importer fixtures: the few areas the small test files name, made with factories."""

import pytest

from healthgap.areas.models import AreaType
from tests.factories import RegionFactory, UpperTierFactory
from tests.ingest.fingertips_files import COVENTRY, EAST_MIDLANDS, LEICESTER, WARWICKSHIRE


@pytest.fixture
def few_areas(db):
    """England, the West and East Midlands, Coventry, Warwickshire (a county) and Leicester."""
    UpperTierFactory(code=COVENTRY, name="Coventry")
    UpperTierFactory(code=WARWICKSHIRE, name="Warwickshire", area_type=AreaType.COUNTY)
    east_midlands = RegionFactory(code=EAST_MIDLANDS, name="East Midlands")
    UpperTierFactory(code=LEICESTER, name="Leicester", parent=east_midlands)
