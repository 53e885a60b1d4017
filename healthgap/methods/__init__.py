"""PHE/OHID indicator methods: pure statistics, no Django and no I/O.

See ``_common`` for the input and output conventions shared by every function.
"""

from healthgap.methods._common import MethodArgumentError
from healthgap.methods.benchmark import compare_to_benchmark
from healthgap.methods.case_finding import case_finding
from healthgap.methods.disclosure import DisclosureRule, disclose
from healthgap.methods.dsr import ESP2013, dsr
from healthgap.methods.funnel import funnel_limits, funnel_points, funnel_significance
from healthgap.methods.isr import isr, isratio
from healthgap.methods.life_expectancy import life_expectancy
from healthgap.methods.mean import mean
from healthgap.methods.proportion import proportion
from healthgap.methods.quantile import quantile
from healthgap.methods.rate import rate
from healthgap.methods.sii import sii
from healthgap.methods.trend import recent_trend

__all__ = [
    "DisclosureRule",
    "ESP2013",
    "MethodArgumentError",
    "case_finding",
    "compare_to_benchmark",
    "disclose",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "isr",
    "isratio",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile",
    "rate",
    "recent_trend",
    "sii",
]
