"""What healthgap knows about the Fingertips indicators in its bundled data.

Fingertips' export layout carries an indicator's ID and name but not its unit, value type,
polarity or profile section, and the tidy extracts carry only a name. This catalog fills those in
(from the Fingertips indicator definitions); an indicator missing here still imports, with its
polarity inferred from the file's published comparisons where it can be.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from healthgap.indicators.models import Polarity, ValueType

LIFE = "Life expectancy and mortality"
MENTAL = "Mental health"
BEHAVIOUR = "Behavioural risk factors"
IMPROVEMENT = "Health improvement"
INEQUALITIES = "Inequalities"
LOCAL = "Local indicators"
PRIMARY_CARE = "Primary care"

FINGERTIPS_SOURCE = "OHID Fingertips (Public Health Profiles)"
OGL = "Open Government Licence v3.0"


@dataclass(frozen=True)
class Known:
    code: str
    name: str
    domain: str
    unit: str
    value_type: str
    polarity: str
    age: str = "All ages"
    method: str = ""
    tidy_names: tuple[str, ...] = field(default_factory=tuple)


LOW, HIGH, NONE = Polarity.LOW_IS_GOOD, Polarity.HIGH_IS_GOOD, Polarity.NO_JUDGEMENT
# Suicide and self-harm indicators are published without judgement ("Higher"/"Lower" against
# England, Fingertips' "BOB" polarity) in the bundled 2019 exports; the source wins.
V = ValueType
PER_100K = "per 100,000"

CATALOG = {
    known.code: known
    for known in [
        Known("90366", "Life expectancy at birth", LIFE, "years", V.LIFE_EXPECTANCY, HIGH,
              method="Chiang II abridged life table",
              tidy_names=("Life expectancy at birth",)),
        Known("90362", "Healthy life expectancy at birth", LIFE, "years", V.LIFE_EXPECTANCY, HIGH,
              method="Sullivan method", tidy_names=("Healthy life expectancy at birth",)),
        Known("92901", "Inequality in life expectancy at birth", INEQUALITIES, "years",
              V.SLOPE_INDEX, LOW, method="Slope index of inequality",
              tidy_names=("Inequality in life expectancy at birth",)),
        Known("93721", "Under 75 mortality rate from causes considered preventable", LIFE,
              PER_100K, V.DSR, LOW, "<75 yrs", "Directly standardised rate (ESP 2013)",
              ("Under 75 mortality rate from causes considered preventable "
               "(per 100,000 population)",)),
        Known("108", "Under 75 mortality rate from all causes", LIFE, PER_100K, V.DSR, LOW,
              "<75 yrs", "Directly standardised rate (ESP 2013)"),
        Known("40502", "Under 75 mortality rate from cancer considered preventable", LIFE,
              PER_100K, V.DSR, LOW, "<75 yrs", "Directly standardised rate (ESP 2013)",
              ("Under 75 mortality rate from cancer considered preventable",)),
        Known("91382", "Alcohol-related mortality", BEHAVIOUR, PER_100K, V.DSR, LOW,
              method="Directly standardised rate (ESP 2013)",
              tidy_names=("Alcohol related mortality",)),
        Known("91096", "Excess under 75 mortality rate in adults with serious mental illness",
              MENTAL, "%", V.ISR, LOW, "18-74 yrs", "Indirectly standardised ratio",
              ("Excess under 75 mortality rate in adults with serious mental illness",)),
        Known("91112", "People receiving an NHS Health Check", IMPROVEMENT, "%", V.PROPORTION,
              HIGH, "40-74 yrs", "Wilson score interval",
              ("People receiving an NHS Health Check",)),
        Known("92443", "Smoking prevalence in adults (18+) - current smokers (APS)", BEHAVIOUR,
              "%", V.PROPORTION, LOW, "18+ yrs", "Wilson score interval",
              ("Smoking Prevalence in adults (aged 18 and over) - current smokers (APS)",
               "Smoking Prevalence in adults - current smokers (APS)")),
        Known("91547", "Smoking prevalence in adults (15+) - current smokers (QOF)", BEHAVIOUR,
              "%", V.PROPORTION, LOW, "15+ yrs", "Wilson score interval"),
        Known("93930", "A&E attendances (0 to 4 years)", PRIMARY_CARE, "per 1,000",
              V.CRUDE_RATE, LOW, "0-4 yrs", "Byar's method"),
        Known("41001", "Suicide rate", MENTAL, PER_100K, V.DSR, NONE, "10+ yrs",
              "Directly standardised rate (ESP 2013)"),
        Known("91390", "Suicide crude rate 10-34 years", MENTAL, PER_100K, V.CRUDE_RATE, NONE,
              "10-34 yrs", "Byar's method"),
        Known("91393", "Suicide crude rate 35-64 years", MENTAL, PER_100K, V.CRUDE_RATE, NONE,
              "35-64 yrs", "Byar's method"),
        Known("91430", "Suicide crude rate 65+ years", MENTAL, PER_100K, V.CRUDE_RATE, NONE,
              "65+ yrs", "Byar's method"),
        Known("91404", "Years of life lost due to suicide", MENTAL, "per 10,000", V.DSR, NONE,
              "15-74 yrs", "Directly standardised rate"),
        Known("90813", "Hospital admissions as a result of self-harm (10-24 years)", MENTAL,
              PER_100K, V.DSR, NONE, "10-24 yrs", "Directly standardised rate (ESP 2013)"),
        Known("92796", "Hospital admissions as a result of self-harm", MENTAL, PER_100K,
              V.CRUDE_RATE, NONE, "10-14 yrs", "Byar's method"),
        Known("91137", "Estimated prevalence of emotional disorders", MENTAL, "%",
              V.PROPORTION, NONE, "5-16 yrs", "Modelled estimate"),
        Known("91138", "Estimated prevalence of conduct disorders", MENTAL, "%", V.PROPORTION,
              NONE, "5-16 yrs", "Modelled estimate"),
        Known("91139", "Estimated prevalence of hyperkinetic disorders", MENTAL, "%",
              V.PROPORTION, NONE, "5-16 yrs", "Modelled estimate"),
        Known("91141", "Estimated prevalence of mental health disorders in children and young "
              "people", MENTAL, "%", V.PROPORTION, NONE, "5-16 yrs", "Modelled estimate"),
        Known("91145", "Prevalence of ADHD among young people: estimated number", MENTAL,
              "count", V.COUNT, NONE, "16-24 yrs", "Modelled estimate"),
        Known("91146", "Prevalence of potential eating disorders among young people: estimated "
              "number", MENTAL, "count", V.COUNT, NONE, "16-24 yrs", "Modelled estimate"),
        Known("91871", "School pupils with social, emotional and mental health needs", MENTAL,
              "%", V.PROPORTION, NONE, "School age", "Wilson score interval"),
        Known("92315", "Percentage of children where there is a cause for concern", MENTAL, "%",
              V.PROPORTION, NONE, "5-16 yrs", "Wilson score interval"),
    ]
}  # fmt: skip

BY_TIDY_NAME = {name: known for known in CATALOG.values() for name in known.tidy_names}


def domain_for(code: str, name: str) -> str:
    """The profile section for an indicator: the catalog's, else guessed from its name."""
    if code in CATALOG:
        return CATALOG[code].domain
    lowered = name.lower()
    for words, domain in [
        (("life expectancy", "mortality", "deaths"), LIFE),
        (("mental", "suicide", "self-harm", "dementia", "depression"), MENTAL),
        (("smoking", "alcohol", "obes", "physical activity", "drug"), BEHAVIOUR),
        (("inequality", "slope index"), INEQUALITIES),
    ]:
        if any(word in lowered for word in words):
            return domain
    return IMPROVEMENT
