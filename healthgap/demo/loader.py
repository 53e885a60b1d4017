"""The bundled demo: England's areas with Coventry and Leicester in detail."""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.db import transaction

from healthgap.accounts.demo import create_demo_users
from healthgap.areas.models import Area, Sex
from healthgap.demo.board import load_example_boards
from healthgap.demo.improvement import load_peer_challenges
from healthgap.demo.knowledge import knowledge_steps
from healthgap.demo.synthetic import load_synthetic_life_expectancy
from healthgap.indicators.comparators import save_nearest_neighbours
from healthgap.ingest import fingertips, geography, ons_mortality, population_by_sex

DEMO_DIR = Path(str(resources.files("healthgap.demo") / "data"))
DEMO_HWBS = {"E08000026": "Coventry", "E06000016": "Leicester"}


def demo_file(relative: str) -> Path:
    return DEMO_DIR / relative


def _nuts1_to_region() -> dict[str, str]:
    with open(demo_file("lookups/regions.csv"), encoding="utf-8") as handle:
        return {row["nuts1_code"]: row["code"] for row in csv.DictReader(handle)}


def demo_under_75_mortality() -> int:
    """The demo's under-75 mortality for 2014 (bundled ONS files)."""
    return ons_mortality.import_under_75_mortality(
        demo_file("mortality/ons_deaths_area_2014_table2_by_age_sex_tidy.csv"),
        demo_file("population/ons_mye2_mid2014_males_single_year_la.csv"),
        demo_file("population/ons_mye2_mid2014_females_single_year_la.csv"),
    ).rows


def demo_population_by_sex() -> int:
    """The demo's mid-2014 population by sex for every authority, region and England."""
    return sum(
        population_by_sex.load_mye2_by_sex(
            demo_file(f"population/ons_mye2_mid2014_{name}_single_year_la.csv"), sex, 2014
        )
        for name, sex in (("males", Sex.MALE), ("females", Sex.FEMALE))
    )


def geography_steps():
    """(description, loader) pairs in dependency order; each loads in its own transaction."""
    boundaries = [
        ("wards_2013_E08000026_coventry.geojson", "WD13CD"),
        ("wards_2021_E06000016_leicester.geojson", "WD21CD"),
        ("lsoa_2011_E08000026_coventry.geojson", "LSOA11CD"),
        ("lsoa_2011_E06000016_leicester.geojson", "LSOA11CD"),
        ("msoa_2011_E08000026_coventry.geojson", "MSOA11CD"),
        ("msoa_2011_E06000016_leicester.geojson", "MSOA11CD"),
        ("utla_2019_england.geojson", "UTLA19CD"),
    ]
    steps = [
        ("England and regions", lambda: geography.load_regions(demo_file("lookups/regions.csv"))),
        (
            "local authorities",
            lambda: geography.load_local_authorities(
                demo_file("lookups/mysociety_uk_local_authorities_current.csv"),
                ons_hierarchy=demo_file("population/ons_mye2_mid2014_males_single_year_la.csv"),
            ),
        ),
        (
            "LSOAs and IMD 2019",
            lambda: geography.load_lsoas_with_imd(
                demo_file("deprivation/iod2019_file1_imd_lsoa_england.csv")
            ),
        ),
        ("MSOAs", lambda: geography.load_msoas(demo_file("lookups/lsoa11_to_msoa11_england.csv"))),
        (
            "wards",
            lambda: geography.load_wards(
                demo_file("lookups/lsoa11_to_ward17_coventry_leicester.csv")
            ),
        ),
        (
            "IMD domains",
            lambda: geography.load_lsoa_domains(
                demo_file("deprivation/iod2019_file2_domains_lsoa_coventry_leicester.csv")
            ),
        ),
        (
            "authority deprivation",
            lambda: geography.load_authority_deprivation(
                demo_file("deprivation/iod2019_lad_summaries_england.csv")
            ),
        ),
        (
            "population (upper-tier)",
            lambda: geography.load_single_year_population(
                demo_file("population/ons_mye2_persons_mid2019_utla19_single_year.csv"),
                "utla19_code",
                2019,
            ),
        ),
        (
            "population (MSOA)",
            lambda: geography.load_single_year_population(
                demo_file(
                    "population/ons_sape_persons_mid2019_msoa11_coventry_leicester_single_year.csv"
                ),
                "msoa11_code",
                2019,
            ),
        ),
    ]
    steps += [
        (
            f"boundaries {name}",
            lambda name=name, prop=prop: geography.load_boundaries(
                demo_file(f"boundaries/{name}"), prop
            ),
        )
        for name, prop in boundaries
    ]
    steps.append(
        (
            "region boundaries",
            lambda: geography.load_boundaries(
                demo_file("boundaries/nuts1_regions_2012_gb.topojson"),
                "NUTS112CD",
                code_for=_nuts1_to_region(),
            ),
        )
    )
    steps.append(("demo boards", mark_demo_hwbs))
    return steps


# Older extracts first: where a newer file covers the same indicator and period (healthy life
# expectancy, smoking, inequality in life expectancy) its values replace them, kept as history.
FINGERTIPS_FILES = [
    "tdl_dashboard_alcohol_related_mortality.csv",
    "tdl_dashboard_healthy_life_expectancy_at_birth.csv",
    "tdl_dashboard_mortality_serious_mental_illness.csv",
    "tdl_dashboard_preventable_mortality_from_cancer.csv",
    "tdl_dashboard_slope_index_of_inequality.csv",
    "tdl_dashboard_smoking_adults.csv",
    "tdl_themes_adults_smoking.csv",
    "tdl_themes_healthy_life_expectancy.csv",
    "tdl_themes_inequality_life_expectancy.csv",
    "tdl_themes_life_expectancy.csv",
    "tdl_themes_mortality_rate.csv",
    "tdl_themes_nhs_health_checks.csv",
    "fingertips_export_suicide_countyUA_west_midlands.csv",
    "fingertips_export_suicide_countyUA_east_midlands.csv",
    "fingertips_export_cyp_mental_health_countyUA_west_midlands.csv",
    "fingertips_export_cyp_mental_health_countyUA_east_midlands.csv",
]


def indicator_steps():
    """(description, loader) for each bundled Fingertips file; a file loaded before is skipped."""
    steps = []
    for name in FINGERTIPS_FILES:
        path = demo_file(f"fingertips/{name}")
        importer = (
            fingertips.import_fingertips_export
            if name.startswith("fingertips_export")
            else fingertips.import_tidy_extract
        )
        steps.append(
            (f"indicators {name}", lambda path=path, importer=importer: importer(path).rows)
        )
    return steps


def save_demo_neighbours() -> int:
    """Nearest-neighbour comparator groups for the demo boards (recomputed, same result)."""
    return sum(save_nearest_neighbours(code).members.count() for code in DEMO_HWBS)


def mark_demo_hwbs() -> int:
    with transaction.atomic():
        return Area.objects.filter(code__in=DEMO_HWBS).update(is_hwb=True)


def load_demo_authorities() -> int:
    """England, its regions and every local authority, as the demo loads them (the benchmarks
    need only these)."""
    return sum(load() for _, load in geography_steps()[:2])


def core_steps():
    """The demo's own steps: areas, indicators, comparators and synthetic figures, in order."""
    return [
        *geography_steps(),
        *indicator_steps(),
        ("population by sex, mid-2014", demo_population_by_sex),
        ("under-75 mortality 2014 (ONS deaths)", demo_under_75_mortality),
        ("nearest neighbours", save_demo_neighbours),
        # Deaths by ward are not open data: generated with a fixed seed and labelled synthetic.
        ("synthetic life expectancy by ward and decile", load_synthetic_life_expectancy),
        *([("demo users (HEALTHGAP_DEMO=1)", create_demo_users)] if settings.DEMO_MODE else []),
        ("example board meetings", load_example_boards),
    ]


# Other apps add their demo data here: each entry is a function returning (description, step)
# pairs, run after the core steps in list order; every step returns a count and must be
# idempotent, so that loading the demo again changes nothing.
EXTRA_DEMO_STEPS: list[Callable[[], list[tuple[str, Callable[[], int]]]]] = []
# The knowledge hub's example documents (after the demo users, who own them).
EXTRA_DEMO_STEPS.append(knowledge_steps)

# Improvement: the two boards' example peer challenges (after the demo users).
EXTRA_DEMO_STEPS.append(lambda: [("example peer challenges", load_peer_challenges)])


def _mortality_steps():
    from healthgap.demo.mortality import mortality_steps  # imports this module: load lazily

    return mortality_steps()


EXTRA_DEMO_STEPS.append(_mortality_steps)


def _delivery_steps():
    from healthgap.delivery.models import Strategy
    from healthgap.demo.delivery import load_demo_plans
    from healthgap.demo.delivery_series import load_local_series

    def load_plans() -> int:
        load_demo_plans(report=lambda *_: None)
        return Strategy.private_objects.count()

    return [
        ("synthetic local performance series (quarterly and yearly)", load_local_series),
        ("example delivery plans (strategies, programmes, milestones)", load_plans),
    ]


EXTRA_DEMO_STEPS.append(_delivery_steps)


def _practice_steps():
    from healthgap.demo.practices import practice_steps  # imports this module: load lazily

    return practice_steps()


EXTRA_DEMO_STEPS.append(_practice_steps)


def _place_steps():
    from healthgap.demo.places import load_example_places

    return [("example places and routes (published)", load_example_places)]


EXTRA_DEMO_STEPS.append(_place_steps)


def load_demo(report=print) -> None:
    """Load every demo step; running it again changes nothing."""
    steps = core_steps()
    for extra_steps in EXTRA_DEMO_STEPS:
        steps += extra_steps()
    for description, step in steps:
        count = step()
        report(f"  {description}: {count:,}")
