"""The closing-the-gap figures as chart and table rows: age bands and causes labelled and
ordered, numbers rounded."""

from __future__ import annotations

import pandas as pd

from healthgap.mortality import queries
from healthgap.mortality.causes import group_labels
from healthgap.web.pages.common import rounded

SEXES = {"male": "Male", "female": "Female"}
BAND_LABELS = ["<1", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
LABEL_OF_BAND = dict(zip(queries.BAND_STARTS, BAND_LABELS))
ALL_AGES = "All ages"


def avert_rows(result: pd.DataFrame, total_label: str = ALL_AGES) -> list[dict]:
    return [
        {
            "series": SEXES.get(row.sex, row.sex),
            "total": row.startage == ALL_AGES,
            "category": total_label if row.startage == ALL_AGES else LABEL_OF_BAND[row.startage],
            "order": len(BAND_LABELS) if row.startage == ALL_AGES else BAND_LABELS.index(
                LABEL_OF_BAND[row.startage]),
            "observed": rounded(row.observed), "expected": rounded(row.expected),
            "value": rounded(row.value), "lower": rounded(row.lowercl),
            "upper": rounded(row.uppercl),
        }
        for row in result.itertuples()
    ]  # fmt: skip


def gap_rows(result: pd.DataFrame, series_of, category_of, places: int = 2) -> list[dict]:
    return [
        {"series": series_of(row), "category": category_of(row)[0], "order": category_of(row)[1],
         "value": rounded(row.value, places)}
        for row in result.itertuples()
    ]  # fmt: skip


def band_of(row) -> tuple[str, int]:
    return LABEL_OF_BAND[row.startage], BAND_LABELS.index(LABEL_OF_BAND[row.startage])


def cause_of(row) -> tuple[str, int]:
    labels = list(group_labels())
    return group_labels()[row.cause_group], labels.index(row.cause_group)
