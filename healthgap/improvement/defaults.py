"""The frameworks shipped by default, in our own words.

The four headline questions are the themes the LGA's health and wellbeing peer challenges asked
about (understanding and strategy; governance and leadership; resources, skills and public health
functions; evaluation and accountability to the public). The maturity domains are a second kind
of framework: each scored 1 (least developed) to 5 (most), with what each level looks like.
"""

HEADLINE_FRAMEWORK = "Health and wellbeing peer challenge: headline questions"
HEADLINE_QUESTIONS = [
    "How well does the board understand its population's health and its causes, and does its "
    "strategy turn that understanding into a few clear, achievable priorities?",
    "Does the board sit at the centre of working governance, and do its leaders act together "
    "across councils, the NHS and the community?",
    "Are the money, people, skills and public health functions of the whole local system being "
    "used for the priorities the board has agreed?",
    "Does the board know what difference its work makes, and does it account for that openly to "
    "residents?",
]

MATURITY_FRAMEWORK = "Health and wellbeing board maturity self-assessment"
_LEVELS = ("Not yet in place", "Emerging", "Developing", "Established", "Leading the sector")
MATURITY_DOMAINS = [
    (
        "Shared understanding of need",
        [
            "No joint needs assessment is in use.",
            "A needs assessment exists but few partners use it.",
            "Partners use the needs assessment for some decisions.",
            "The needs assessment shapes the strategy and commissioning.",
            "Need, assets and inequalities are understood down to neighbourhoods and kept current.",
        ],
    ),
    (
        "Strategy and delivery plan",
        [
            "The strategy has no delivery plan.",
            "A delivery plan lists activity without owners or targets.",
            "Programmes have owners; some have measurable targets.",
            "Every priority has programmes, owners, targets and trajectories.",
            "Delivery is reviewed against trajectories and re-planned where off track.",
        ],
    ),
    (
        "Partnership and leadership",
        [
            "Partners attend but do not act together.",
            "Some joint work happens outside the board.",
            "The board agrees joint priorities with the NHS and community sector.",
            "Partners hold each other to account at the board.",
            "Leaders across the system act as one on the board's priorities.",
        ],
    ),
    (
        "Performance and accountability",
        [
            "The board sees no performance information.",
            "Indicators are reported without benchmarks or trends.",
            "Indicators are benchmarked and discussed at the board.",
            "Performance drives decisions and actions recorded in the log.",
            "Progress and decisions are published and residents can follow them.",
        ],
    ),
    (
        "Voice of residents",
        [
            "Residents' views are not sought.",
            "Consultation happens project by project.",
            "Healthwatch and community groups inform the board's work.",
            "Residents help shape priorities and services.",
            "Communities co-produce and review the board's work with it.",
        ],
    ),
]


def maturity_levels() -> tuple[str, ...]:
    """The name of each level of the 1-5 scale, lowest first."""
    return _LEVELS
