"""The board's performance report under disclosure control (issue 17): the report is published
as it is (HTML and PDF), so a measure on an indicator flagged as needing control shows its series
as the public values do (counts 1-7 suppressed, proportions worked out again from counts rounded
to 5), and deaths to avert from the record-level extract are withheld from 1-7 deaths and worked
out from the rounded deaths otherwise. Made with factories and read back from the PDF with
pdftotext; whoever generates it (an analyst here), no figure comes unsuppressed.

The other PDFs healthgap makes, the peer challenge's letter and progress review, quote no
indicator figure or count (their evidence's live figures are on the workspace page only):
``test_the_letter_and_progress_review_quote_no_figure`` checks it.
"""

import re

import pytest
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.deaths import deaths_to_avert
from healthgap.improvement import services as improvement
from healthgap.improvement.models import EvidenceKind
from healthgap.web import delivery_report
from tests.delivery.small_numbers import figures, small_series_measure, stored_figures
from tests.delivery.test_cause_deaths import _cause_measure, extract  # noqa: F401
from tests.delivery.test_deaths import mortality_indicator  # noqa: F401
from tests.delivery.test_public_reports import _pdf_text
from tests.improvement.conftest import make_challenge
from tests.publishing.people import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


@pytest.fixture
def small_series(analyst):
    return small_series_measure(analyst)


def _report_text(item, user, tmp_path) -> str:
    strategy = item.priority.strategy
    snapshot = delivery_report.generate(strategy, user)
    return " ".join(_pdf_text(bytes(snapshot.pdf), tmp_path).split())  # lines joined


def _shown(text: str, figure: float) -> bool:
    """Whether the figure appears in the text to one decimal place (as the report prints it)."""
    return re.search(rf"(?<![\d.]){re.escape(f'{figure:.1f}')}(?![\d])", text) is not None


def test_the_report_pdf_shows_no_suppressed_or_unrounded_figure(analyst, small_series, tmp_path):
    text = _report_text(small_series, analyst, tmp_path)
    leaked = [figure for figure in stored_figures(small_series) if _shown(text, figure)]
    assert leaked == []
    assert "Under disclosure control (small numbers)" in text
    assert "Baseline suppressed (2018)" in text
    assert "withheld (made from a baseline under disclosure control)" in text
    assert "Not judged here: the indicator is under disclosure control" in text


def test_the_check_finds_the_figures_in_a_report_without_the_flag(analyst, small_series, tmp_path):
    """The same series without the flag (figures from an official source, as published): the
    check finds the stored figures in the PDF."""
    small_series.indicator.needs_disclosure_control = False
    small_series.indicator.save()
    text = _report_text(small_series, analyst, tmp_path)
    assert _shown(text, small_series.baseline_value) and _shown(text, small_series.target_value)
    assert "Under disclosure control" not in text


def test_the_report_shows_the_rounded_countsfigures(analyst, small_series):  # noqa: F811
    """The published progress: only the years with 8 or more events, each worked out from the
    rounded count (10 of 53, 25 of 61, 30 of 67)."""
    strategy = small_series.priority.strategy
    plan = delivery_report.strategy_plan(strategy, published=True)
    points = plan.attention[0].points
    assert [point["period"] for point in points] == ["2019", "2021", "2022"]
    expected = [figures(10, 53), figures(25, 61), figures(30, 67)]
    assert [point["value"] for point in points] == pytest.approx(
        [figures["value"] for figures in expected]
    )
    assert [point["lower"] for point in points] == pytest.approx(
        [figures["lower95"] for figures in expected]
    )


# ---- Deaths to avert from the record-level extract ----


def test_deaths_to_avert_from_few_deaths_are_withheld_in_the_pdf(
    analyst,
    extract,  # noqa: F811
    tmp_path,
):
    """Cancer at 65-74 in the extract: 5 deaths over two years (1-7: withheld)."""
    item = _cause_measure(analyst, extract, "cancer")
    assert deaths_to_avert(item).needed > 0  # computed for the workspace
    published = deaths_to_avert(item, published=True)
    assert published.withheld and published.needed != published.needed  # NaN
    text = _report_text(item, analyst, tmp_path)
    assert "Withheld (disclosure control)" in text
    assert "Withheld: too few deaths of the cause over the years held" in text


def test_deaths_to_avert_are_worked_out_from_the_rounded_deaths(analyst, extract):  # noqa: F811
    """Circulatory at 65-74: 16 deaths over two years, published as 15; every band is scaled
    by 15 / 16, so the 1.6 deaths a year to avert (test_cause_deaths) become 1.5."""
    item = _cause_measure(analyst, extract, "circulatory")
    published = deaths_to_avert(item, published=True)
    assert published.needed == pytest.approx(1.6 * 15 / 16)
    assert sum(band["observed"] for band in published.bands) == pytest.approx(15 / 2)
    assert "rounded to 5 deaths" in published.basis
    assert deaths_to_avert(item).needed == pytest.approx(1.6)  # the workspace's, as computed


def test_the_letter_and_progress_review_quote_no_figure(client, analyst, small_series, tmp_path):
    """A peer challenge of Smallham whose self-assessment links the flagged indicator as
    evidence: its letter and progress review PDFs carry none of its stored figures."""
    challenge = make_challenge(analyst, small_series.area, title="Smallham peer challenge")
    question = challenge.framework.questions.first()
    assessment = improvement.assess(challenge, question, 3, "We know our data.", analyst)
    improvement.add_evidence(
        assessment, analyst, kind=EvidenceKind.INDICATOR, indicator=small_series.indicator
    )
    client.force_login(analyst)
    for name in ("letter_pdf", "progress_review_pdf"):
        answer = client.get(reverse(f"improvement:{name}", args=[challenge.pk]))
        assert answer.status_code == 200, name
        text = _pdf_text(answer.content, tmp_path)
        assert "Smallham" in text
        assert [f for f in stored_figures(small_series) if _shown(text, f)] == [], name
