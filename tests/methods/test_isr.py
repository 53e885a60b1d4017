"""healthgap.methods.isr / isratio against R calculate_ISRate / calculate_ISRatio workbooks."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, isr, isratio
from tests.methods._phe_workbooks import assert_close, assert_frame_values, sheet

BOOK = "DSR_ISR"
LIMITS_2 = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


@pytest.fixture
def own(shared_data):
    return sheet(shared_data, BOOK, "testdata_multiarea_isr")


@pytest.fixture
def ref(shared_data):
    return sheet(shared_data, BOOK, "refdata")


@pytest.fixture
def results(shared_data):
    return sheet(shared_data, BOOK, "testresults_ISR")


def _check(out, expected, columns):
    assert list(out["area"]) == list(expected["area"])
    assert_frame_values(out, expected.reset_index(drop=True), columns)
    assert list(out["statistic"]) == list(expected["statistic"])
    assert list(out["method"]) == list(expected["method"])


@pytest.mark.parametrize(("rows", "multiplier"), [(slice(0, 3), 100000), (slice(3, 6), 1000)])
def test_workbook_israte(own, ref, results, rows, multiplier):
    data = own.drop(columns=["refcount", "refpop"])
    out = isr(
        data,
        "count",
        "pop",
        ref["refcount"],
        ref["refpop"],
        by="area",
        confidence=(0.95, 0.998),
        multiplier=multiplier,
    )
    assert list(out.columns) == [
        "area",
        "observed",
        "expected",
        "ref_rate",
        "value",
        *LIMITS_2,
        "confidence",
        "statistic",
        "method",
    ]
    _check(out, results.iloc[rows], ["observed", "expected", "ref_rate", "value", *LIMITS_2])


@pytest.mark.parametrize(("rows", "refvalue"), [(slice(6, 9), 1), (slice(9, 12), 100)])
def test_workbook_isratio(own, ref, results, rows, refvalue):
    data = own.drop(columns=["refcount", "refpop"])
    out = isratio(
        data,
        "count",
        "pop",
        ref["refcount"],
        ref["refpop"],
        by="area",
        confidence=(0.95, 0.998),
        refvalue=refvalue,
    )
    assert "ref_rate" not in out.columns
    _check(out, results.iloc[rows], ["observed", "expected", "value", *LIMITS_2])


def test_workbook_reference_by_field_and_vector_with_nan(own, ref, results):
    expected = results.iloc[0:3]
    by_field = isr(own, "count", "pop", "refcount", "refpop", refpoptype="field", by="area")
    xref = np.array(ref["refcount"], dtype=float)
    xref[2] = np.nan  # the R test passes NA for the 10-14 reference count (which is 0)
    by_vector = isr(own, "count", "pop", xref, ref["refpop"], by="area")
    for out in (by_field, by_vector):
        assert_close(out["value"], expected["value"])
        assert_close(out["lowercl"], expected["lower95_0cl"])
        assert_close(out["uppercl"], expected["upper95_0cl"])


def test_workbook_observed_totals(shared_data, own, ref, results):
    totals = sheet(shared_data, BOOK, "testdata_multiarea_lookup").iloc[:, :2]
    data = own.drop(columns=["count", "refcount", "refpop"])
    out = isratio(
        data,
        "total_count",
        "pop",
        ref["refcount"],
        ref["refpop"],
        by="area",
        observed_totals=totals,
    )
    expected = results.iloc[6:9]
    assert_close(out["value"], expected["value"])
    assert_close(out["uppercl"], expected["upper95_0cl"])
    assert_close(out["observed"], expected["observed"])


def test_workbook_zero_population(shared_data, ref, results):
    err2 = sheet(shared_data, BOOK, "testdata_err2")
    rate = isr(err2, "count", "pop", ref["refcount"], ref["refpop"], by="area")
    ratio = isratio(err2, "count", "pop", ref["refcount"], ref["refpop"], by="area", refvalue=100)
    for out, rows in ((rate, slice(12, 14)), (ratio, slice(14, 16))):
        expected = results.iloc[rows].reset_index(drop=True)
        assert_close(out["expected"], expected["expected"])
        assert_close(out["value"], expected["value"])
        assert_close(out["lowercl"], expected["lower95_0cl"])
        assert_close(out["uppercl"], expected["upper95_0cl"])


def test_types(own, ref):
    data = own.drop(columns=["refcount", "refpop"])
    args = (data, "count", "pop", ref["refcount"], ref["refpop"])
    assert list(isr(*args, by="area", type="value").columns) == ["area", "value"]
    assert list(isratio(*args, by="area", type="lower").columns) == ["area", "lowercl"]
    assert list(isratio(*args, by="area", type="standard").columns) == [
        "area",
        "observed",
        "expected",
        "value",
        "lowercl",
        "uppercl",
    ]


def test_zero_observed_and_single_area():
    data = pd.DataFrame({"x": [0, 0], "n": [100, 200]})
    out = isratio(data, "x", "n", [5, 10], [1000, 1000])
    assert out["lowercl"].iloc[0] == 0 and out["method"].iloc[0] == "Exact"
    assert out["uppercl"].iloc[0] == pytest.approx(3.688879454 / out["expected"].iloc[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x_ref": [1] * 18}, "^x_ref: "),
        ({"n_ref": [1] * 20}, "^n_ref: "),
        ({"refpoptype": "column"}, "^refpoptype: "),
        ({"refpoptype": "field", "x_ref": "ref_count", "n_ref": "refpop"}, "^x_ref: "),
        ({"refpoptype": "field", "x_ref": "refcount", "n_ref": "ref_pop"}, "^n_ref: "),
        ({"confidence": 0.74}, "^confidence: "),
        ({"confidence": (0.95, 0.998, 2)}, "^confidence: "),
        ({"type": "combined"}, "^type: "),
        ({"refvalue": 0}, "^refvalue: "),
        ({"x": "num"}, "^x: "),
    ],
)
def test_errors_name_the_argument(own, ref, kwargs, message):
    args = {"x": "count", "n": "pop", "x_ref": list(ref["refcount"]), "n_ref": list(ref["refpop"])}
    args.update(kwargs)
    with pytest.raises(MethodArgumentError, match=message):
        isratio(
            own,
            args.pop("x"),
            args.pop("n"),
            args.pop("x_ref"),
            args.pop("n_ref"),
            by="area",
            **args,
        )


def test_workbook_error_sheets(shared_data, ref):
    for name, message in (("testdata_err1", "^x: "), ("testdata_err3", "^n: ")):
        with pytest.raises(MethodArgumentError, match=message):
            isr(sheet(shared_data, BOOK, name), "count", "pop", ref["refcount"], ref["refpop"])


def test_missing_age_band_rejected(own, ref):
    with pytest.raises(MethodArgumentError, match="^x_ref: "):
        isr(own[own["count"] < 100], "count", "pop", ref["refcount"], ref["refpop"], by="area")
