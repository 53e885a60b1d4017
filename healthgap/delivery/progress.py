"""Each outcome measure's progress: the latest value judged against its trajectory with its
confidence interval, an XmR chart for long series, and a forecast to the year end, each in
words with the numbers that made it.

Progress ``published`` (what goes public: the board report) of an indicator under disclosure
control is worked out from its series as the values endpoint publishes it (suppressed values
left out, others from the rounded count: ``indicators.disclosure``), so that no figure or word
quotes a stored one; its baseline is the published one, and where that is not the stored
baseline the target and trajectory (made from it) are withheld with the judgement. Progress
from the stored figures of such an indicator is ``unsuppressed``: for analysts only, marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from healthgap.delivery.judgement import NOT_ENOUGH_DATA, Verdict, judge_against_trajectory
from healthgap.delivery.models import Frequency, OutcomeMeasure
from healthgap.delivery.targets import MONTHS_PER_STEP, polarity_words, series_rows
from healthgap.indicators.disclosure import UNSUPPRESSED_NOTE, disclosed_series
from healthgap.indicators.models import Period
from healthgap.methods import describe_forecast, describe_spc, forecast, spc
from healthgap.methods.spc import MIN_POINTS as SPC_MIN_POINTS

FINANCIAL_YEAR_END_MONTH = 3
SERIES_KEY = ("area_id", "sex", "age", "category_type", "category")
TARGET_WITHHELD = (
    "Not judged here: the indicator is under disclosure control (small numbers) and its "
    "target and trajectory are made from a baseline that is not published as stored."
)
CONTROLLED_NOTE = (
    "Under disclosure control (small numbers): values from 1-7 events are suppressed and the "
    "others worked out from counts rounded to 5, as on the public pages."
)
COLUMNS = ["period", "period_end", "value", "lower", "upper"]


def disclosure_note(controlled: bool, unsuppressed: bool) -> str:
    """What disclosure control did to a measure's figures, in words ("" for nothing)."""
    if unsuppressed:
        return UNSUPPRESSED_NOTE
    return CONTROLLED_NOTE if controlled else ""


@dataclass
class Progress:
    measure: OutcomeMeasure
    verdict: Verdict
    points: list[dict] = field(default_factory=list)  # the series with expected values
    trajectory: list[dict] = field(default_factory=list)
    spc_rows: list[dict] = field(default_factory=list)
    spc_words: str = ""
    assurance: str = ""
    forecast_words: str = ""
    baseline: float | None = None  # the baseline value as shown
    target: float | None = None  # the target value as shown (None: not set, or withheld)
    # Under disclosure control: the series as published, by period label (None: not under it).
    disclosed: dict[str, dict] | None = None
    target_withheld: bool = False  # under control: the target and trajectory are not shown

    @property
    def controlled(self) -> bool:
        """Worked out from the series as published (disclosure control)."""
        return self.disclosed is not None

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def unsuppressed(self) -> bool:
        """The stored figures of an indicator under disclosure control: analysts' only."""
        return not self.controlled and self.measure.indicator.needs_disclosure_control

    @property
    def disclosure_note(self) -> str:
        return disclosure_note(self.controlled, self.unsuppressed)


def series_frame(measure: OutcomeMeasure, disclosed: dict[str, dict] | None) -> pd.DataFrame:
    """The series as stored, or (``disclosed``: rows by period label) as published."""
    if disclosed is not None:
        return _published_frame(disclosed)
    rows = series_rows(measure).exclude(value__isnull=True).order_by("period__end")
    return pd.DataFrame(
        [
            {
                "period": row.period.label,
                "period_end": row.period.end,
                "value": row.value,
                "lower": row.lower95,
                "upper": row.upper95,
            }
            for row in rows
        ],
        columns=COLUMNS,
    )


def _published_frame(disclosed: dict[str, dict]) -> pd.DataFrame:
    shown = [row for row in disclosed.values() if row["value"] is not None]
    ends = dict(
        Period.objects.filter(label__in=[row["period"] for row in shown]).values_list(
            "label", "end"
        )
    )
    frame = pd.DataFrame(
        [
            {
                "period": row["period"],
                "period_end": ends[row["period"]],
                "value": row["value"],
                "lower": row["lower95"],
                "upper": row["upper95"],
            }
            for row in shown
        ],
        columns=COLUMNS,
    )
    return frame.sort_values("period_end", ignore_index=True)


def _disclosed(measure: OutcomeMeasure, published: bool) -> dict[str, dict] | None:
    """The measure's series as published, by period label, when ``published`` and the
    indicator is under control; else None (the stored figures are the published ones)."""
    if not published:
        return None
    series = {key: getattr(measure, key) for key in SERIES_KEY}
    return disclosed_series(measure.indicator, series)


def _shown_baseline(measure: OutcomeMeasure, disclosed: dict[str, dict] | None):
    """The baseline as shown, and whether it is the stored one (the target and trajectory,
    made from it, would otherwise give it back)."""
    if disclosed is None or measure.baseline_period is None:
        return measure.baseline_value, True
    row = disclosed.get(measure.baseline_period.label)
    shown = None if row is None else row["value"]
    return shown, shown is not None and shown == measure.baseline_value


def expected_at(trajectory: list[dict], period_end: date) -> float | None:
    """The expected value of the latest trajectory period ending on or before ``period_end``."""
    due = [point for point in trajectory if point["due"] <= period_end]
    return due[-1]["expected"] if due else None


def _verdict(measure, frame: pd.DataFrame, trajectory: list[dict]) -> Verdict:
    if not trajectory:
        return Verdict(NOT_ENOUGH_DATA, "Not enough data: no target has been set yet.")
    if frame.empty:
        return Verdict(NOT_ENOUGH_DATA, "Not enough data: the store has no value for it.")
    latest = frame.iloc[-1]
    if latest["period_end"] <= measure.baseline_period.end:
        return Verdict(
            NOT_ENOUGH_DATA,
            f"Not enough data: no value has been published since the baseline "
            f"({measure.baseline_period}).",
        )
    return judge_against_trajectory(
        latest["value"],
        latest["lower"],
        latest["upper"],
        expected_at(trajectory, latest["period_end"]),
        polarity_words(measure),
        period=latest["period"],
    )


def _spc(measure, frame: pd.DataFrame, progress: Progress) -> None:
    if len(frame) < SPC_MIN_POINTS:
        return
    chart = spc(
        frame,
        "value",
        period_order="period_end",
        polarity=polarity_words(measure),
        target=progress.target,
    )
    progress.spc_rows = chart.to_dict("records")
    progress.spc_words = describe_spc(chart.iloc[-1])
    progress.assurance = chart.iloc[-1].get("assurance") or ""


def periods_to_year_end(latest_end: date, frequency: str) -> int:
    """Periods from the latest to the end of the financial year (31 March), at least one."""
    if frequency == Frequency.YEARLY:
        return 1
    year_end = date(latest_end.year + (latest_end.month > FINANCIAL_YEAR_END_MONTH), 3, 31)
    months = (year_end.year - latest_end.year) * 12 + year_end.month - latest_end.month
    return max(1, months // MONTHS_PER_STEP[frequency])


def _forecast(measure, frame: pd.DataFrame, progress: Progress) -> None:
    if frame.empty:
        return
    horizon = periods_to_year_end(frame.iloc[-1]["period_end"], measure.frequency)
    ahead = forecast(frame, "value", period_order="period_end", horizon=horizon)
    progress.forecast_words = describe_forecast(ahead.iloc[-1], target=progress.target)


def measure_progress(measure: OutcomeMeasure, published: bool = False) -> Progress:
    """The measure's progress, from its stored series or (``published``) as it may go public."""
    disclosed = _disclosed(measure, published)
    frame = series_frame(measure, disclosed)
    baseline, target_shown = _shown_baseline(measure, disclosed)
    trajectory = []
    if target_shown:
        trajectory = list(measure.trajectory.values("due", "expected", "edited"))
    verdict = (
        _verdict(measure, frame, trajectory)
        if target_shown
        else Verdict(NOT_ENOUGH_DATA, TARGET_WITHHELD)
    )
    progress = Progress(
        measure, verdict, trajectory=trajectory, baseline=baseline,
        target=measure.target_value if target_shown else None, disclosed=disclosed,
        target_withheld=not target_shown,
    )  # fmt: skip
    points = frame.to_dict("records")
    for point in points:
        point["expected"] = expected_at(trajectory, point["period_end"]) if trajectory else None
    progress.points = points
    _spc(measure, frame, progress)
    _forecast(measure, frame, progress)
    return progress
