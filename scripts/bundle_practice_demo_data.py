"""Write the demo's practice files: the rows of the national GP-practice files that concern the
demo practices (NHS Coventry and Warwickshire sub-ICB B2M3M and NHS Leicester City 04C), from the
files described in ``../shared/data/SOURCES.md``. Values are copied unchanged; the only derived
rows are England's QOF totals (every English practice's register and list summed), which the
case-finding page uses as the reference prevalence.

    .venv/bin/python scripts/bundle_practice_demo_data.py ../shared/data/gp_practice
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

DEMO_SUB_ICBS = ("B2M3M", "04C")
ENGLAND = "E92000001"
OUT = Path(__file__).resolve().parents[1] / "healthgap" / "demo" / "data" / "gp_practice"


def main(source: Path) -> None:
    mapping = pd.read_csv(
        source / "nhsd_qof_2022-23_mapping_nhs_geographies_england.csv", dtype=str
    )
    mapping = mapping[mapping["SUB_ICB_ODS_CODE"].isin(DEMO_SUB_ICBS)]
    mapping.to_csv(OUT / "nhsd_qof_2022-23_mapping_demo.csv", index=False)
    practices = set(mapping["PRACTICE_CODE"])
    areas = practices | set(mapping["PCN_ODS_CODE"]) | set(mapping["SUB_ICB_ONS_CODE"])
    areas |= set(mapping["ICB_ONS_CODE"]) | {ENGLAND}

    qof = pd.read_csv(source / "nhsd_qof_2022-23_prevalence_by_practice_england.csv", dtype=str)
    numbers = qof.assign(
        REGISTER=pd.to_numeric(qof["REGISTER"]),
        PRACTICE_LIST_SIZE=pd.to_numeric(qof["PRACTICE_LIST_SIZE"]),
    )
    england = numbers.groupby(["GROUP_CODE", "PATIENT_LIST_TYPE"], as_index=False)[
        ["REGISTER", "PRACTICE_LIST_SIZE"]
    ].sum()
    england.insert(0, "PRACTICE_CODE", ENGLAND)
    demo = qof[qof["PRACTICE_CODE"].isin(practices)]
    pd.concat([demo, england.astype(str)]).to_csv(
        OUT / "nhsd_qof_2022-23_prevalence_by_practice_demo.csv", index=False
    )

    for name, out in (
        (
            "fingertips_export_91547_smoking_prevalence_qof_gp_and_la.csv",
            "fingertips_export_91547_smoking_prevalence_qof_demo.csv",
        ),
        (
            "fingertips_export_93930_ae_attendances_0_4_gp_pcn.csv",
            "fingertips_export_93930_ae_attendances_0_4_demo.csv",
        ),
    ):
        export = pd.read_csv(source / name, dtype=str, keep_default_na=False)
        # The smoking file ends with 2023/24 rows added without indicator ID, sex or limits:
        # not Fingertips' export, so left out.
        keep = export["Area Code"].isin(areas) & (export["Category Type"] == "")
        keep &= export["Indicator ID"] != ""
        export[keep].to_csv(OUT / out, index=False)

    imd = pd.read_csv(
        source / "fingertips_api_93553_imd_score_by_practice.csv", dtype=str, encoding="utf-8-sig"
    )
    imd[imd["AreaCode"].isin(practices)].to_csv(
        OUT / "fingertips_api_93553_imd_score_demo.csv", index=False
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
