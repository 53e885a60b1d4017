"""The demo's GP practices (issue 12): the practices of NHS Coventry and Warwickshire and NHS
Leicester City from NHS Digital's files, their QOF 2022-23 registers, OHID's smoking (QOF) and
A&E (0-4) indicators, and, because NHS Health Check uptake and admissions by practice are not
open data, synthetic figures for those (fixed seed, indicators marked ``is_synthetic``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.constants import PERSONS
from healthgap.demo.loader import demo_file
from healthgap.demo.practice_age_sex import example_age_sex_steps
from healthgap.demo.synthetic import SYNTHETIC_IMPORTER, SYNTHETIC_NOTE
from healthgap.indicators.catalog import PRIMARY_CARE
from healthgap.indicators.models import Polarity, ValueType
from healthgap.ingest import fingertips
from healthgap.ingest.ethnicity import import_ethnic_groups
from healthgap.ingest.practice_register import (
    QOF_PERIOD,
    import_practice_register,
    import_qof_practices,
)
from healthgap.ingest.values import ValueTable, load_values
from healthgap.methods import proportion, rate
from healthgap.practices.models import Practice, PracticeList

SEED = 2023
FOLDER = "gp_practice"
HEALTH_CHECKS = "SYN-GP-HEALTH-CHECKS"
ELECTIVE = "SYN-GP-ELECTIVE"
EMERGENCY = "SYN-GP-EMERGENCY"
ADMISSION_PERIODS = ("2021/22", "2022/23")
PER_1000 = 1000
# (indicator, admissions per 1,000 patients in the first year, mean yearly growth)
ADMISSION_RATES = ((ELECTIVE, 120.0, 0.038), (EMERGENCY, 95.0, 0.02))
HEALTH_CHECK_UPTAKE = 0.35  # mean share of eligible patients offered and receiving a check
ELIGIBLE_SHARE_OF_ADULTS = 0.45  # roughly the 40-74s among patients aged 18 and over
SYNTHETIC_SOURCE = f"Synthetic: generated with seed {SEED} over the real QOF 2022-23 list sizes"


def practice_steps():
    """(description, step) pairs for the demo loader, in order."""
    return [
        ("GP practices (NHS Digital epraccur, QOF mapping)", load_demo_practices),
        ("QOF 2022-23 registers by practice", load_demo_qof),
        *example_age_sex_steps(),
        *[
            (f"practice indicators {name}", lambda name=name: _fingertips(name))
            for name in (
                "fingertips_export_91547_smoking_prevalence_qof_demo.csv",
                "fingertips_export_93930_ae_attendances_0_4_demo.csv",
            )
        ],
        ("synthetic practice health checks and admissions", load_synthetic_practice_values),
        *ethnicity_steps(),
    ]


def load_demo_practices() -> int:
    return import_practice_register(
        demo_file(f"{FOLDER}/nhsd_epraccur_2022_coventry_warwickshire_leicester_city.csv"),
        demo_file(f"{FOLDER}/nhsd_qof_2022-23_mapping_demo.csv"),
        demo_file(f"{FOLDER}/fingertips_api_93553_imd_score_demo.csv"),
    )


def load_demo_qof() -> int:
    return import_qof_practices(
        demo_file(f"{FOLDER}/nhsd_qof_2022-23_prevalence_by_practice_demo.csv")
    ).rows


def _fingertips(name: str) -> int:
    return fingertips.import_fingertips_export(demo_file(f"{FOLDER}/{name}")).rows


def _lists() -> pd.DataFrame:
    """Each open practice's list in 2022/23: all ages and aged 18 and over."""
    rows = PracticeList.objects.filter(
        period=QOF_PERIOD, practice__in=Practice.objects.filter(status="A")
    ).values_list("practice_id", "age_start", "patients")
    frame = pd.DataFrame(list(rows), columns=["practice", "age_start", "patients"])
    adults = frame[frame["age_start"] >= 18].groupby("practice")["patients"].sum()
    total = frame.groupby("practice")["patients"].sum()
    return pd.DataFrame({"patients": total, "adults": adults}).sort_index().reset_index()


def synthetic_health_checks(lists: pd.DataFrame, rng) -> pd.DataFrame:
    eligible = np.round(lists["adults"] * ELIGIBLE_SHARE_OF_ADULTS)
    uptake = rng.beta(HEALTH_CHECK_UPTAKE * 40, (1 - HEALTH_CHECK_UPTAKE) * 40, len(lists))
    checks = rng.binomial(eligible.astype(int), uptake)
    frame = pd.DataFrame({"area": lists["practice"], "count": checks, "denominator": eligible})
    limits = proportion(frame, "count", "denominator", confidence=(0.95, 0.998), multiplier=100)
    return _rows(HEALTH_CHECKS, QOF_PERIOD, "40-74 yrs", frame, limits)


def synthetic_admissions(lists: pd.DataFrame, rng) -> pd.DataFrame:
    """Two years of admissions per practice: the second year's rate grows by the mean growth
    with practice-to-practice variation, then Poisson noise."""
    parts = []
    for indicator, base, growth in ADMISSION_RATES:
        level = base * rng.lognormal(0, 0.2, len(lists))
        own_growth = growth + rng.normal(0, 0.04, len(lists))
        for year, period in enumerate(ADMISSION_PERIODS):
            patients = np.round(lists["patients"] * (0.99 if year == 0 else 1.0))
            expected = patients / PER_1000 * level * (1 + own_growth) ** year
            frame = pd.DataFrame(
                {"area": lists["practice"], "count": rng.poisson(expected), "denominator": patients}
            )
            limits = rate(
                frame, "count", "denominator", confidence=(0.95, 0.998), multiplier=PER_1000
            )
            parts.append(_rows(indicator, period, "All ages", frame, limits))
    return pd.concat(parts, ignore_index=True)


def _rows(indicator, period, age, frame, limits) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": frame["area"].to_numpy(),
            "period": period,
            "sex": PERSONS,
            "age": age,
            "category_type": "",
            "category": "",
            "value": limits["value"].round(2).to_numpy(),
            "lower95": limits["lower95_0cl"].round(2).to_numpy(),
            "upper95": limits["upper95_0cl"].round(2).to_numpy(),
            "lower998": limits["lower99_8cl"].round(2).to_numpy(),
            "upper998": limits["upper99_8cl"].round(2).to_numpy(),
            "count": frame["count"].astype(float).to_numpy(),
            "denominator": frame["denominator"].astype(float).to_numpy(),
            "value_note": SYNTHETIC_NOTE,
        }
    )


def _indicators() -> dict[str, dict]:
    common = {
        "domain": f"{PRIMARY_CARE} (synthetic)",
        "source": SYNTHETIC_SOURCE,
        "licence": "Synthetic (generated by healthgap); list sizes OGL v3",
        "is_synthetic": True,
    }
    per_1000 = {"unit": "per 1,000 patients", "value_type": ValueType.CRUDE_RATE}
    per_1000["method"] = "Crude rate; Byar's limits (exact below 10 events)"
    return {
        HEALTH_CHECKS: {
            **common,
            "name": "NHS Health Checks received by eligible patients (synthetic)",
            "unit": "%",
            "value_type": ValueType.PROPORTION,
            "method": "Wilson score interval",
            "polarity": Polarity.HIGH_IS_GOOD,
        },
        ELECTIVE: {
            **common,
            **per_1000,
            "name": "Elective admissions (synthetic)",
            "polarity": Polarity.NO_JUDGEMENT,
        },
        EMERGENCY: {
            **common,
            **per_1000,
            "name": "Emergency admissions (synthetic)",
            "polarity": Polarity.LOW_IS_GOOD,
        },
    }


def load_synthetic_practice_values() -> int:
    """Generated like any imported file (an import record, history); the same seed writes the
    same file, so loading again changes nothing."""
    lists = _lists()
    rng = np.random.default_rng(SEED)
    frame = pd.concat(
        [synthetic_health_checks(lists, rng), synthetic_admissions(lists, rng)], ignore_index=True
    )
    frame["_line"] = np.arange(2, len(frame) + 2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"synthetic_practice_values_seed_{SEED}.csv"
        frame.to_csv(path, index=False)
        names = {column: column for column in frame.columns}
        table = ValueTable(path, SYNTHETIC_IMPORTER, frame, names, _indicators())
        return load_values(table).rows


def ethnicity_steps():
    """Census 2021 ethnic group of the demo cities' LSOAs, wards and authorities."""
    path = demo_file("small_area/census2021_ts021_ethnic_group_lsoa21_coventry_leicester.csv")
    return [("Census 2021 ethnic group", lambda: import_ethnic_groups(path).rows)]
