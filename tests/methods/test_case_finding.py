"""Case finding (issue 12): expected registers by indirect standardisation and the gap.

Method: PHE "Technical guide: Indirect standardisation" (expected = sum of the practice's
list in each age-sex band x the reference prevalence of that band; ratio = observed /
expected; Byar's limits from 10 observed events, exact Poisson below, Breslow & Day 1987).
The figures below are worked by hand.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from healthgap.methods import MethodArgumentError, case_finding


@pytest.fixture
def two_practices():
    lists = pd.DataFrame(
        {
            "practice": ["A"] * 4 + ["B"] * 4,
            "age": ["18-64", "65+"] * 4,
            "sex": ["Female", "Female", "Male", "Male"] * 2,
            "patients": [4000.0, 1000, 3800, 900, 1000, 100, 900, 100],
        }
    )
    prevalence = pd.DataFrame(
        {
            "age": ["18-64", "18-64", "65+", "65+"],
            "sex": ["Female", "Male", "Female", "Male"],
            "prevalence": [0.05, 0.06, 0.30, 0.35],
        }
    )
    registers = pd.DataFrame({"practice": ["A", "B"], "register": [900.0, 8]})
    return lists, registers, prevalence


def test_hand_worked_expected_registers_and_gap(two_practices):
    lists, registers, prevalence = two_practices
    out = case_finding(lists, registers, prevalence)
    a, b = out.iloc[0], out.iloc[1]
    # A: 4000 x 0.05 + 1000 x 0.30 + 3800 x 0.06 + 900 x 0.35 = 200 + 300 + 228 + 315 = 1043
    assert a["expected"] == pytest.approx(1043)
    assert a["observed"] == 900
    assert a["value"] == pytest.approx(900 / 1043)
    assert a["missing"] == pytest.approx(143)
    # Byar's upper 95% limit of 900: 901 (1 - 1/(9 x 901) + 1.959964/(3 sqrt 901))^3 = 961.0...
    upper = 901 * (1 - 1 / (9 * 901) + 1.959964 / (3 * np.sqrt(901))) ** 3
    assert a["upper95_0cl"] == pytest.approx(upper / 1043, rel=1e-6)
    assert upper / 1043 < 1  # the whole interval is below 1: significantly fewer than expected
    assert a["significance"] == "Lower 99.8%"
    # B: 1000 x 0.05 + 100 x 0.30 + 900 x 0.06 + 100 x 0.35 = 50 + 30 + 54 + 35 = 169
    # observed 8: exact Poisson limits (below 10 events)
    assert b["expected"] == pytest.approx(169)
    assert b["missing"] == pytest.approx(161)
    assert b["lower95_0cl"] == pytest.approx(chi2.ppf(0.025, 16) / 2 / 169, rel=1e-9)
    assert b["method"] == "Exact"


def test_register_above_expected_has_no_missing_patients(two_practices):
    lists, _, prevalence = two_practices
    registers = pd.DataFrame({"practice": ["A", "B"], "register": [1200.0, 169]})
    out = case_finding(lists, registers, prevalence).set_index("practice")
    assert out.loc["A", "missing"] == 0 and out.loc["B", "missing"] == 0
    assert out.loc["A", "significance"] == "Higher 99.8%"
    assert out.loc["B", "significance"] == "Similar"


def test_several_conditions_from_modelled_prevalence(two_practices):
    lists, registers, prevalence = two_practices
    modelled = pd.concat(
        [
            prevalence.assign(condition="Hypertension"),
            prevalence.assign(condition="COPD", prevalence=prevalence["prevalence"] / 10),
        ]
    )
    registers = pd.DataFrame(
        {
            "practice": ["A", "A", "B", "B"],
            "condition": ["COPD", "Hypertension", "COPD", "Hypertension"],
            "register": [100.0, 900, 10, 8],
        }
    )
    out = case_finding(lists, registers, modelled, condition="condition", refvalue=100)
    out = out.set_index(["practice", "condition"])
    assert out.loc[("A", "COPD"), "expected"] == pytest.approx(104.3)
    assert out.loc[("A", "COPD"), "value"] == pytest.approx(100 / 104.3 * 100)
    assert out.loc[("B", "Hypertension"), "missing"] == pytest.approx(161)
    assert out.loc[("B", "COPD"), "significance"] == "Similar"


def test_errors(two_practices):
    lists, registers, prevalence = two_practices
    with pytest.raises(MethodArgumentError, match="reference"):
        case_finding(lists, registers, prevalence.assign(prevalence=[5.0, 6, 30, 35]))
    with pytest.raises(MethodArgumentError, match="prevalence: no reference prevalence"):
        case_finding(lists, registers, prevalence.iloc[:3])
    with pytest.raises(MethodArgumentError, match="register"):
        case_finding(lists, registers.rename(columns={"register": "n"}), prevalence)
    with pytest.raises(MethodArgumentError, match="patients"):
        case_finding(lists.assign(patients=-1.0), registers, prevalence)
