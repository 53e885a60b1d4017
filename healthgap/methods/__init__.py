"""PHE/OHID indicator methods: pure statistics, no Django and no I/O.

See ``_common`` for the input and output conventions shared by every function.
"""

from healthgap.methods._common import MethodArgumentError
from healthgap.methods.arriaga import arriaga
from healthgap.methods.benchmark import compare_to_benchmark
from healthgap.methods.case_finding import case_finding
from healthgap.methods.deaths_to_avert import deaths_to_avert
from healthgap.methods.disclosure import DisclosureRule, disclose, from_rounded_count
from healthgap.methods.dsr import ESP2013, dsr
from healthgap.methods.forecast import describe_forecast, forecast
from healthgap.methods.funnel import funnel_limits, funnel_points, funnel_significance
from healthgap.methods.isr import isr, isratio
from healthgap.methods.life_expectancy import life_expectancy
from healthgap.methods.mean import mean
from healthgap.methods.proportion import proportion
from healthgap.methods.quantile import quantile
from healthgap.methods.rate import rate
from healthgap.methods.rate_ratio import ratio_of_rate_ratios
from healthgap.methods.segmented import describe_segmented_regression, segmented_regression
from healthgap.methods.sii import sii
from healthgap.methods.spc import describe_spc, spc
from healthgap.methods.trajectory import trajectory, trajectory_deaths_to_avert
from healthgap.methods.trend import recent_trend

__all__ = [
    "DisclosureRule",
    "ESP2013",
    "MethodArgumentError",
    "arriaga",
    "case_finding",
    "compare_to_benchmark",
    "deaths_to_avert",
    "describe_forecast",
    "describe_segmented_regression",
    "describe_spc",
    "disclose",
    "dsr",
    "forecast",
    "from_rounded_count",
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
    "ratio_of_rate_ratios",
    "recent_trend",
    "segmented_regression",
    "sii",
    "spc",
    "trajectory",
    "trajectory_deaths_to_avert",
]
