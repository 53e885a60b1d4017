"""Disclosure control (issue 17): primary and secondary suppression, rounding, rate rules.

Rules: NHS Digital "HES Analysis Guide" / statistical disclosure control for HES (from 2018:
1-7 suppressed below national level, others rounded to the nearest 5); ONS mortality
statistics (no age-standardised rate below 10 deaths, no crude rate below 3). The attacker
below knows every published figure and every additive relation and solves for the suppressed
cells as a linear system: a cell is recovered when adding "this cell alone" to the system's
equations does not raise its rank.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods import (
    DisclosureRule,
    MethodArgumentError,
    disclose,
    dsr,
    from_rounded_count,
    isratio,
)


def cell_frame(counts: dict, level="local", value_type="count") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": list(counts),
            "count": [float(c) for c in counts.values()],
            "value": [float(c) for c in counts.values()],
            "value_type": value_type,
            "level": level,
        }
    )


def recovered_by_attacker(published: pd.DataFrame, constraints) -> list:
    """Suppressed cells an attacker can work out from the published figures.

    First every single difference (a total minus its published parts, or a part from the total
    and the other parts); then the whole system: unknowns are the suppressed cells, one
    equation per constraint touching them; a cell is determined when the unit vector picking
    it lies in the row space of the equations (numpy rank test).
    """
    hidden = dict(zip(published["id"], published["suppressed"]))
    recovered = set()
    for total, parts in constraints:
        unknown = [cell for cell in [total, *parts] if hidden[cell]]
        if len(unknown) == 1:
            recovered.add(unknown[0])
    unknowns = sorted(
        {cell for total, parts in constraints for cell in [total, *parts] if hidden[cell]}
    )
    column = {cell: j for j, cell in enumerate(unknowns)}
    rows = []
    for total, parts in constraints:
        row = np.zeros(len(unknowns))
        for cell, sign in [(total, 1.0)] + [(part, -1.0) for part in parts]:
            if hidden[cell]:
                row[column[cell]] += sign
        if row.any():
            rows.append(row)
    if rows:
        system = np.array(rows)
        rank = np.linalg.matrix_rank(system)
        for cell, j in column.items():
            pick = np.zeros(len(unknowns))
            pick[j] = 1
            if np.linalg.matrix_rank(np.vstack([system, pick])) == rank:
                recovered.add(cell)
    return sorted(recovered)


def table(ward_sex_band: np.ndarray):
    """Cells and constraints of a city of wards x (persons, male, female) x (all ages, bands)."""
    n_wards, _, n_bands = ward_sex_band.shape
    areas = ["city"] + [f"ward{w}" for w in range(n_wards)]
    sexes = ["persons", "male", "female"]
    bands = ["all"] + [f"band{b}" for b in range(n_bands)]
    full = np.zeros((n_wards + 1, 3, n_bands + 1))
    full[1:, 1:, 1:] = ward_sex_band
    full[1:, 0, 1:] = ward_sex_band.sum(axis=1)
    full[:, :, 0] = full[:, :, 1:].sum(axis=2)
    full[0] = full[1:].sum(axis=0)
    counts = {
        f"{a}|{s}|{b}": full[i, j, k]
        for (i, a), (j, s), (k, b) in itertools.product(
            enumerate(areas), enumerate(sexes), enumerate(bands)
        )
    }
    constraints = []
    for s, b in itertools.product(sexes, bands):
        constraints.append((f"city|{s}|{b}", [f"{a}|{s}|{b}" for a in areas[1:]]))
    for a, b in itertools.product(areas, bands):
        constraints.append((f"{a}|persons|{b}", [f"{a}|male|{b}", f"{a}|female|{b}"]))
    for a, s in itertools.product(areas, sexes):
        constraints.append((f"{a}|{s}|all", [f"{a}|{s}|{b}" for b in bands[1:]]))
    return cell_frame(counts), constraints


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5),
    st.integers(2, 4),
    st.integers(0, 2**32 - 1),
    st.sampled_from([3.0, 8.0, 25.0]),
)
def test_attacker_recovers_nothing_from_random_hierarchies(n_wards, n_bands, seed, mean):
    rng = np.random.default_rng(seed)
    cells, constraints = table(rng.poisson(mean, (n_wards, 2, n_bands)).astype(float))
    published = disclose(cells, constraints)
    assert recovered_by_attacker(published, constraints) == []
    small = cells["count"].between(1, 7)
    assert published.loc[small, "suppressed"].all()
    assert published.loc[small, "reason"].eq("primary: count 1-7").all()
    shown = published.loc[~published["suppressed"], "count_shown"].astype(float)
    assert (shown % 5 == 0).all()
    assert published.loc[published["suppressed"], "value_shown"].isna().all()
    secondary = published["suppressed"] & ~small
    assert published.loc[secondary, "reason"].str.startswith("secondary: protects").all()


def test_single_difference_is_protected_by_the_smallest_other_part():
    cells = cell_frame({"city": 120, "w1": 3, "w2": 40, "w3": 77})
    published = disclose(cells, [("city", ["w1", "w2", "w3"])]).set_index("id")
    assert published.loc["w1", "count_shown"] is None
    assert published.loc["w2", "suppressed"]
    assert published.loc["w2", "reason"] == "secondary: protects w1"
    assert not published.loc["w3", "suppressed"] and not published.loc["city", "suppressed"]
    assert published.loc["w3", "count_shown"] == 75 and published.loc["city", "count_shown"] == 120


def test_overlapping_constraints_are_protected_across_the_chain():
    """A 2 x 2 table with margins: suppressing one cell must spread to its row and column, and
    the cells chosen must not leave any cell determined by the other equations."""
    cells, constraints = table(
        np.array([[[3.0, 50.0]], [[60.0, 70.0]]]).transpose(0, 2, 1).reshape(2, 2, 1)
    )
    published = disclose(cells, constraints)
    assert published["suppressed"].sum() >= 4
    assert recovered_by_attacker(published, constraints) == []


def test_cells_fixed_only_by_a_chain_of_constraints_are_protected():
    """Found by search: here giving every constraint two suppressed members is not enough
    (ward3|persons|band0 would follow from a chain of equations); the linear-system check
    must suppress more."""
    counts = [
        [[6, 8, 5, 7], [7, 7, 5, 4]],
        [[5, 8, 3, 9], [5, 7, 5, 6]],
        [[5, 6, 4, 10], [3, 7, 3, 6]],
        [[7, 7, 7, 2], [2, 3, 4, 5]],
        [[7, 4, 9, 4], [4, 5, 4, 4]],
    ]
    cells, constraints = table(np.array(counts, dtype=float))
    published = disclose(cells, constraints)
    assert recovered_by_attacker(published, constraints) == []


def test_zero_counts_are_shown_and_can_protect():
    cells = cell_frame({"all": 5, "a": 5, "b": 0})
    published = disclose(cells, [("all", ["a", "b"])]).set_index("id")
    # total and part are both hidden (primary); the published 0 only says they are equal
    assert published.loc["all", "suppressed"] and published.loc["a", "suppressed"]
    assert published.loc["b", "count_shown"] == 0
    cells = cell_frame({"all": 40, "a": 3, "b": 0, "c": 37})
    published = disclose(cells, [("all", ["a", "b", "c"])]).set_index("id")
    assert published.loc["b", "reason"] == "secondary: protects a"
    cells = cell_frame({"all": 10, "a": 0, "b": 10})
    published = disclose(cells, [("all", ["a", "b"])]).set_index("id")
    assert not published["suppressed"].any()
    assert published.loc["a", "count_shown"] == 0


def test_total_below_threshold_with_large_part_hidden_too():
    cells = cell_frame({"persons": 6, "male": 6, "female": 0})
    published = disclose(cells, [("persons", ["male", "female"])]).set_index("id")
    assert published.loc["persons", "suppressed"] and published.loc["male", "suppressed"]
    assert recovered_by_attacker(published.reset_index(), [("persons", ["male", "female"])]) == []


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (1002, 1000)]
)
def test_rounding_to_nearest_five(count, shown):
    published = disclose(cell_frame({"x": count}))
    assert published["count_shown"].iloc[0] == shown
    assert published["value_shown"].iloc[0] == shown


def test_national_figures_pass_through():
    england = cell_frame({"E92000001": 9}, level="national")
    cells = pd.concat([england, cell_frame({"E12000001": 3, "E12000002": 6})])
    published = disclose(cells, [("E92000001", ["E12000001", "E12000002"])]).set_index("id")
    assert published.loc["E92000001", "count_shown"] == 9
    assert not published.loc["E92000001", "suppressed"]
    assert published.loc["E12000001", "suppressed"] and published.loc["E12000002", "suppressed"]


def test_rate_rules():
    cells = pd.DataFrame(
        {
            "id": ["dsr9", "dsr10", "crude2", "crude3"],
            "count": [9.0, 10, 2, 3],
            "value": [501.2, 610.0, 12.5, 18.7],
            "value_type": ["dsr", "dsr", "crude_rate", "crude_rate"],
            "level": "local",
        }
    )
    rule = DisclosureRule(low=1, high=1, rounding_base=1)  # rates only, counts as they are
    published = disclose(cells, rule=rule).set_index("id")
    assert published.loc["dsr9", "value_shown"] is None
    assert published.loc["dsr9", "count_shown"] == 9
    assert published.loc["dsr9", "reason"] == "DSR from fewer than 10 events"
    assert published.loc["dsr10", "value_shown"] == 610.0
    assert published.loc["crude2", "value_shown"] is None
    assert published.loc["crude2", "reason"] == "crude rate from fewer than 3 events"
    assert published.loc["crude3", "value_shown"] == 18.7
    default = disclose(cells).set_index("id")
    assert default.loc["crude3", "reason"] == "primary: count 1-7"


def test_open_source_figures_keep_their_treatment():
    note = "Republished from ONS mortality statistics, which apply their own disclosure control"
    cells = cell_frame({"all": 5, "a": 2, "b": 3})
    published = disclose(cells, [("all", ["a", "b"])], DisclosureRule.none(note))
    assert not published["suppressed"].any()
    assert published["count_shown"].tolist() == [5.0, 2.0, 3.0]
    assert (published["note"] == note).all()


def test_errors():
    cells = cell_frame({"a": 1, "b": 2})
    with pytest.raises(MethodArgumentError, match="constraints"):
        disclose(cells, [("a", ["c"])])
    with pytest.raises(MethodArgumentError, match="low"):
        DisclosureRule(low=8, high=7)
    with pytest.raises(MethodArgumentError, match="rule"):
        disclose(cells, rule="nhs")
    with pytest.raises(MethodArgumentError, match="id"):
        disclose(pd.concat([cells, cells]))


def test_cells_published_elsewhere_keep_their_state():
    """A place made of wards A and B, checked against the wards as published: A is suppressed
    there and B shown, so the place (not B, the smallest part) is suppressed to protect A."""
    cells = cell_frame({"place": 23, "A": 3, "B": 20}).assign(published=[None, True, False])
    published = disclose(cells, [("place", ["A", "B"])], published="published").set_index("id")
    assert published["suppressed"].to_dict() == {"place": True, "A": True, "B": False}
    assert published.loc["place", "reason"] == "secondary: protects A"
    assert published.loc["A", "reason"] == "suppressed where already published"
    unaware = disclose(cells.drop(columns="published"), [("place", ["A", "B"])]).set_index("id")
    assert unaware["suppressed"].to_dict() == {"place": False, "A": True, "B": True}
    with pytest.raises(MethodArgumentError, match="published"):
        disclose(cells.assign(published="yes"), published="published")


def test_nested_places_in_a_shown_city_are_protected_through_each_other():
    """Wards w1-w3 suppressed where already published, w4-w6 and the city shown; place A holds
    w1-w4 and place B, inside it, w2-w4. B alone gives w1 back (the city less B, w5 and w6),
    though no constraint holding w1 has a cell left to suppress: B is suppressed. A is the city
    less w5 and w6 whatever is done, so it is shown: withholding it would hide nothing."""
    wards = {"w1": 3, "w2": 4, "w3": 5, "w4": 120, "w5": 230, "w6": 340}
    counts = {"city": sum(wards.values()), **wards, "A": 132, "B": 129}
    states = [False, True, True, True, False, False, False, None, None]
    cells = cell_frame(counts).assign(published=states)
    constraints = [
        ("city", list(wards)),
        ("A", ["w1", "w2", "w3", "w4"]),
        ("B", ["w2", "w3", "w4"]),
    ]
    published = disclose(cells, constraints, published="published")
    assert recovered_by_attacker(published, constraints) == []
    shown = published.set_index("id")
    assert shown.loc["B", "suppressed"]
    assert shown.loc["B", "reason"].startswith("secondary: protects")
    assert not shown.loc["A", "suppressed"]
    assert shown.loc["A", "count_shown"] == 130


# ---- Standardised figures from the rounded count ----

# Three age bands of a small area: deaths, person-years and the standard population's weights.
BANDS = pd.DataFrame(
    {"deaths": [2.0, 5.0, 16.0], "pop": [4000.0, 3000.0, 1500.0], "w": [5000.0, 3000.0, 2000.0]}
)


def test_a_dsr_is_worked_out_again_with_the_rounded_total():
    """23 deaths rounded to 25: the published DSR and its Dobson limits equal ``dsr`` run on the
    band deaths scaled by 25/23 (the standard treatment of a published rounded DSR)."""
    true = dsr(BANDS, "deaths", "pop", stdpop="w", stdpoptype="field", confidence=(0.95, 0.998))
    scaled = BANDS.assign(deaths=BANDS["deaths"] * 25 / 23)
    wanted = dsr(scaled, "deaths", "pop", stdpop="w", stdpoptype="field", confidence=(0.95, 0.998))
    pairs = (("lower95_0cl", "upper95_0cl", 0.95), ("lower99_8cl", "upper99_8cl", 0.998))
    again = from_rounded_count(
        true.assign(count_shown=25.0), "dsr", count="total_count", limits=pairs
    )
    columns = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    assert again[columns].to_numpy() == pytest.approx(wanted[columns].to_numpy(), rel=1e-9)
    assert again["refigured"].tolist() == ["value and limits worked out from the rounded count"]


def test_an_isr_takes_the_rounded_count_as_observed():
    """An SMR from 23 observed deaths rounded to 25 equals ``isratio`` given 25 observed."""
    reference = {"x_ref": [200.0, 600.0, 3000.0], "n_ref": [100_000.0, 60_000.0, 30_000.0]}
    frame = BANDS.assign(group="area", **reference)
    true = isratio(frame, "deaths", "pop", "x_ref", "n_ref", refpoptype="field", by="group",
                   refvalue=100)  # fmt: skip
    observed = pd.DataFrame({"group": ["area"], "deaths": [25.0]})
    wanted = isratio(frame, "deaths", "pop", "x_ref", "n_ref", refpoptype="field", by="group",
                     refvalue=100, observed_totals=observed)  # fmt: skip
    again = from_rounded_count(true.assign(count_shown=25.0), "isr", count="observed")
    columns = ["value", "lowercl", "uppercl"]
    assert again[columns].to_numpy() == pytest.approx(wanted[columns].to_numpy(), rel=1e-9)


def test_life_expectancy_keeps_its_value_and_limits_when_rounded():
    # Its limits come from the deaths and population of every age band: no count to give back.
    figures = pd.DataFrame(
        {"count": [23.0, 25.0, 5.0], "count_shown": [25.0, 25.0, None],
         "value": [79.1, 80.2, 70.0], "lowercl": [77.0, 78.1, 60.0], "uppercl": [81.2, 82.3, 80.0]}
    )  # fmt: skip
    again = from_rounded_count(figures, "life_expectancy")
    columns = ["value", "lowercl", "uppercl"]
    assert again[columns].to_numpy().tolist() == figures[columns].to_numpy().tolist()
    assert again["refigured"].tolist() == ["", "", ""]
    with pytest.raises(MethodArgumentError, match="value_type"):
        from_rounded_count(figures, "proportion")
