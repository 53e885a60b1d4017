"""Read-side questions about GP practices: which practices an area holds, their indicator
values as frames for the methods, and their lists."""

from __future__ import annotations

import pandas as pd

from healthgap.areas.geometry import centroid
from healthgap.areas.models import (
    LOWER_TIER_TYPES,
    UPPER_TIER_TYPES,
    Area,
    AreaType,
    Boundary,
    PopulationEstimate,
    Sex,
)
from healthgap.areas.search import configured_postcode_lookup
from healthgap.constants import ENGLAND_CODE, FEMALE, MALE, PERSONS
from healthgap.indicators.models import Indicator, IndicatorValue
from healthgap.practices.models import (
    ModelledPrevalence,
    Practice,
    PracticeAgeSexList,
    PracticeList,
    PracticeStatus,
)

NHS_GROUPS = (AreaType.ICB, AreaType.SUB_ICB, AreaType.PCN)
VALUE_COLUMNS = ["area_id", "value", "lower95", "upper95", "lower998", "upper998", "count"]
VALUE_COLUMNS += ["denominator"]


def has_practices(area: Area) -> bool:
    return area.area_type in NHS_GROUPS or area.area_type in (
        *UPPER_TIER_TYPES,
        *LOWER_TIER_TYPES,
    )


def practices_of(area: Area, open_only: bool = True) -> list[Practice]:
    """The practices of an ICB, sub-ICB location or PCN (those below it), or of a local
    authority (those whose postcode lies in it, by the postcode lookup), by name."""
    practices = Practice.objects.select_related("area__parent")
    if open_only:
        practices = practices.filter(status=PracticeStatus.ACTIVE)
    if area.area_type in NHS_GROUPS:
        chain = "area__parent"
        below = practices.none()
        for _ in range(3):
            below |= practices.filter(**{chain: area})
            chain += "__parent"
        return list(below.order_by("area__name"))
    if area.area_type in (*UPPER_TIER_TYPES, *LOWER_TIER_TYPES):
        codes = _postcodes_in(area.code)
        return [p for p in practices.order_by("area__name") if _key(p.postcode) in codes]
    return []


def _key(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def _postcodes_in(authority: str) -> set[str]:
    lookup = configured_postcode_lookup()
    if lookup is None:
        return set()
    return {code for code, (lad, _) in lookup.wards_by_postcode.items() if lad == authority}


def practice_indicators(codes: list[str]) -> list[Indicator]:
    """Indicators with whole-population values for any of these practices."""
    found = (
        IndicatorValue.objects.filter(area_id__in=codes, category_type="", sex=PERSONS)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return list(Indicator.objects.filter(code__in=set(found)).order_by("name"))


def indicator_periods(indicator: str, codes: list[str]) -> list[str]:
    rows = IndicatorValue.objects.filter(indicator_id=indicator, area_id__in=codes)
    labels = rows.order_by("period__start").values_list("period__label", flat=True)
    return list(dict.fromkeys(labels))


def practice_values(indicator: str, period: str, codes: list[str]) -> pd.DataFrame:
    """One row per practice with a value (persons, whole population): VALUE_COLUMNS."""
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator,
        period__label=period,
        area_id__in=codes,
        sex=PERSONS,
        category_type="",
    ).values_list(*VALUE_COLUMNS)
    return pd.DataFrame(list(rows), columns=VALUE_COLUMNS)


def england_value(indicator: str, period: str) -> dict | None:
    row = (
        IndicatorValue.objects.filter(
            indicator_id=indicator,
            period__label=period,
            area_id=ENGLAND_CODE,
            sex=PERSONS,
            category_type="",
        )
        .values(*VALUE_COLUMNS)
        .first()
    )
    return row


def practice_profile_values(code: str) -> list[dict]:
    """Every whole-population value of the practice, latest period first within indicator."""
    rows = IndicatorValue.objects.filter(area_id=code, category_type="").select_related(
        "indicator", "period"
    )
    return [
        {
            "indicator": value.indicator,
            "period": value.period.label,
            "sex": value.sex,
            "age": value.age,
            "value": value.value,
            "lower95": value.lower95,
            "upper95": value.upper95,
            "count": value.count,
            "denominator": value.denominator,
            "compared_to_england": value.compared_to_england,
        }
        for value in rows.order_by("indicator__name", "-period__start", "sex")
    ]


def list_bands(code: str) -> list[PracticeList]:
    latest = PracticeList.objects.filter(practice_id=code).order_by("-period").first()
    if latest is None:
        return []
    return list(PracticeList.objects.filter(practice_id=code, period=latest.period))


def nhs_groups() -> list[Area]:
    """ICBs and sub-ICB locations with practices, for the practice pages' index."""
    return list(
        Area.objects.filter(area_type__in=(AreaType.ICB, AreaType.SUB_ICB)).order_by(
            "area_type", "name"
        )
    )


def modelled_estimates(condition: str) -> list[ModelledPrevalence]:
    """The uploaded modelled prevalence estimates giving this QOF condition (e.g. "HYP")."""
    return list(ModelledPrevalence.objects.filter(rates__condition=condition).distinct())


def modelled_rates(estimate: ModelledPrevalence, condition: str) -> pd.DataFrame:
    """condition, sex, age_start, age_end, prevalence (0-1)."""
    columns = ["condition", "sex", "age_start", "age_end", "prevalence"]
    rows = estimate.rates.filter(condition=condition).values_list(*columns)
    return pd.DataFrame(list(rows), columns=columns)


def reference_population() -> pd.DataFrame:
    """England's men and women by single year of age (latest year held): sex, age, people;
    empty when not held."""
    sexes = {Sex.MALE: MALE, Sex.FEMALE: FEMALE}
    rows = PopulationEstimate.objects.filter(area_id=ENGLAND_CODE, sex__in=list(sexes))
    latest = rows.order_by("-year").values_list("year", flat=True).first()
    found = rows.filter(year=latest).values_list("sex", "age", "count")
    frame = pd.DataFrame(list(found), columns=["sex", "age", "people"])
    frame["sex"] = frame["sex"].map(sexes)
    return frame


def practice_lists(codes: list[str]) -> pd.DataFrame:
    """Each practice's list by age band in the latest period held: practice, band (the band's
    start age), age_end, patients."""
    rows = PracticeList.objects.filter(practice_id__in=codes)
    latest = rows.order_by("-period").values_list("period", flat=True).first()
    found = rows.filter(period=latest).values_list(
        "practice_id", "age_start", "age_end", "patients"
    )
    return pd.DataFrame(list(found), columns=["practice", "band", "age_end", "patients"])


AGE_SEX_COLUMNS = ["practice", "sex", "band", "age_end", "patients", "is_example"]


def age_sex_lists(codes: list[str]) -> pd.DataFrame:
    """Each practice's list by sex and five-year band in the latest month held for any of
    them: AGE_SEX_COLUMNS (band is the band's start age); empty when none is held."""
    rows = PracticeAgeSexList.objects.filter(practice_id__in=codes)
    latest = rows.order_by("-period").values_list("period", flat=True).first()
    found = rows.filter(period=latest).values_list(
        "practice_id", "sex", "age_start", "age_end", "patients", "is_example"
    )
    return pd.DataFrame(list(found), columns=AGE_SEX_COLUMNS)


def practice_age_sex_list(code: str) -> list[PracticeAgeSexList]:
    """One practice's list by sex and band in its latest month, youngest band first."""
    rows = PracticeAgeSexList.objects.filter(practice_id=code)
    latest = rows.order_by("-period").values_list("period", flat=True).first()
    return list(rows.filter(period=latest).order_by("age_start", "sex"))


def practice_groups(codes: list[str], area_type: str) -> dict[str, Area]:
    """Each practice's PCN or ICB (``area_type``), found up its chain of parents; practices
    with none (a PCN for an unallocated practice) are left out."""
    parents = dict(Area.objects.filter(code__in=codes).values_list("code", "parent_id"))
    above = {
        area.code: area
        for area in Area.objects.filter(area_type__in=NHS_GROUPS).select_related(None)
    }
    found = {}
    for code, parent in parents.items():
        while parent in above and above[parent].area_type != area_type:
            parent = above[parent].parent_id
        if parent in above:
            found[code] = above[parent]
    return found


def practices_with_values(indicator: str) -> list[str]:
    """Every practice holding a value of the indicator (all practices, not one area's)."""
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator, area__area_type=AreaType.GP_PRACTICE
    )
    return sorted(set(rows.values_list("area_id", flat=True)))


def practice_locations(practices: list[Practice]) -> dict[str, dict]:
    """Where to draw each practice: no open file gives practices' coordinates, so a practice
    sits at the centroid of its postcode's LSOA (2021 codes we hold the boundary of), else of
    its postcode's ward: code -> lon, lat, basis. Practices whose postcode is not in the
    lookup, or whose areas have no boundary, are left out."""
    lookup = configured_postcode_lookup()
    if lookup is None:
        return {}
    places = {}
    for practice in practices:
        key = _key(practice.postcode)
        lsoa = lookup.lsoas_by_postcode.get(key)
        ward = lookup.wards_by_postcode.get(key, ("", ""))[1]
        places[practice.area_id] = [(lsoa, "LSOA"), (ward, "ward")]
    wanted = {code for options in places.values() for code, _ in options if code}
    shapes = dict(Boundary.objects.filter(area_id__in=wanted).values_list("area_id", "geometry"))
    centres = {code: centroid(geometry) for code, geometry in shapes.items()}
    found = {}
    for code, options in places.items():
        for area, kind in options:
            if centres.get(area):
                lon, lat = centres[area]
                found[code] = {
                    "lon": lon,
                    "lat": lat,
                    "basis": f"centroid of its {kind}",
                    "area": area,
                }
                break
    return found
