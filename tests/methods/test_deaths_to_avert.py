"""Deaths to avert: both targets worked by hand, the bands adding to the total, the DSR mode
checked with ``dsr()`` itself, and real ONS 2014 deaths for Coventry against England's rates."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, deaths_to_avert, dsr
from healthgap.methods.deaths_to_avert import ALL_AGES
from tests.methods._ons_mortality_2014 import deaths_2014

ESP_BANDS = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]


def area(deaths_young, deaths_old, **extra):
    return pd.DataFrame(
        {
            "band": ["0-64", "65+"],
            "deaths": [deaths_young, deaths_old],
            "pop": [20000, 5000],
            **extra,
        }
    )


# England-like target: 2 deaths per 1,000 under 65, 30 per 1,000 from 65.
TARGET = pd.DataFrame({"band": ["0-64", "65+"], "deaths": [200, 300], "pop": [100000, 10000]})


def byars(count, z, upper):
    """Byar's approximation written out (Breslow & Day 1987, as the PHE Technical Guide)."""
    if upper:
        count += 1
        return count * (1 - 1 / (9 * count) + z / (3 * np.sqrt(count))) ** 3
    return count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3


def test_target_rates_worked_by_hand():
    result = deaths_to_avert(area(30, 200), "deaths", "pop", "band", target_rates=TARGET)
    # expected: 20,000 x 0.002 = 40 and 5,000 x 0.03 = 150; observed 30 and 200.
    assert result["band"].tolist() == ["0-64", "65+", ALL_AGES]
    np.testing.assert_allclose(result["expected"], [40, 150, 190])
    np.testing.assert_allclose(result["value"], [-10, 50, 40])
    z = 1.959963984540054
    assert result["lowercl"].iloc[2] == pytest.approx(byars(230, z, upper=False) - 190)
    assert result["uppercl"].iloc[2] == pytest.approx(byars(230, z, upper=True) - 190)
    assert result["statistic"].tolist()[1:] == ["deaths a year above the target"] * 2
    assert result["statistic"].iloc[0] == "no deaths to avert: at or below the target"


def test_years_of_data_gives_deaths_a_year():
    one = deaths_to_avert(area(30, 200), "deaths", "pop", "band", target_rates=TARGET)
    three = deaths_to_avert(
        area(30, 200), "deaths", "pop", "band", target_rates=TARGET, years_of_data=3
    )
    for column in ("observed", "expected", "value", "lowercl", "uppercl"):
        np.testing.assert_allclose(three[column], one[column] / 3)


def test_small_counts_use_exact_poisson_limits():
    # Exact 95% Poisson limits for 5 events are 1.6235 and 11.6683 (e.g. the tables of
    # Geigy Scientific Tables, and PHE's Technical Guide "Confidence intervals", 2018).
    result = deaths_to_avert(area(5, 150), "deaths", "pop", "band", target_rates=TARGET)
    young = result.iloc[0]
    assert young["lowercl"] == pytest.approx(1.6235 - 40, abs=1e-4)
    assert young["uppercl"] == pytest.approx(11.6683 - 40, abs=1e-4)


def test_bands_add_up_to_each_groups_total():
    data = pd.concat([area(30, 200, sex="M"), area(25, 120, sex="F")], ignore_index=True)
    target = pd.concat([TARGET.assign(sex="M"), TARGET.assign(sex="F", deaths=[150, 250])])
    result = deaths_to_avert(data, "deaths", "pop", "band", by="sex", target_rates=target)
    for _, rows in result.groupby("sex"):
        bands, total = rows.iloc[:-1], rows.iloc[-1]
        assert total["band"] == ALL_AGES
        for column in ("observed", "expected", "value"):
            assert bands[column].sum() == pytest.approx(total[column], rel=1e-12)
    women = result[(result["sex"] == "F") & (result["band"] == "65+")]
    assert women["expected"].item() == pytest.approx(5000 * 0.025)  # women's own target


def esp_area(scale=1.0, pop=10000.0):
    rates = np.geomspace(0.0002, 0.15, 19) * scale
    pops = np.full(19, pop)
    return pd.DataFrame({"band": ESP_BANDS, "deaths": np.round(rates * pops), "pop": pops})


def test_target_dsr_scales_the_areas_rates_to_the_target():
    data = esp_area()
    observed_dsr = dsr(data, "deaths", "pop")["value"].item()
    target = 0.8 * observed_dsr
    result = deaths_to_avert(data, "deaths", "pop", "band", target_dsr=target)
    total = result.iloc[-1]
    assert total["value"] == pytest.approx(0.2 * data["deaths"].sum())  # (1 - T / DSR) x deaths
    bands = result.iloc[:-1]
    assert bands["value"].sum() == pytest.approx(total["value"], rel=1e-12)
    # Averting those deaths in every band brings the area's DSR to the target exactly.
    averted = data.assign(deaths=data["deaths"].to_numpy() - bands["value"].to_numpy())
    assert dsr(averted, "deaths", "pop")["value"].item() == pytest.approx(target, rel=1e-12)


def test_target_dsr_above_the_areas_is_flagged_not_an_error():
    data = esp_area()
    observed_dsr = dsr(data, "deaths", "pop")["value"].item()
    result = deaths_to_avert(data, "deaths", "pop", "band", target_dsr=1.1 * observed_dsr)
    assert (result["value"] < 0).all()
    assert (result["statistic"] == "no deaths to avert: at or below the target").all()


def test_target_dsr_with_too_few_deaths_is_nan_with_the_reason():
    data = pd.concat([esp_area().assign(area="big"), esp_area(0.002).assign(area="tiny")])
    result = deaths_to_avert(data, "deaths", "pop", "band", by="area", target_dsr=500)
    tiny = result[result["area"] == "tiny"]
    assert tiny["value"].isna().all()
    assert tiny["statistic"].str.contains("total count < 10").all()
    assert result.loc[result["area"] == "big", "value"].notna().all()


def test_coventry_deaths_to_avert_at_englands_rates(shared_data):
    data = deaths_2014(shared_data, "E08000026", "E92000001")
    coventry = data[data["area_code"] == "E08000026"]
    england = data[data["area_code"] == "E92000001"].drop(columns="area_code")
    result = deaths_to_avert(
        coventry,
        "deaths",
        "population",
        "age_band",
        by="sex",
        target_rates=england,
        confidence=(0.95, 0.998),
    )
    totals = result[result["age_band"] == ALL_AGES].set_index("sex")
    # ONS 2014: 1,276 male and 1,397 female deaths in Coventry.
    assert totals.loc["Male", "observed"] == 1276
    assert totals.loc["Female", "observed"] == 1397
    men = coventry[coventry["sex"] == "Male"].merge(
        england[england["sex"] == "Male"], on="age_band", suffixes=("", "_eng")
    )
    expected = (men["deaths_eng"] / men["population_eng"] * men["population"]).sum()
    assert totals.loc["Male", "value"] == pytest.approx(1276 - expected)
    assert totals.loc["Male", "value"] > 0  # Coventry men died at higher rates than England's
    assert (totals["lower99_8cl"] < totals["lower95_0cl"]).all()


def test_argument_errors_name_the_argument():
    data = area(30, 200)
    with pytest.raises(MethodArgumentError, match="target_rates: give either"):
        deaths_to_avert(data, "deaths", "pop", "band")
    with pytest.raises(MethodArgumentError, match="target_rates: give either"):
        deaths_to_avert(data, "deaths", "pop", "band", target_rates=TARGET, target_dsr=500)
    with pytest.raises(MethodArgumentError, match="ageband: column 'age'"):
        deaths_to_avert(data, "deaths", "pop", "age", target_rates=TARGET)
    with pytest.raises(MethodArgumentError, match="target_rates: column 'band'"):
        deaths_to_avert(data, "deaths", "pop", "band", target_rates=TARGET.drop(columns="band"))
    with pytest.raises(MethodArgumentError, match="target_rates: its age bands do not match"):
        deaths_to_avert(data, "deaths", "pop", "band", target_rates=TARGET.iloc[:1])
    with pytest.raises(MethodArgumentError, match="years_of_data"):
        deaths_to_avert(data, "deaths", "pop", "band", target_rates=TARGET, years_of_data=0)
    with pytest.raises(MethodArgumentError, match="target_dsr"):
        deaths_to_avert(data, "deaths", "pop", "band", target_dsr=-1)


def u75_by_decile(shared_data, years):
    """ONS ad hoc 007710 (as reformatted by Lewer et al. 2020): England under-75 deaths and
    population by IMD decile (1 = most deprived), sex and single year of age."""
    folder = shared_data / "mortality"
    frames = []
    for kind in ("deaths", "population"):
        wide = pd.read_csv(
            folder / f"ons_{kind}_u75_by_imd_decile_sex_single_age_england_2001_2016.csv"
        )
        wide = wide[wide["year"].isin(years)]
        frames.append(wide.melt(id_vars=["year", "imd10", "sex"], var_name="age", value_name=kind))
    return frames[0].merge(frames[1], on=["year", "imd10", "sex", "age"], validate="one_to_one")


def test_premature_deaths_to_avert_at_the_least_deprived_deciles_rates(shared_data):
    data = u75_by_decile(shared_data, [2014, 2015, 2016])
    least_deprived = data[data["imd10"] == 10].drop(columns="imd10")
    result = deaths_to_avert(
        data,
        "deaths",
        "population",
        "age",
        by=["imd10", "sex"],
        target_rates=least_deprived,
        years_of_data=3,
    )
    totals = result[result["age"] == ALL_AGES].set_index(["imd10", "sex"])["value"]
    # The least deprived decile at its own rates has nothing to avert, exactly.
    assert totals.loc[(10, "m")] == pytest.approx(0, abs=1e-9)
    assert totals.loc[(10, "f")] == pytest.approx(0, abs=1e-9)
    # Deaths to avert fall with deprivation, from thousands a year in the most deprived decile.
    for sex in ("m", "f"):
        by_decile = totals.xs(sex, level="sex").sort_index().to_numpy()
        assert (np.diff(by_decile) < 0).all()
        assert by_decile[0] > 1000
