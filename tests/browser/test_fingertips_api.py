"""fingertips_py (OHID's own client, from PyPI) against healthgap's Fingertips-compatible
endpoints on a running server: only its base URL is changed. The figures it reads back must be
those of the Fingertips export the demo loaded (the bundled file is read independently here)."""

import pandas as pd
import pytest
from fingertips_py import metadata, retrieve_data

from healthgap.demo.loader import DEMO_DIR

pytestmark = pytest.mark.browser
SUICIDE = 41001
COUNTIES_AND_UAS = 202
EXPORT = DEMO_DIR / "fingertips" / "fingertips_export_suicide_countyUA_west_midlands.csv"


@pytest.fixture
def client_on_healthgap(served_app, monkeypatch):
    """fingertips_py with its base URL pointed at the served demo (both modules copy it)."""
    base = f"{served_app}/api/"
    for module in (metadata, retrieve_data):
        monkeypatch.setattr(module, "base_url", base)
    return base


def test_fingertips_py_reads_the_demo_data(client_on_healthgap):
    data = retrieve_data.get_all_data_for_indicators(
        SUICIDE, COUNTIES_AND_UAS, parent_area_type_id=15
    )
    source = pd.read_csv(EXPORT)
    coventry = source[(source["AreaCode"] == "E08000026") & (source["IndicatorID"] == SUICIDE)]
    served = data[data["Area Code"] == "E08000026"]
    expected = coventry.set_index(["Sex", "Timeperiod"])["Value"].sort_index()
    got = served.set_index(["Sex", "Time period"])["Value"].sort_index()
    assert len(expected) > 0
    pd.testing.assert_series_equal(got, expected, check_names=False, check_index_type=False)
    assert {"E92000001", "E06000019"} <= set(data["Area Code"])
    assert (data["Indicator ID"] == SUICIDE).all()


def test_fingertips_py_reads_the_metadata(client_on_healthgap):
    areas = metadata.get_areas_for_area_type(COUNTIES_AND_UAS)
    assert areas["E08000026"]["Name"] == "Coventry"
    assert metadata.get_sex_id("Female") == 2
    assert metadata.get_all_areas()[COUNTIES_AND_UAS]["Name"].startswith("Counties and Unitary")
    assert metadata.get_age_from_id(metadata.get_age_id("10+ yrs")) == "10+ yrs"
    described = metadata.get_metadata_for_indicator(SUICIDE)
    assert described["Descriptive"]["Name"] == "Suicide rate"


def test_fingertips_py_reads_the_value_notes_of_the_export(client_on_healthgap):
    """Every value note the bundled export uses is one fingertips_py can look up by its text,
    and the id it gets back names that same note."""
    notes = set(pd.read_csv(EXPORT)["Value_note"].dropna())
    assert notes, "the bundled export has no value note to look up"
    served = metadata.get_all_value_notes()
    for note in notes:
        assert served[metadata.get_value_note_id(note)] == note
