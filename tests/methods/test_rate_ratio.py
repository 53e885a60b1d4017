"""Ratio of rate ratios (issue 12: admissions growth against a cluster of practices).

Worked example: Altman DG, Bland JM (2003) "Interaction revisited: the difference between two
estimates", BMJ 326:219. Hormone replacement therapy and non-vertebral fractures: relative risk
0.67 (95% CI 0.46 to 0.98) in women under 60 and 0.88 (0.71 to 1.08) in women aged 60 and over.
The paper finds the log difference -0.2726 with standard error 0.2206, z = -1.24, and the ratio
of relative risks 0.76 (95% CI 0.49 to 1.17).
"""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, ratio_of_rate_ratios
from healthgap.methods.rate_ratio import compare_log_ratios

Z95 = 1.959964


def _log_and_se(ratio, lower, upper):
    """A ratio's log and the standard error its 95% interval implies (as the paper does)."""
    return np.log(ratio), (np.log(upper) - np.log(lower)) / (2 * Z95)


def test_altman_bland_worked_example():
    log_a, se_a = _log_and_se(0.67, 0.46, 0.98)
    log_b, se_b = _log_and_se(0.88, 0.71, 1.08)
    value, lower, upper, z = compare_log_ratios(log_a, se_a, log_b, se_b, 0.95)
    assert np.log(value) == pytest.approx(-0.2726, abs=5e-4)
    assert (np.log(value) / z) == pytest.approx(0.2206, abs=5e-4)  # the standard error
    assert z == pytest.approx(-1.24, abs=0.005)
    assert value == pytest.approx(0.76, abs=0.005)
    assert lower == pytest.approx(0.49, abs=0.005)
    assert upper == pytest.approx(1.17, abs=0.005)


def _growth_frame(**overrides):
    # A practice grows from 1,000 to 1,127 admissions per 10,000 patients (12.7%), the rest of
    # its cluster from 10,000 to 10,380 per 100,000 (3.8%): the reviewers' figures.
    row = {
        "adm_1": 1000.0, "pop_1": 10000.0, "adm_2": 1127.0, "pop_2": 10000.0,
        "ref_1": 10000.0, "ref_pop_1": 100000.0, "ref_2": 10380.0, "ref_pop_2": 100000.0,
    }  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


def _run(frame, **kwargs):
    return ratio_of_rate_ratios(
        frame,
        before=("adm_1", "pop_1"),
        after=("adm_2", "pop_2"),
        reference_before=("ref_1", "ref_pop_1"),
        reference_after=("ref_2", "ref_pop_2"),
        **kwargs,
    )


def test_growth_against_cluster_by_hand():
    out = _run(_growth_frame()).iloc[0]
    assert out["growth"] == pytest.approx(12.7)
    assert out["reference_growth"] == pytest.approx(3.8)
    assert out["value"] == pytest.approx(1.127 / 1.038)
    # Poisson standard errors: sqrt(1/1000 + 1/1127) and sqrt(1/10000 + 1/10380), combined.
    se = np.sqrt(1 / 1000 + 1 / 1127 + 1 / 10000 + 1 / 10380)
    assert out["lower95_0cl"] == pytest.approx(np.exp(np.log(1.127 / 1.038) - Z95 * se))
    assert out["upper99_8cl"] == pytest.approx(np.exp(np.log(1.127 / 1.038) + 3.090232 * se))
    # z = log(1.0857) / 0.04565 = 1.80: faster growth, but within chance at 95%.
    assert out["z"] == pytest.approx(1.80, abs=0.005)
    assert out["significance"] == "Similar"


def test_same_growth_in_a_practice_four_times_larger_is_significant():
    bigger = _growth_frame(adm_1=4000.0, pop_1=40000.0, adm_2=4508.0, pop_2=40000.0)
    out = _run(bigger).iloc[0]
    # se = sqrt(1/4000 + 1/4508 + 1/10000 + 1/10380) = 0.02585; z = 3.18, beyond 3.09.
    assert out["z"] == pytest.approx(3.18, abs=0.01)
    assert out["significance"] == "Higher 99.8%"


def test_no_events_gives_nan_with_reason():
    out = _run(_growth_frame(adm_1=0.0)).iloc[0]
    assert np.isnan(out["value"]) and np.isnan(out["lower95_0cl"])
    assert out["method"].startswith("Not calculated")


def test_bad_arguments_name_the_argument():
    with pytest.raises(MethodArgumentError, match="before"):
        ratio_of_rate_ratios(
            _growth_frame(),
            before="adm_1",
            after=("adm_2", "pop_2"),
            reference_before=("ref_1", "ref_pop_1"),
            reference_after=("ref_2", "ref_pop_2"),
        )
    with pytest.raises(MethodArgumentError, match="reference_after"):
        _run(_growth_frame(ref_pop_2=0.0))
