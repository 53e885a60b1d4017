"""The GP practice pages of an area (an ICB, sub-ICB location, PCN, or a local authority by its
practices' postcodes): a funnel plot for any practice indicator, case finding for a QOF
condition, and admissions growth against the cluster of practices (issue 12)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from django.urls import reverse

from healthgap.areas import queries as area_queries
from healthgap.areas.models import Area, AreaType
from healthgap.areas.search import configured_postcode_lookup
from healthgap.indicators.models import Indicator, Polarity, ValueType
from healthgap.methods import case_finding, funnel_limits, funnel_significance, ratio_of_rate_ratios
from healthgap.practices import queries
from healthgap.practices.prevalence import age_sex_band_prevalence, list_band_prevalence
from healthgap.web import charts, practice_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import Filter, OutcomePage, choose, plain_options, rounded

QOF_PREFIX = "qof_"
ENGLAND_REFERENCE = "england"
DEFAULT_INDICATOR = "qof_HYP"
DEFAULT_GROWTH = "SYN-GP-ELECTIVE"
PRACTICE_LEVEL, PCN_LEVEL, ICB_LEVEL = "practice", "pcn", "icb"
GROWTH_LEVELS = [
    (PRACTICE_LEVEL, "Each practice against the rest of the area's practices"),
    (PCN_LEVEL, "Each primary care network against the rest of the area's practices"),
    (ICB_LEVEL, "Each integrated care board against every other practice held"),
]
LEVEL_WORDS = {
    PRACTICE_LEVEL: ("Practice", "practices"),
    PCN_LEVEL: ("Primary care network", "primary care networks"),
    ICB_LEVEL: ("Integrated care board", "integrated care boards"),
}
OVERDISPERSION = [("no", "No"), ("yes", "Yes: Spiegelhalter's random-effects adjustment")]
SYNTHETIC_TEXT = (
    "NHS Health Check uptake and admissions by practice are not published openly: the demo "
    "generates them with a fixed seed over the real QOF 2022-23 list sizes. They show how the "
    "page works; they are not real."
)
# funnel_significance's labels in the five-level words of the other pages (and their colours).
FUNNEL_WORDS = {
    "High (0.001)": "Higher 99.8%",
    "High (0.025)": "Higher 95%",
    "Low (0.025)": "Lower 95%",
    "Low (0.001)": "Lower 99.8%",
    "Not significant": "Similar",
}
JUDGED = {
    Polarity.HIGH_IS_GOOD: {"Higher": "Better", "Lower": "Worse"},
    Polarity.LOW_IS_GOOD: {"Higher": "Worse", "Lower": "Better"},
}
# Which list a practice's expected register was worked out over (a column of case finding).
AGE_SEX_BASIS, PERSONS_BASIS = "age-sex list", "persons list"
EXAMPLE = "example"
EXAMPLE_LISTS_TEXT = (
    "NHS Digital publishes practices' lists by sex and five-year age band, but the demo's open "
    "files hold only all-ages lists: the demo splits each practice's real list by the age and "
    "sex of the population around it (fixed seed), as an example. Expected registers worked "
    "out over these example lists show how the page works; they are not real."
)
LIMIT_LINES = (("2s", "95% limits"), ("3s", "99.8% limits"))


def practice_url(code: str) -> str:
    return reverse("web:practice", args=[code])


def _practices(area: Area) -> tuple[list, dict[str, str]]:
    practices = queries.practices_of(area)
    return practices, {p.area_id: p.area.name for p in practices}


def _empty(title: str, template: str, area: Area) -> OutcomePage:
    table = DataTable("practices", f"GP practices, {area.name}", [("name", "Practice")], [])
    return OutcomePage(title, template, [table], context={"no_practices": True})


def _indicator_filters(params, codes, options, default) -> tuple[list[Filter], str, str]:
    indicator = choose(params, "indicator", options, default)
    periods = queries.indicator_periods(indicator, codes)
    period = choose(params, "period", plain_options(periods), periods[-1] if periods else "")
    filters = [
        Filter("indicator", "Indicator", options, indicator),
        Filter("period", "Period", plain_options(periods), period),
    ]
    return filters, indicator, period


def _multiplier(indicator: Indicator) -> float:
    """100 for percentages; the "per 1,000" of a rate's unit; 100,000 by default."""
    if indicator.value_type == ValueType.PROPORTION:
        return 100.0
    found = re.search(r"per ([\d,]+)", indicator.unit or "")
    return float(found.group(1).replace(",", "")) if found else 100_000.0


def _words(label: str, indicator: Indicator) -> str:
    words = FUNNEL_WORDS[label]
    direction, _, level = words.partition(" ")
    judged = JUDGED.get(indicator.polarity, {}).get(direction, direction)
    return f"{judged} {level}".strip()


# --- funnel plot ---------------------------------------------------------------------------


def funnel(area: Area, params) -> OutcomePage:
    title = "GP practices: funnel plot"
    practices, names = _practices(area)
    if not practices:
        return _empty(title, "web/practice_funnel.html", area)
    codes = list(names)
    indicators = [
        i
        for i in queries.practice_indicators(codes)
        if i.value_type in (ValueType.PROPORTION, ValueType.CRUDE_RATE)
    ]
    options = [(i.code, i.name) for i in indicators]
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in dict(options) else options[0][0]
    filters, code, period = _indicator_filters(params, codes, options, default)
    overdispersed = choose(params, "overdispersion", OVERDISPERSION, "no")
    filters.append(
        Filter("overdispersion", "Adjust for overdispersion", OVERDISPERSION, overdispersed)
    )
    indicator = next(i for i in indicators if i.code == code)
    frame = queries.practice_values(code, period, codes).dropna(subset=["count", "denominator"])
    frame = frame[frame["denominator"] > 0].reset_index(drop=True)
    result, lines, dispersion = _funnel_figures(frame, indicator, overdispersed == "yes")
    rows = _funnel_rows(result, lines, names, indicator)
    y_title = f"{indicator.name} ({indicator.unit})"
    x_title = "Patients (denominator)"
    chart = practice_charts.funnel(
        "practice-funnel",
        f"{indicator.name}, {period}: {len(rows)} practices, {area.name}",
        "Each circle is a practice (select it to open its profile), placed by its number of "
        "patients and its value; the lines are the 95% and 99.8% control limits around the "
        "average of these practices. A practice outside them differs by more than chance. The "
        "tables below hold the same figures.",
        [{**row, "x": row["denominator"], "y": row["value"]} for row in rows],
        lines,
        x_title=x_title,
        y_title=y_title,
    )
    tables = _funnel_tables(rows, indicator, period, area, dispersion is not None)
    return OutcomePage(
        f"{title}: {indicator.name}",
        "web/practice_funnel.html",
        tables,
        charts={"funnel": chart},
        filters=filters,
        context={
            "dispersion": dispersion,
            "outliers": [row for row in rows if row["significance"] != "Similar"],
            "average": rounded(lines[0]["average"] if lines else None, 2),
            "synthetic_text": SYNTHETIC_TEXT if indicator.is_synthetic else "",
        },
        synthetic=indicator.is_synthetic,
    )


def _funnel_figures(frame: pd.DataFrame, indicator: Indicator, overdispersed: bool):
    """Each practice's significance, the limit lines to draw, and phi and tau2 if asked."""
    multiplier = _multiplier(indicator)
    if indicator.value_type == ValueType.PROPORTION:
        kwargs = {"statistic": "proportion"}
    else:
        frame = frame.assign(rate=frame["count"] / frame["denominator"] * multiplier)
        kwargs = {"statistic": "rate", "rate": "rate", "rate_type": "crude"}
    significance = funnel_significance(
        frame,
        "count",
        "denominator",
        multiplier=multiplier,
        overdispersion=overdispersed,
        **kwargs,
    )
    years = {"years_of_data": 1} if kwargs["statistic"] == "rate" else {}
    limits = funnel_limits(
        frame,
        "count",
        "denominator",
        multiplier=multiplier,
        overdispersion=overdispersed,
        **kwargs,
        **years,
    )
    lines = _limit_lines(limits, kwargs["statistic"])
    dispersion = None
    if overdispersed:
        dispersion = {
            "phi": rounded(limits["phi"].iat[0], 3),
            "tau2": float(limits["tau2"].iat[0]),
            "adjusted": bool(limits["tau2"].iat[0] > 0),
        }
    return significance, lines, dispersion


def _limit_lines(limits: pd.DataFrame, statistic: str) -> list[dict]:
    """The limits as (x = patients, y) points per line and side; the average as a line too."""
    lines = []
    average = float(limits["baseline"].iat[0])
    for name, label in LIMIT_LINES:
        for side in ("lower", "upper"):
            # Proportion limits are given per population; rate limits per number of events,
            # with the population at which each limit is reached.
            x_column = (
                "Population" if statistic == "proportion" else f"{side}_{name}_population_1_year"
            )
            for x, y in zip(limits[x_column], limits[f"{side}_{name}_limit"]):
                if np.isfinite(x) and np.isfinite(y) and x > 0:
                    lines.append(
                        {
                            "x": round(float(x), 1),
                            "y": round(float(y), 3),
                            "line": label,
                            "side": side,
                            "average": average,
                        }
                    )
    xs = [line["x"] for line in lines]
    if xs:
        for x in (min(xs), max(xs)):
            lines.append(
                {"x": x, "y": average, "line": "Average", "side": "average", "average": average}
            )
    return lines


def _limit_at(lines: list[dict], label: str, side: str, x: float) -> float | None:
    curve = sorted(
        (line["x"], line["y"]) for line in lines if (line["line"], line["side"]) == (label, side)
    )
    if not curve:
        return None
    xs, ys = zip(*curve)
    return float(np.interp(x, xs, ys))


def _funnel_rows(result: pd.DataFrame, lines, names, indicator) -> list[dict]:
    rows = []
    for record in result.to_dict("records"):
        code, size = record["area_id"], record["denominator"]
        row = {
            "code": code,
            "name": names[code],
            "url": practice_url(code),
            "value": rounded(record["value"], 2),
            "count": rounded(record["count"], 0),
            "denominator": rounded(size, 0),
            "significance": _words(str(record["significance"]), indicator),
            "limit_low_95": rounded(_limit_at(lines, "95% limits", "lower", size), 2),
            "limit_high_95": rounded(_limit_at(lines, "95% limits", "upper", size), 2),
            "limit_low_998": rounded(_limit_at(lines, "99.8% limits", "lower", size), 2),
            "limit_high_998": rounded(_limit_at(lines, "99.8% limits", "upper", size), 2),
        }
        if "z_adjusted" in record:
            row["z_score"] = rounded(record["z_score"], 2)
            row["z_adjusted"] = rounded(record["z_adjusted"], 2)
        rows.append(row)
    return sorted(rows, key=lambda row: row["name"])


def _funnel_tables(rows, indicator, period, area, overdispersed) -> list[DataTable]:
    columns = [
        ("name", "Practice"),
        ("code", "Code"),
        ("value", f"Value ({indicator.unit})"),
        ("count", "Count"),
        ("denominator", "Denominator"),
        ("limit_low_998", "Lower 99.8% control limit at this size"),
        ("limit_low_95", "Lower 95% control limit at this size"),
        ("limit_high_95", "Upper 95% control limit at this size"),
        ("limit_high_998", "Upper 99.8% control limit at this size"),
    ]
    if overdispersed:
        columns += [("z_score", "z-score"), ("z_adjusted", "z-score adjusted for overdispersion")]
    columns.append(("significance", "Compared with the average"))
    links = {"name": "url"}
    outliers = [row for row in rows if row["significance"] != "Similar"]
    title = f"{indicator.name}, {period}, GP practices of {area.name}"
    return [
        DataTable("outliers", f"Outliers: {title}", columns, outliers, links),
        DataTable("practices", title, columns, rows, links),
    ]


# --- case finding --------------------------------------------------------------------------


def case_finding_page(area: Area, params) -> OutcomePage:
    title = "GP practices: case finding"
    practices, names = _practices(area)
    if not practices:
        return _empty(title, "web/case_finding.html", area)
    codes = list(names)
    conditions = [i for i in queries.practice_indicators(codes) if i.code.startswith(QOF_PREFIX)]
    options = [
        (i.code, i.name.replace("QOF recorded prevalence: ", "").capitalize()) for i in conditions
    ]
    if not options:
        return _empty(title, "web/case_finding.html", area)
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in dict(options) else options[0][0]
    filters, code, period = _indicator_filters(params, codes, options, default)
    condition = dict(options)[code]
    estimates = {f"model-{e.pk}": e for e in queries.modelled_estimates(_qof_group(code))}
    references = [(ENGLAND_REFERENCE, "England's recorded prevalence (QOF)")]
    references += [(key, f"{e.name} (modelled, by age and sex)") for key, e in estimates.items()]
    chosen = choose(params, "reference", references, ENGLAND_REFERENCE)
    filters.append(Filter("reference", "Reference prevalence", references, chosen))
    observed = queries.practice_values(code, period, codes).dropna(subset=["count", "denominator"])
    if chosen in estimates:
        result, basis = _modelled_expected(observed, estimates[chosen], _qof_group(code))
    else:
        result, basis = _england_expected(observed, code, period)
    if result is None:
        return OutcomePage(
            title, "web/case_finding.html", [], filters=filters, context={"no_reference": True}
        )
    rows = _case_finding_rows(result, names)
    chart = _case_finding_funnel(rows, result, condition, period, area)
    table = _case_finding_table(rows, condition, period, area)
    summary = {**_case_finding_summary(rows, condition), **basis}
    tables, page_charts = [table], {"funnel": chart}
    ward_table, ward_map = _missing_by_ward(area, practices, rows, condition, period)
    if ward_table:
        tables.append(ward_table)
        page_charts["map"] = ward_map
    point_table, point_map = _practice_points(practices, rows, condition, period, area)
    if point_table:
        tables.append(point_table)
        page_charts["points"] = point_map
    return OutcomePage(
        f"{title}: {condition}",
        "web/case_finding.html",
        tables,
        charts=page_charts,
        filters=filters,
        context={"summary": summary},
    )


def _case_finding_table(rows, condition: str, period: str, area: Area) -> DataTable:
    columns = [
        ("rank", "Rank (most missing first)"),
        ("name", "Practice"),
        ("code", "Code"),
        ("observed", "Patients on the register"),
        ("expected", "Expected register"),
        ("ratio", "Observed / expected (x100)"),
        ("lower95", "Lower 95% limit"),
        ("upper95", "Upper 95% limit"),
        ("lower998", "Lower 99.8% limit"),
        ("upper998", "Upper 99.8% limit"),
        ("missing", "Patients possibly missing"),
        ("significance", "Compared with expected"),
        ("basis", "Expected from the practice's"),
    ]
    return DataTable(
        "case_finding",
        f"Case finding: {condition}, {period}, GP practices of {area.name}",
        columns,
        rows,
        {"name": "url"},
        decimals={"expected": 0, "missing": 0},
    )


def _case_finding_summary(rows, condition: str) -> dict:
    below = [row for row in rows if row["significance"].startswith("Lower")]
    return {
        "condition": condition,
        "missing": round(sum(row["missing"] for row in rows)),
        "below": len(below),
        "below_998": sum(row["significance"] == "Lower 99.8%" for row in rows),
        "practices": len(rows),
    }


def _missing_by_ward(area: Area, practices, rows, condition, period):
    """For an authority: patients possibly missing, summed over the practices in each ward
    (by the ward of the practice's postcode), as a table and a ward map; else (None, None)."""
    lookup = configured_postcode_lookup()
    wards = dict(
        Area.objects.filter(area_type=AreaType.WARD, parent=area).values_list("code", "name")
    )
    if lookup is None or not wards:
        return None, None
    ward_of = {
        p.area_id: lookup.wards_by_postcode.get(p.postcode.replace(" ", "").upper(), ("", ""))[1]
        for p in practices
    }
    totals = {code: {"code": code, "name": name, "practices": 0, "missing": 0.0}
              for code, name in wards.items()}  # fmt: skip
    for row in rows:
        ward = totals.get(ward_of.get(row["code"]))
        if ward:
            ward["practices"] += 1
            ward["missing"] += row["missing"] or 0
    found = sorted(totals.values(), key=lambda ward: -ward["missing"])
    for ward in found:
        ward["missing"] = round(ward["missing"])
    table = DataTable(
        "wards",
        f"Patients possibly missing from the {condition.lower()} registers by ward, {period}",
        [("name", "Ward"), ("code", "Ward code"), ("practices", "Practices in the ward"),
         ("missing", "Patients possibly missing")],
        found,
    )  # fmt: skip
    chart = charts.choropleth(
        "case-finding-map",
        f"{condition}: patients possibly missing by the ward of their practice, {area.name}",
        "Wards shaded by the patients possibly missing from the registers of the practices in "
        "them (by the practice's postcode; patients may live elsewhere). Wards without a "
        "practice show 0. The table below gives the same figures.",
        area_queries.features({ward["code"]: ward for ward in found}),
        "missing",
        "Patients possibly missing",
        [
            ("name", "Ward", "nominal"),
            ("practices", "Practices", "quantitative"),
            ("missing", "Patients possibly missing", "quantitative"),
        ],
        scheme="oranges",
    )
    return table, chart


def _qof_group(code: str) -> str:
    return code.removeprefix(QOF_PREFIX)


def _england_expected(observed: pd.DataFrame, code: str, period: str):
    """Expected registers from England's recorded prevalence, and words for the page; (None,
    None) when England's figure is not held."""
    england = queries.england_value(code, period)
    if england is None or not england["denominator"] or observed.empty:
        return None, None
    reference = england["count"] / england["denominator"]
    return _expected_registers(observed, reference), {"reference": round(100 * reference, 2)}


def _modelled_expected(observed: pd.DataFrame, estimate, group: str):
    """Expected registers from a modelled prevalence by age and sex: over each practice's list
    by sex and five-year band where it has one, else over its persons list by age band
    (practices with neither are left out)."""
    rates = queries.modelled_rates(estimate, group)
    weights = queries.reference_population()
    age_sex = queries.age_sex_lists(list(observed["area_id"]))
    by_age_sex = observed["area_id"].isin(set(age_sex["practice"]))
    basis = {"estimate": estimate.name, "estimate_source": estimate.source}
    parts = []
    if by_age_sex.any():
        parts.append(_age_sex_expected(observed[by_age_sex], age_sex, rates, weights))
        basis["age_sex_practices"] = int(by_age_sex.sum())
        if age_sex["is_example"].any():
            basis.update(example_lists=True, example_text=EXAMPLE_LISTS_TEXT)
    persons, bands = _persons_list_expected(observed[~by_age_sex], rates, weights)
    if persons is not None:
        parts.append(persons)
        basis["bands"] = bands
    if not parts:
        return None, None
    return pd.concat(parts, ignore_index=True), basis


def _list_bands(lists: pd.DataFrame) -> list[tuple[int, int | None]]:
    """The age bands (start, end; None for an open end) of practice lists."""
    pairs = zip(lists["band"], lists["age_end"], strict=True)
    return sorted({(int(start), None if pd.isna(end) else int(end)) for start, end in pairs})


def _age_sex_expected(observed, lists, rates, weights) -> pd.DataFrame:
    """Indirect standardisation over sex and five-year band: sum of list x prevalence."""
    bands = _list_bands(lists)
    prevalence = age_sex_band_prevalence(rates, weights, bands)
    lists = lists[lists["practice"].isin(set(observed["area_id"]))]
    result = case_finding(
        lists[["practice", "sex", "band", "patients"]],
        _registers(observed),
        prevalence[["sex", "band", "prevalence"]],
        strata=["sex", "band"],
        refvalue=100,
    )
    return result.assign(basis=AGE_SEX_BASIS)


def _persons_list_expected(observed, rates, weights):
    """Indirect standardisation over the persons list bands of the QOF file, and the bands'
    prevalence for the page; (None, None) when no practice here has such a list."""
    lists = queries.practice_lists(list(observed["area_id"]))
    observed = observed[observed["area_id"].isin(set(lists["practice"]))]
    if observed.empty:
        return None, None
    bands = _list_bands(lists)
    prevalence = list_band_prevalence(rates, weights, bands)
    lists = lists[lists["practice"].isin(set(observed["area_id"]))]
    result = case_finding(
        lists[["practice", "band", "patients"]],
        _registers(observed),
        prevalence[["band", "prevalence"]],
        strata="band",
        refvalue=100,
    )
    words = [
        {"band": area_queries.band_label(start, end), "prevalence": value}
        for (start, end), value in zip(bands, (100 * prevalence["prevalence"]).round(2))
    ]
    return result.assign(basis=PERSONS_BASIS), words


def _registers(observed: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"practice": observed["area_id"], "register": observed["count"]})


def _practice_points(practices, rows, condition: str, period: str, area: Area):
    """The practices as points, each at its LSOA's (or ward's) centroid: no open file gives
    practices' coordinates, so the places are approximate and the page says so."""
    located = queries.practice_locations(practices)
    placed = [{**row, **located[row["code"]]} for row in rows if row["code"] in located]
    if not placed:
        return None, None
    for row in placed:
        row["size"] = row["missing"] or 0
    table = DataTable(
        "practice_points",
        f"Where the practices are drawn (approximately): {condition}, {period}",
        [("name", "Practice"), ("code", "Code"), ("basis", "Drawn at the"),
         ("area", "Area code"), ("lon", "Longitude"), ("lat", "Latitude"),
         ("missing", "Patients possibly missing"), ("significance", "Compared with expected")],
        placed,
        {"name": "url"},
        decimals={"lon": 4, "lat": 4},
    )  # fmt: skip
    authority_wards = Area.objects.filter(area_type=AreaType.WARD, parent=area)
    around = {row["area"] for row in placed} | set(authority_wards.values_list("code", flat=True))
    outlines = area_queries.features({code: {} for code in _ward_codes(around)})
    chart = practice_charts.point_map(
        "case-finding-points",
        f"{condition}: practices by patients possibly missing, {area.name} (approximate places)",
        f"Each circle is a practice, sized by the patients possibly missing from its register "
        f"and coloured by how its register compares with expected; select one to open its "
        f"profile. Places are approximate: no open file gives practices' coordinates, so each "
        f"is drawn at the centroid of its postcode's LSOA (or ward). {len(placed)} of "
        f"{len(rows)} practices could be placed. The table below gives the same figures.",
        outlines,
        placed,
        size_title="Patients possibly missing",
    )
    return table, chart


def _ward_codes(codes: set[str]) -> set[str]:
    """The wards among ``codes``, and the wards of the LSOAs among them (the outlines drawn)."""
    areas = Area.objects.filter(code__in=codes).values_list("code", "area_type", "ward_id")
    return {ward if area_type == AreaType.LSOA else code for code, area_type, ward in areas} - {
        None
    }


def _expected_registers(observed: pd.DataFrame, reference: float) -> pd.DataFrame:
    """Indirect standardisation over the one age stratum the open QOF file gives: each
    practice's list at the ages the register covers, times England's prevalence."""
    lists = pd.DataFrame(
        {
            "practice": observed["area_id"],
            "ages": "register ages",
            "patients": observed["denominator"],
        }
    )
    prevalence = pd.DataFrame({"ages": ["register ages"], "prevalence": [reference]})
    result = case_finding(lists, _registers(observed), prevalence, strata="ages", refvalue=100)
    return result.assign(basis=PERSONS_BASIS)


def _case_finding_rows(result: pd.DataFrame, names) -> list[dict]:
    ranked = result.sort_values("missing", ascending=False)
    rows = []
    for rank, record in enumerate(ranked.to_dict("records"), start=1):
        code = record["practice"]
        rows.append(
            {
                "rank": rank,
                "code": code,
                "name": names[code],
                "url": practice_url(code),
                "observed": rounded(record["observed"], 0),
                "expected": rounded(record["expected"], 1),
                "ratio": rounded(record["value"], 1),
                "lower95": rounded(record["lower95_0cl"], 1),
                "upper95": rounded(record["upper95_0cl"], 1),
                "lower998": rounded(record["lower99_8cl"], 1),
                "upper998": rounded(record["upper99_8cl"], 1),
                "missing": rounded(record["missing"], 1),
                "significance": record["significance"],
                "basis": record["basis"],
            }
        )
    return rows


def _case_finding_funnel(rows, result, condition, period, area):
    """Observed / expected against the expected register, with Poisson control limits."""
    limits = funnel_limits(
        result, "observed", "expected", statistic="ratio", ratio_type="isr", multiplier=1
    )
    lines = []
    for name, label in LIMIT_LINES:
        for side in ("lower", "upper"):
            for x, y in zip(limits[f"{side}_{name}_exp_events"], limits[f"{side}_{name}_limit"]):
                if np.isfinite(x) and np.isfinite(y) and x > 0:
                    lines.append(
                        {
                            "x": round(float(x), 1),
                            "y": round(float(y), 2),
                            "line": label,
                            "side": side,
                        }
                    )
    top = max((row["expected"] for row in rows), default=1)
    lines += [{"x": x, "y": 100, "line": "Average", "side": "average"} for x in (0, top)]
    return practice_charts.funnel(
        "case-finding-funnel",
        f"{condition}: observed against expected registers, {period}, {area.name}",
        "Each circle is a practice (select it to open its profile): its expected register "
        "across, and its register as a percentage of expected up the page (100 = as England's "
        "prevalence predicts). Practices below the lower limits have fewer patients on the "
        "register than chance explains: some may be undiagnosed or unrecorded.",
        [{**row, "x": row["expected"], "y": row["ratio"]} for row in rows],
        lines,
        x_title="Expected register",
        y_title="Observed / expected (x100)",
    )


# --- admissions growth ---------------------------------------------------------------------


def admissions_growth(area: Area, params) -> OutcomePage:
    title = "GP practices: admissions growth"
    practices, names = _practices(area)
    if not practices:
        return _empty(title, "web/admissions_growth.html", area)
    codes = list(names)
    rates = [
        i
        for i in queries.practice_indicators(codes)
        if i.value_type == ValueType.CRUDE_RATE
        and len(queries.indicator_periods(i.code, codes)) > 1
    ]
    options = [(i.code, i.name) for i in rates]
    if not options:
        return _empty(title, "web/admissions_growth.html", area)
    default = DEFAULT_GROWTH if DEFAULT_GROWTH in dict(options) else options[0][0]
    code = choose(params, "indicator", options, default)
    indicator = next(i for i in rates if i.code == code)
    periods = plain_options(queries.indicator_periods(code, codes))
    first = choose(params, "from", periods, periods[0][0])
    last = choose(params, "to", periods, periods[-1][0])
    level = choose(params, "level", GROWTH_LEVELS, PRACTICE_LEVEL)
    filters = [
        Filter("indicator", "Admissions", options, code),
        Filter("from", "From", periods, first),
        Filter("to", "To", periods, last),
        Filter("level", "Compare", GROWTH_LEVELS, level),
    ]
    units = _growth_units(level, (code, first, last), names, area)
    result, cluster_growth = _growth_against_cluster(units.frame)
    rows = _growth_rows(result, units, _multiplier(indicator))
    summary = _growth_summary(rows, cluster_growth, indicator, units)
    singular, plural = LEVEL_WORDS[level]
    chart = practice_charts.growth(
        "admissions-growth",
        f"{indicator.name}: growth from {first} to {last} against the rest of the cluster",
        f"Each {singular.lower()}'s growth in its admission rate relative to the growth of the "
        f"rest of {units.cluster} (1 = the same growth), with its 95% interval; select one to "
        "open its page.",
        [
            {**row, "lower": row["lower95"], "upper": row["upper95"], "value": row["ratio"]}
            for row in rows
        ],
    )
    table = _growth_table(indicator, first, last, units, rows)
    return OutcomePage(
        f"{title}: {indicator.name}",
        "web/admissions_growth.html",
        [table],
        charts={"growth": chart},
        filters=filters,
        context={
            "summary": summary,
            "synthetic_text": SYNTHETIC_TEXT if indicator.is_synthetic else "",
        },
        synthetic=indicator.is_synthetic,
    )


@dataclass
class GrowthUnits:
    """What the growth page compares: one row per unit (practice, PCN or ICB) with its
    admissions and patients in both periods, the units' names and links, the cluster they
    belong to, and the unit the headline is about (the area's own ICB at that level)."""

    level: str
    frame: pd.DataFrame
    names: dict[str, str]
    urls: dict[str, str]
    cluster: str
    own: str | None = None


def _growth_units(level: str, choice, names: dict[str, str], area: Area) -> GrowthUnits:
    code, first, last = choice
    if level == PRACTICE_LEVEL:
        urls = {practice: practice_url(practice) for practice in names}
        frame = _two_periods(code, first, last, list(names))
        return GrowthUnits(level, frame, names, urls, f"the practices of {area.name}")
    # Primary care networks among the area's practices; ICBs among every practice held.
    members = list(names) if level == PCN_LEVEL else queries.practices_with_values(code)
    group_type = AreaType.PCN if level == PCN_LEVEL else AreaType.ICB
    groups = queries.practice_groups(members, group_type)
    frame = _two_periods(code, first, last, list(groups))
    frame = frame.assign(area_id=frame["area_id"].map(lambda p: groups[p].code))
    frame = frame.groupby("area_id", as_index=False).sum()
    query = urlencode({"indicator": code, "from": first, "to": last})
    urls = {
        unit: f"{reverse('web:outcome', args=[unit, 'admissions-growth'])}?{query}"
        for unit in frame["area_id"]
    }
    unit_names = {group.code: group.name for group in groups.values()}
    if level == PCN_LEVEL:
        return GrowthUnits(level, frame, unit_names, urls, f"the practices of {area.name}")
    own = Counter(groups[p].code for p in names if p in groups).most_common(1)
    cluster = "every practice held (all the integrated care boards)"
    return GrowthUnits(level, frame, unit_names, urls, cluster, own[0][0] if own else None)


def _growth_table(indicator: Indicator, first: str, last: str, units: GrowthUnits, rows):
    singular, plural = LEVEL_WORDS[units.level]
    return DataTable(
        "growth",
        f"{indicator.name}: growth {first} to {last}, {plural} of {units.cluster}",
        [
            ("name", singular),
            ("code", "Code"),
            ("before", f"Admissions {first}"),
            ("after", f"Admissions {last}"),
            ("rate_before", f"Rate {first} ({indicator.unit})"),
            ("rate_after", f"Rate {last} ({indicator.unit})"),
            ("growth", "Growth (%)"),
            ("reference_growth", "Growth of the rest of the cluster (%)"),
            ("ratio", "Ratio of rate ratios"),
            ("lower95", "Lower 95% limit"),
            ("upper95", "Upper 95% limit"),
            ("lower998", "Lower 99.8% limit"),
            ("upper998", "Upper 99.8% limit"),
            ("significance", "Compared with the cluster"),
            ("sentence", "In words"),
        ],
        rows,
        {"name": "url"},
    )


def _two_periods(code: str, first: str, last: str, codes: list[str]) -> pd.DataFrame:
    before = queries.practice_values(code, first, codes)[["area_id", "count", "denominator"]]
    after = queries.practice_values(code, last, codes)[["area_id", "count", "denominator"]]
    frame = before.merge(after, on="area_id", suffixes=("_1", "_2")).dropna()
    return frame[(frame["denominator_1"] > 0) & (frame["denominator_2"] > 0)]


def _growth_against_cluster(frame: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Each practice against the rest of the cluster (so the two are independent); the
    cluster's own growth, all practices together, is the "cluster average"."""
    totals = frame[["count_1", "denominator_1", "count_2", "denominator_2"]].sum()
    rest = {f"rest_{c}": totals[c] - frame[c] for c in totals.index}
    work = frame.assign(**rest).reset_index(drop=True)
    result = ratio_of_rate_ratios(
        work,
        before=("count_1", "denominator_1"),
        after=("count_2", "denominator_2"),
        reference_before=("rest_count_1", "rest_denominator_1"),
        reference_after=("rest_count_2", "rest_denominator_2"),
    )
    cluster = (totals["count_2"] / totals["denominator_2"]) / (
        totals["count_1"] / totals["denominator_1"]
    )
    return result, 100 * (cluster - 1)


def _growth_rows(result: pd.DataFrame, units: GrowthUnits, multiplier: float) -> list[dict]:
    rows = []
    for record in result.sort_values("value", ascending=False).to_dict("records"):
        code = record["area_id"]
        rows.append(
            {
                "code": code,
                "name": units.names[code],
                "url": units.urls[code],
                "before": rounded(record["count_1"], 0),
                "after": rounded(record["count_2"], 0),
                "rate_before": rounded(multiplier * record["count_1"] / record["denominator_1"], 1),
                "rate_after": rounded(multiplier * record["count_2"] / record["denominator_2"], 1),
                "growth": rounded(record["growth"], 1),
                "reference_growth": rounded(record["reference_growth"], 1),
                "ratio": rounded(record["value"], 3),
                "lower95": rounded(record["lower95_0cl"], 3),
                "upper95": rounded(record["upper95_0cl"], 3),
                "lower998": rounded(record["lower99_8cl"], 3),
                "upper998": rounded(record["upper99_8cl"], 3),
                "significance": record["significance"],
            }
        )
    return rows


def _growth_summary(rows, cluster_growth: float, indicator: Indicator, units) -> dict:
    for row in rows:
        row["sentence"] = (
            f"{'grew' if row['growth'] >= 0 else 'fell'} {abs(row['growth']):.1f}% against a "
            f"cluster average of {cluster_growth:.1f}%"
            if row["growth"] is not None
            else "Not calculated"
        )
    faster = [row for row in rows if row["significance"].startswith("Higher")]
    own = next((row for row in rows if row["code"] == units.own), None)
    singular, plural = LEVEL_WORDS[units.level]
    return {
        "cluster_growth": round(cluster_growth, 1),
        "units": len(rows),
        "unit_words": plural if len(rows) != 1 else singular.lower(),
        "faster": faster,
        "lead": own or (faster[0] if faster else (rows[0] if rows else None)),
        "name": indicator.name.replace(" (synthetic)", "").lower(),
        "cluster": units.cluster,
    }
