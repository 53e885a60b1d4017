"""Every write of the improvement app goes through here, each checked first: a bad rating, an
action without owner or due date, evidence the peer team could not see are refused with a
``ValidationError`` naming the field, and nothing is saved. Reads that pages share (live
evidence, the visit in words, progress on recommendations) live here too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from healthgap.constants import PERSONS
from healthgap.improvement import defaults
from healthgap.improvement.models import (
    IMPROVEMENT_SCALE_MAX,
    IMPROVEMENT_SCALE_MIN,
    ActionStatus,
    ActionUpdate,
    Challenge,
    Evidence,
    EvidenceKind,
    Finding,
    FocusArea,
    Framework,
    FrameworkKind,
    ImprovementAction,
    Question,
    Recommendation,
    SelfAssessment,
)
from healthgap.indicators.disclosure import as_published
from healthgap.indicators.models import IndicatorValue
from healthgap.indicators.queries import value_rows
from healthgap.publishing import services as publishing
from healthgap.publishing.models import PublicationState


# Frameworks -------------------------------------------------------------------------------------
def default_frameworks(user=None) -> tuple[Framework, Framework]:
    """The shipped headline questions and maturity domains, created once (safe to call again)."""
    headline = _framework(defaults.HEADLINE_FRAMEWORK, FrameworkKind.QUESTIONS, user)
    for number, text in enumerate(defaults.HEADLINE_QUESTIONS, start=1):
        Question.objects.get_or_create(framework=headline, number=number, defaults={"text": text})
    maturity = _framework(defaults.MATURITY_FRAMEWORK, FrameworkKind.MATURITY, user)
    for number, (text, descriptors) in enumerate(defaults.MATURITY_DOMAINS, start=1):
        Question.objects.get_or_create(
            framework=maturity,
            number=number,
            defaults={"text": text, "descriptors": descriptors},
        )
    return headline, maturity


def _framework(name: str, kind: str, user) -> Framework:
    found = Framework.objects.filter(name=name).first()
    return found or publishing.create(Framework(name=name, kind=kind), user)


def add_question(framework: Framework, text: str, user, descriptors=None) -> Question:
    """Adds a question (or maturity domain) at the end of the framework."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the question"})
    if framework.kind == FrameworkKind.MATURITY and len(descriptors or []) != IMPROVEMENT_SCALE_MAX:
        raise ValidationError(
            {"descriptors": f"Describe each of the {IMPROVEMENT_SCALE_MAX} levels, one a line"}
        )
    number = (framework.questions.aggregate(last=Max("number"))["last"] or 0) + 1
    question = Question(
        framework=framework, number=number, text=text, descriptors=descriptors or []
    )
    return publishing.create(question, user)


# The challenge and its visit --------------------------------------------------------------------
def add_focus_area(challenge: Challenge, text: str, user) -> FocusArea:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the focus area"})
    number = (challenge.focus_areas.aggregate(last=Max("number"))["last"] or 0) + 1
    return publishing.create(FocusArea(challenge=challenge, number=number, text=text), user)


def add_part(item, user):
    """Saves a new team member or visit session after its own validation."""
    item.full_clean()
    return publishing.create(item, user)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def visit_in_words(challenge: Challenge, team_size: int | None = None) -> str:
    """'The team held 31 sessions and met 7 councillors, 26 staff and 38 partner organisations'
    ('The team of 6 peers held ...' given the team's size)."""
    met = [
        _plural(challenge.councillors_met, "councillor", "councillors"),
        f"{challenge.staff_met} staff",
        _plural(
            challenge.partner_organisations_met, "partner organisation", "partner organisations"
        ),
    ]
    sessions = _plural(challenge.sessions_held, "session", "sessions")
    team = f"The team of {_plural(team_size, 'peer', 'peers')}" if team_size else "The team"
    return f"{team} held {sessions} and met {', '.join(met[:-1])} and {met[-1]}"


# Self-assessment --------------------------------------------------------------------------------
def assess(challenge: Challenge, question: Question, rating, narrative: str, user):
    """Records (or replaces) the board's rating and narrative for one question."""
    if question.framework_id not in (challenge.framework_id, challenge.maturity_framework_id):
        raise ValidationError({"question": "This question is not in the challenge's frameworks"})
    if not isinstance(rating, int) or not IMPROVEMENT_SCALE_MIN <= rating <= IMPROVEMENT_SCALE_MAX:
        raise ValidationError(
            {"rating": f"Give a rating from {IMPROVEMENT_SCALE_MIN} to {IMPROVEMENT_SCALE_MAX}"}
        )
    assessment = SelfAssessment.objects.filter(challenge=challenge, question=question).first()
    assessment = assessment or SelfAssessment(challenge=challenge, question=question)
    assessment.rating, assessment.narrative = rating, (narrative or "").strip()
    return publishing.create(assessment, user)


def add_evidence(assessment: SelfAssessment, user, **link) -> Evidence:
    """Links evidence to a self-assessment. The peer team reads it, so a programme must be
    published (peers cannot see drafts), and each kind needs its own link."""
    evidence = Evidence(assessment=assessment, **link)
    required = {
        EvidenceKind.INDICATOR: ("indicator", "Choose the indicator"),
        EvidenceKind.PROGRAMME: ("programme", "Choose the programme"),
        EvidenceKind.DOCUMENT: ("title", "Enter the document's title"),
    }
    if evidence.kind not in required:
        raise ValidationError({"kind": "Choose what kind of evidence this is"})
    name, message = required[evidence.kind]
    if not getattr(evidence, name):
        raise ValidationError({name: message})
    programme = evidence.programme
    if programme and programme.publication_state != PublicationState.PUBLISHED:
        raise ValidationError(
            {
                "programme": f"The peer team cannot see “{programme}”: it is not published. "
                "Publish it first, or choose another programme"
            }
        )
    return publishing.create(evidence, user)


@dataclass
class LatestFigure:
    value: float | None
    period: str
    unit: str
    compared_to_england: str
    note: str


def latest_figure(indicator, area_code: str) -> LatestFigure | None:
    """The indicator's newest whole-population figure for the area, read now (not a copy). The
    peer team is from outside the council: a figure of an indicator under disclosure control is
    shown as the public sees it (suppressed, or from the rounded count)."""
    values = IndicatorValue.objects.filter(
        indicator=indicator, area_id=area_code, category_type="", category=""
    ).select_related("period")
    newest = values.filter(sex=PERSONS).order_by("-period__end").first()
    newest = newest or values.order_by("-period__end").first()
    if newest is None:
        return None
    [shown] = as_published(indicator, value_rows(values.filter(pk=newest.pk)), unsuppressed=False)
    return LatestFigure(
        shown["value"],
        newest.period.label,
        indicator.unit,
        newest.compared_to_england,
        shown["value_note"],
    )


@dataclass
class EvidenceLine:
    evidence: Evidence
    figure: LatestFigure | None = None


def evidence_lines(assessment: SelfAssessment) -> list[EvidenceLine]:
    """Each evidence link with its live figure (indicators) for the challenge's area."""
    area = assessment.challenge.area_id
    lines = []
    for evidence in assessment.evidence.select_related("indicator", "programme"):
        figure = latest_figure(evidence.indicator, area) if evidence.indicator_id else None
        lines.append(EvidenceLine(evidence, figure))
    return lines


def maturity_scores(challenge: Challenge) -> list[dict]:
    """Each maturity domain with the board's score (None until scored)."""
    if challenge.maturity_framework_id is None:
        return []
    scored = {
        a.question_id: a.rating
        for a in challenge.self_assessments.filter(
            question__framework_id=challenge.maturity_framework_id
        )
    }
    return [
        {"domain": q.text, "number": q.number, "score": scored.get(q.pk)}
        for q in challenge.maturity_framework.questions.all()
    ]


# Findings and recommendations -------------------------------------------------------------------
def add_finding(challenge: Challenge, user, kind: str, text: str, question=None, focus_area=None):
    finding = Finding(
        challenge=challenge,
        kind=kind,
        text=(text or "").strip(),
        question=question,
        focus_area=focus_area,
    )
    check_finding(finding)
    return publishing.create(finding, user)


def check_finding(finding: Finding) -> None:
    """Text, and one heading of the finding's own challenge: a question of its framework or one
    of its focus areas."""
    finding.text = (finding.text or "").strip()
    if not finding.text:
        raise ValidationError({"text": "Enter the finding"})
    question, focus_area = finding.question, finding.focus_area
    if (question is None) == (focus_area is None):
        raise ValidationError({"heading": "Choose one question or one focus area"})
    if question is not None and question.framework_id != finding.challenge.framework_id:
        raise ValidationError({"heading": "This question is not in the challenge's framework"})
    if focus_area is not None and focus_area.challenge_id != finding.challenge_id:
        raise ValidationError({"heading": "This focus area belongs to another challenge"})
    finding.full_clean()


def remove_part(item, user) -> None:
    """Removes a finding or a visit session; its history keeps what it said and who removed it."""
    item._history_user = user  # django-simple-history records the removal as this user
    item.delete()


def add_recommendation(challenge: Challenge, text: str, essential: bool, user) -> Recommendation:
    """The next numbered recommendation."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the recommendation"})
    with transaction.atomic():
        last = challenge.recommendations.aggregate(last=Max("number"))["last"] or 0
        item = Recommendation(challenge=challenge, number=last + 1, text=text, essential=essential)
        return publishing.create(item, user)


# Actions ----------------------------------------------------------------------------------------
def add_action(recommendation: Recommendation, user, **fields) -> ImprovementAction:
    """Turns a recommendation into an action; an owner and a due date are required."""
    action = ImprovementAction(recommendation=recommendation, **fields)
    _check_action(action)
    return publishing.create(action, user)


def _check_action(action: ImprovementAction) -> None:
    errors = {}
    if not (action.title or "").strip():
        errors["title"] = "Enter what will be done"
    if action.owner_id is None:
        errors["owner"] = "Choose who owns the action"
    if action.due_date is None:
        errors["due_date"] = "Enter the date the action is due"
    if errors:
        raise ValidationError(errors)
    action.full_clean(exclude=["recommendation", "owner", "programme"])


def record_progress(
    action: ImprovementAction, user, status: str, text: str, evidence: str = "", on=None
) -> ActionUpdate:
    """An update on an action, with its new status, in one transaction. Each update is a row of
    its own, so two people updating at once both keep their text; a status change goes through
    ``save_versioned`` (version raised, history recorded)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Say what has happened"})
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose the action's status"})
    with transaction.atomic():
        if action.status != status:
            action.status = status
            publishing.save_versioned(action, user, action.version)
        update = ActionUpdate(
            action=action,
            written_on=on or dt.date.today(),
            text=text,
            evidence=(evidence or "").strip(),
            author=user,
        )
        return publishing.create(update, user)


# Follow-up --------------------------------------------------------------------------------------
@dataclass
class RecommendationProgress:
    recommendation: Recommendation
    actions: list[ImprovementAction] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(a.status == ActionStatus.DONE for a in self.actions)

    @property
    def overdue(self) -> int:
        today = dt.date.today()
        closed = (ActionStatus.DONE, ActionStatus.DROPPED)
        return sum(a.due_date < today and a.status not in closed for a in self.actions)

    @property
    def summary(self) -> str:
        if not self.actions:
            return "No action yet"
        if self.done == len(self.actions):
            return "Done"
        return f"{self.done} of {_plural(len(self.actions), 'action', 'actions')} done"


def latest_update(action: ImprovementAction) -> ActionUpdate | None:
    """The newest update on an action (from the prefetched updates when ``progress`` read them)."""
    return next(iter(action.updates.all()), None)


def progress(challenge: Challenge) -> list[RecommendationProgress]:
    """Each recommendation, essential first, with its actions and their latest updates."""
    recommendations = challenge.recommendations.prefetch_related(
        "actions__owner", "actions__updates", "actions__programme"
    )
    return [RecommendationProgress(r, list(r.actions.all())) for r in recommendations]
