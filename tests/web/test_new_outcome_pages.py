"""Compare indicators (scatter), box plots over time, England and region view, on the demo."""

import csv
import io

import numpy as np
import pytest
from scipy import stats

pytestmark = pytest.mark.django_db


def test_compare_indicators_scatters_deprivation_against_premature_mortality(client):
    response = client.get("/areas/E08000026/compare-indicators")
    assert response.status_code == 200
    page = response.context["page"]
    rows = page.table("areas").rows
    assert page.filter_values()["x_indicator"] == "imd-2019"
    assert page.filter_values()["y_indicator"] == "108"
    assert [row["code"] for row in rows if row["highlight"]] == ["E08000026"]
    # The correlation shown is the one of the table's own figures.
    r = stats.pearsonr([row["x"] for row in rows], [row["y"] for row in rows]).statistic
    summary = page.context["summary"]
    assert summary["pearson"] == round(r, 2) and summary["pairs"] == len(rows) > 100
    assert summary["lower"] < summary["pearson"] < summary["upper"]
    spec = page.charts["scatter"].spec
    assert spec["layer"][1]["transform"][0]["regression"] == "y"
    assert 'href="/indicators/108"' in response.content.decode()
    # The deprivation score is an axis, not a stored indicator: it has no definition page.
    assert 'href="/indicators/imd-2019"' not in response.content.decode()


def test_compare_indicators_in_the_region_and_its_downloads(client):
    params = {"x_indicator": "108", "y_indicator": "93721", "group": "region"}
    page = client.get("/areas/E08000026/compare-indicators", params).context["page"]
    rows = page.table("areas").rows
    assert 3 < len(rows) <= 14 and "E10000007" not in {row["code"] for row in rows}
    text = client.get("/areas/E08000026/compare-indicators/areas.csv", params).content.decode()
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == len(rows) + 1 and table[0][0] == "Area"
    body = client.get("/areas/E08000026/compare-indicators.json", params).json()
    assert np.isclose(body["tables"]["areas"][0]["y"], rows[0]["y"])


def test_box_plots_give_the_spread_of_upper_tier_authorities_per_period(client):
    import statistics

    from healthgap.areas.models import Area
    from healthgap.indicators.models import IndicatorValue

    params = {"indicator": "93721", "sex": "Persons"}
    response = client.get("/areas/E08000026/box-plots", params)
    assert response.status_code == 200
    page = response.context["page"]
    rows = page.table("periods").rows
    assert len(rows) >= 5 and all(row["area"] is not None for row in rows)
    latest = rows[-1]
    upper_tier = Area.objects.upper_tier().values_list("code", flat=True)
    values = list(
        IndicatorValue.objects.filter(
            indicator_id="93721", sex="Persons", period__label=latest["period"],
            area_id__in=upper_tier, value__isnull=False, category="",
        ).values_list("value", flat=True)
    )  # fmt: skip
    # Fingertips' percentiles: linear interpolation at (n - 1)p + 1, Python's "inclusive".
    q25, median, q75 = statistics.quantiles(values, n=4, method="inclusive")
    assert latest["authorities"] == len(values)
    ventiles = statistics.quantiles(values, n=20, method="inclusive")
    expected = [min(values), ventiles[0], q25, median, q75, ventiles[-1], max(values)]
    shown = [latest[key] for key in ("low", "p5", "q25", "median", "q75", "p95", "high")]
    assert shown == pytest.approx(expected, abs=0.006)  # shown to 2 decimals
    england = IndicatorValue.objects.get(
        indicator_id="93721", sex="Persons", period__label=latest["period"], area_id="E92000001"
    )
    assert latest["england"] == round(england.value, 2)
    layers = page.charts["boxplots"].spec["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "bar", "tick", "point", "point"]
    assert 'href="/indicators/93721"' in response.content.decode()


def test_england_and_region_view_compares_every_indicator_of_a_domain(client):
    response = client.get("/areas/E10000007/england", {"domain": "Mental health"})
    assert response.status_code == 200
    page = response.context["page"]
    rows = page.table("indicators").rows
    assert rows and {row["domain"] for row in rows} == {"Mental health"}
    suicide = next(r for r in rows if r["indicator"] == "41001" and r["sex"] == "Male")
    # Fingertips' export: Derbyshire males 2015-17 "Similar" to England and the East Midlands.
    assert suicide["compared_to_england"] == "Similar"
    assert suicide["compared_to_region"] == "Similar"
    assert page.context["region"].code == "E12000004"
    body = response.content.decode()
    assert "Compared with region" in body and 'href="/indicators/41001"' in body
    text = client.get(
        "/areas/E10000007/england/indicators.csv", {"domain": "Mental health"}
    ).content.decode()
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1
