"""Standardised mortality from ONS deaths and population (healthgap.ingest.ons_mortality).

Worked example: ONS "Deaths registered by area of usual residence, 2014 registrations", Table 1a,
age-standardised mortality rates per 100,000 (2013 European Standard Population), persons:
England 946.7, Coventry 1,012.8, Leicester 1,108.4, Leicestershire 877.2; males England 1,113.8.
The same pipeline at all ages must reproduce them from Table 2 deaths and MYE2 mid-2014.
"""

import pytest

from healthgap.demo.loader import demo_file
from healthgap.indicators.models import IndicatorValue
from healthgap.ingest.ons_mortality import ALL_AGES, death_counts, standardised_rates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

ONS_TABLE_1A_ASMR = {
    ("E92000001", "Persons"): 946.7,
    ("E08000026", "Persons"): 1012.8,
    ("E06000016", "Persons"): 1108.4,
    ("E10000018", "Persons"): 877.2,
    ("E92000001", "Male"): 1113.8,
}


def _files():
    return (
        demo_file("mortality/ons_deaths_area_2014_table2_by_age_sex_tidy.csv"),
        demo_file("population/ons_mye2_mid2014_males_single_year_la.csv"),
        demo_file("population/ons_mye2_mid2014_females_single_year_la.csv"),
    )


def test_all_ages_rates_match_the_ons_published_asmr():
    rates = standardised_rates(death_counts(*_files(), below=ALL_AGES), below=ALL_AGES)
    rates = rates.set_index(["area", "sex"])["value"]
    for key, published in ONS_TABLE_1A_ASMR.items():
        assert rates[key] == pytest.approx(published, abs=0.6), key


def test_somerset_county_is_summed_from_its_districts():
    counts = death_counts(*_files())
    somerset = counts[(counts["area"] == "E10000027") & (counts["sex"] == "Persons")]
    districts = ["E07000187", "E07000188", "E07000189", "E07000190", "E07000191"]
    summed = counts[counts["area"].isin(districts) & (counts["sex"] == "Persons")]
    assert somerset["deaths"].sum() == summed["deaths"].sum() > 0
    stored = IndicatorValue.objects.get(
        indicator_id="108", area_id="E10000027", sex="Persons", period__label="2014"
    )
    assert stored.value_note.startswith("Summed from its districts")
    assert stored.count == somerset["deaths"].sum()
