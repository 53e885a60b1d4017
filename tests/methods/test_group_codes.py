"""Grouping rows by key columns: the run-length shortcut must give what a plain groupby gives."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods._common import contiguous_group_starts, group_codes, group_sum


def groupby_reference(frame, by):
    grouped = frame.groupby(by, sort=True, dropna=False, observed=True)
    return grouped.ngroup().to_numpy(), grouped.size().reset_index()[by]


@pytest.mark.parametrize("shuffle", [False, True])
def test_codes_and_keys_match_pandas_groupby_with_runs_and_missing_keys(shuffle):
    rng = np.random.default_rng(7)
    lsoa = np.repeat(["E01000003", "E01000001", None, "E01000002"], 40)
    year = np.tile(np.repeat([2021, 2019], 20), 4)
    sex = np.tile(np.repeat(["Male", "Female"], 10), 8)
    frame = pd.DataFrame({"lsoa": lsoa, "year": year, "sex": sex, "x": rng.random(160)})
    if shuffle:  # no runs: the shortcut must step aside
        frame = frame.sample(frac=1, random_state=3).reset_index(drop=True)
    by = ["lsoa", "year", "sex"]
    codes, keys = group_codes(frame, by)
    expected_codes, expected_keys = groupby_reference(frame, by)
    np.testing.assert_array_equal(codes, expected_codes)
    pd.testing.assert_frame_equal(keys, expected_keys, check_dtype=False, check_column_type=False)


@pytest.mark.parametrize("one_object_per_text", [True, False])
def test_equal_texts_group_together_whether_or_not_they_are_one_object(one_object_per_text):
    """Run detection compares text keys by object identity: a text that recurs in separate
    objects (as when read row by row) must still land in one group, runs or not."""
    texts = ["E01000002", "E01000001", "E01000002", "E01000001"]  # the same text in two runs
    lsoa = np.repeat(np.array(texts, dtype=object), 25)
    if not one_object_per_text:
        lsoa = np.array([str(bytearray(text, "ascii"), "ascii") for text in lsoa], dtype=object)
        assert lsoa[0] is not lsoa[1] and lsoa[0] == lsoa[1]
    frame = pd.DataFrame({"lsoa": lsoa, "sex": np.tile(np.repeat(["F", "M"], 5), 10)})
    codes, keys = group_codes(frame, ["lsoa", "sex"])
    expected_codes, expected_keys = groupby_reference(frame, ["lsoa", "sex"])
    np.testing.assert_array_equal(codes, expected_codes)
    pd.testing.assert_frame_equal(keys, expected_keys, check_dtype=False, check_column_type=False)


@pytest.mark.parametrize("dtype", ["string", "Int64"])
def test_nullable_keys_with_pd_na_group_as_pandas_does(dtype):
    values = (
        ["a", "a", None, None, "b", "b", "b", "b"]
        if dtype == "string"
        else [1, 1, None, None, 2, 2, 2, 2]
    )
    frame = pd.DataFrame({"key": pd.array(values * 3, dtype=dtype)})
    codes, keys = group_codes(frame, ["key"])
    expected_codes, _ = groupby_reference(frame, ["key"])
    np.testing.assert_array_equal(codes, expected_codes)
    assert len(keys) == 3


def test_contiguous_runs_in_any_order_sum_as_bincount():
    codes = np.array([2, 2, 0, 0, 0, 1, 1])
    values = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0])
    starts = contiguous_group_starts(codes, 3)
    np.testing.assert_array_equal(starts, [0, 2, 5])
    np.testing.assert_allclose(group_sum(codes, values, 3, starts), [7.0, 13.0, 3.0])
    assert contiguous_group_starts(np.array([0, 1, 0]), 2) is None  # group 0 split in two
