"""The improvement services: frameworks, the visit in words, self-assessment with live evidence,
findings, recommendations essential first, actions tracked to done; bad input refused with
nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from healthgap.improvement import services
from healthgap.improvement.defaults import HEADLINE_FRAMEWORK, MATURITY_FRAMEWORK
from healthgap.improvement.models import (
    ActionStatus,
    EvidenceKind,
    Framework,
    FrameworkKind,
    ImprovementAction,
    SelfAssessment,
)
from healthgap.publishing import services as publishing
from tests.factories import IndicatorFactory, IndicatorValueFactory, PeriodFactory
from tests.publishing.people import programme

pytestmark = pytest.mark.django_db


def test_the_default_frameworks_ship_with_four_questions_and_five_scored_domains(db):
    headline = Framework.objects.get(name=HEADLINE_FRAMEWORK)
    maturity = Framework.objects.get(name=MATURITY_FRAMEWORK)
    assert headline.kind == FrameworkKind.QUESTIONS and headline.questions.count() == 4
    assert maturity.kind == FrameworkKind.MATURITY
    assert all(len(q.descriptors) == 5 for q in maturity.questions.all())
    assert services.default_frameworks() == (headline, maturity)  # no second copy


def test_a_maturity_domain_needs_a_descriptor_for_each_level(people):
    maturity = Framework.objects.get(name=MATURITY_FRAMEWORK)
    with pytest.raises(ValidationError) as refused:
        services.add_question(maturity, "Data sharing", people["analyst"], ["Only one level"])
    assert "descriptors" in refused.value.message_dict
    assert maturity.questions.count() == 5


def test_the_visit_in_words_as_a_letter_gives_it(challenge):
    # The LGA letters' totals, as the domain brief quotes one: "31 sessions; met 7 councillors,
    # 26 staff and 38 partner organisations".
    challenge.sessions_held, challenge.councillors_met = 31, 7
    challenge.staff_met, challenge.partner_organisations_met = 26, 38
    assert services.visit_in_words(challenge) == (
        "The team held 31 sessions and met 7 councillors, 26 staff and 38 partner organisations"
    )
    challenge.sessions_held, challenge.councillors_met, challenge.partner_organisations_met = (
        1,
        1,
        1,
    )
    assert services.visit_in_words(challenge, team_size=6) == (
        "The team of 6 peers held 1 session and met 1 councillor, 26 staff and "
        "1 partner organisation"
    )


@pytest.mark.parametrize("rating", [0, 6, "3", None])
def test_a_rating_outside_the_scale_is_refused(challenge, people, rating):
    question = challenge.framework.questions.first()
    with pytest.raises(ValidationError) as refused:
        services.assess(challenge, question, rating, "Narrative", people["officer"])
    assert refused.value.message_dict == {"rating": ["Give a rating from 1 to 5"]}
    assert not SelfAssessment.objects.filter(challenge=challenge).exists()


def test_indicator_evidence_shows_the_latest_figure_live(challenge, people):
    question = challenge.framework.questions.first()
    assessment = services.assess(challenge, question, 3, "We know our city", people["officer"])
    indicator = IndicatorFactory(name="Healthy life expectancy", unit="years")
    IndicatorValueFactory(indicator=indicator, area=challenge.area, period=PeriodFactory(year=2018))
    services.add_evidence(
        assessment, people["officer"], kind=EvidenceKind.INDICATOR, indicator=indicator
    )
    newer = IndicatorValueFactory(
        indicator=indicator, area=challenge.area, period=PeriodFactory(year=2020), value=61.5
    )
    [line] = services.evidence_lines(assessment)
    assert (line.figure.value, line.figure.period) == (61.5, "2020")
    newer.value = 62.0  # a re-import changes the figure: the evidence shows the new one
    newer.save()
    assert services.evidence_lines(assessment)[0].figure.value == 62.0


def test_evidence_of_a_flagged_indicator_shows_the_figure_as_published(challenge, people):
    """The peer team is from outside the council: an indicator under disclosure control shows
    its latest figure as the public does. 3 events: suppressed; then 12 of 53 events, shown from
    the count rounded to 10 (10 / 53 = 18.87%) rather than 22.64%."""
    question = challenge.framework.questions.first()
    assessment = services.assess(challenge, question, 3, "We know our city", people["officer"])
    indicator = IndicatorFactory(name="Small counts", needs_disclosure_control=True)
    IndicatorValueFactory(indicator=indicator, area=challenge.area, period=PeriodFactory(year=2018),
                          count=3.0, denominator=53.0, value=100 * 3 / 53)  # fmt: skip
    services.add_evidence(
        assessment, people["officer"], kind=EvidenceKind.INDICATOR, indicator=indicator
    )
    [line] = services.evidence_lines(assessment)
    assert line.figure.value is None and "suppressed" in line.figure.note
    IndicatorValueFactory(indicator=indicator, area=challenge.area, period=PeriodFactory(year=2020),
                          count=12.0, denominator=53.0, value=100 * 12 / 53)  # fmt: skip
    assert services.evidence_lines(assessment)[0].figure.value == pytest.approx(100 * 10 / 53)


def test_evidence_the_peer_team_could_not_see_is_refused(challenge, people):
    question = challenge.framework.questions.first()
    assessment = services.assess(challenge, question, 2, "", people["officer"])
    draft = programme(people["analyst"], name="Draft programme")
    with pytest.raises(ValidationError) as refused:
        services.add_evidence(
            assessment, people["officer"], kind=EvidenceKind.PROGRAMME, programme=draft
        )
    assert "not published" in refused.value.message_dict["programme"][0]
    publishing.publish(draft, people["analyst"])
    services.add_evidence(
        assessment, people["officer"], kind=EvidenceKind.PROGRAMME, programme=draft
    )
    assert assessment.evidence.count() == 1


def test_recommendations_are_numbered_and_essential_ones_come_first(challenge, people):
    for text, essential in [("Publish progress", False), ("Build a delivery plan", True)]:
        services.add_recommendation(challenge, text, essential, people["manager"])
    ordered = [(r.number, r.essential) for r in challenge.recommendations.all()]
    assert ordered == [(2, True), (1, False)]


def test_a_finding_must_sit_under_one_of_the_challenges_own_headings(challenge, people):
    with pytest.raises(ValidationError):
        services.add_finding(challenge, people["manager"], "strength", "Good leadership")
    other = Framework.objects.get(name=MATURITY_FRAMEWORK).questions.first()
    with pytest.raises(ValidationError):
        services.add_finding(challenge, people["manager"], "strength", "Good", question=other)
    assert not challenge.findings.exists()


@pytest.mark.parametrize(
    "missing, field", [({"owner": None}, "owner"), ({"due_date": None}, "due_date")]
)
def test_an_action_without_owner_or_due_date_is_refused(challenge, people, missing, field):
    recommendation = services.add_recommendation(challenge, "Plan", True, people["manager"])
    fields = {
        "title": "Write the plan",
        "owner": people["officer"],
        "due_date": dt.date(2026, 1, 1),
    }
    with pytest.raises(ValidationError) as refused:
        services.add_action(recommendation, people["officer"], **{**fields, **missing})
    assert field in refused.value.message_dict
    assert not ImprovementAction.objects.filter(recommendation=recommendation).exists()


def test_an_action_is_tracked_to_done_and_the_follow_up_says_so(challenge, people):
    essential = services.add_recommendation(challenge, "Plan", True, people["manager"])
    later = services.add_recommendation(challenge, "Publish", False, people["manager"])
    action = services.add_action(
        essential,
        people["officer"],
        title="Write the delivery plan",
        owner=people["officer"],
        due_date=dt.date.today() - dt.timedelta(days=1),
    )
    [first, second] = services.progress(challenge)
    assert (first.recommendation, first.summary, first.overdue) == (
        essential,
        "0 of 1 action done",
        1,
    )
    assert (second.recommendation, second.summary) == (later, "No action yet")
    services.record_progress(
        action, people["officer"], ActionStatus.DONE, "Agreed by the board", "Minutes, item 5"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.version == 2
    first = services.progress(challenge)[0]
    assert (first.summary, first.overdue) == ("Done", 0)
    assert first.actions[0].updates.get().evidence == "Minutes, item 5"
