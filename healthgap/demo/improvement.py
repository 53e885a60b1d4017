"""Example peer challenges of the two demo boards: scope, team, visit counts, findings and
recommendations paraphrased in our own words from the themes of published health and wellbeing
peer challenge letters (not quoted), with made-up self-assessment and progress. Every page showing
them says "example" (``Challenge.is_example``). Loading twice changes nothing: a challenge already
there is left as it is."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from healthgap.accounts.demo import DEMO_CITIES, demo_username
from healthgap.areas.models import Area
from healthgap.constants import Role
from healthgap.improvement import services
from healthgap.improvement.models import (
    ActionStatus,
    Challenge,
    EvidenceKind,
    FindingKind,
    PeerRole,
    TeamMember,
)
from healthgap.indicators.models import Indicator

TEAM = [
    ("Alex Morgan", PeerRole.LEAD_PEER, "Chief executive, a county council"),
    ("Cllr Sam Patel", PeerRole.MEMBER_PEER, "Chair of another health and wellbeing board"),
    ("Dr Chris Lee", PeerRole.DPH, "Director of public health, a metropolitan borough"),
    ("Jordan Hughes", PeerRole.NHS, "Chief officer, a clinical commissioning group"),
    ("Robin Clarke", PeerRole.CHALLENGE_MANAGER, "Local Government Association"),
]

CHALLENGES = {
    "coventry": {
        "visit": (dt.date(2014, 3, 11), dt.date(2014, 3, 14)),
        "counts": (31, 7, 26, 38),
        "scope": "The board asked the team to test how well its strategy turns an understanding "
        "of the city's inequalities into programmes that change outcomes, and how the board "
        "holds partners to account for them.",
        "focus": ["How well the board influences NHS commissioning in the city"],
        "headline": "The city has a strong, shared ambition to reduce health inequalities and "
        "partners who want to work together. To make that ambition count, the board now needs a "
        "plan that says who will do what, by when, and how progress will be measured.",
        "findings": [
            (1, FindingKind.STRENGTH, "Partners describe the city's inequalities consistently."),
            (1, FindingKind.CONSIDER, "The strategy's priorities lack measurable targets."),
            (2, FindingKind.STRENGTH, "Leaders across the council and NHS trust one another."),
            (2, FindingKind.CONSIDER, "Board agendas lean towards operational NHS business."),
            (3, FindingKind.CONSIDER, "Public health spending is not yet tied to priorities."),
            (4, FindingKind.CONSIDER, "Residents cannot easily see how the board is doing."),
        ],
        "recommendations": [
            (
                "Build a delivery plan for the strategy, with owners, targets and trajectories.",
                True,
            ),
            ("Estimate the deaths the city must avert to reach the top quartile.", True),
            ("Make the board's agenda strategic, with time for each priority.", False),
            ("Publish performance against the strategy so residents can follow it.", False),
        ],
    },
    "leicester": {
        "visit": (dt.date(2014, 5, 20), dt.date(2014, 5, 22)),
        "counts": (28, 6, 22, 30),
        "scope": "The board asked the team how well it understands the health of its diverse "
        "communities, and whether its governance lets it lead the local health system.",
        "focus": ["The board's role in reducing health inequalities between neighbourhoods"],
        "headline": "The board benefits from committed leadership and a good grasp of its "
        "communities. It should widen its membership and use its data to focus on the few "
        "things that will narrow the gap in life expectancy between wards.",
        "findings": [
            (1, FindingKind.STRENGTH, "The needs assessment reflects the city's diversity."),
            (1, FindingKind.CONSIDER, "Ward-level gaps are not yet used to set priorities."),
            (2, FindingKind.CONSIDER, "The voluntary sector has no seat on the board."),
            (3, FindingKind.STRENGTH, "Mandated public health services perform well."),
            (4, FindingKind.CONSIDER, "The board does not review the impact of its programmes."),
        ],
        "recommendations": [
            ("Widen the board's membership to the voluntary and community sector.", True),
            ("Set targets for the gap in life expectancy between wards.", True),
            ("Review each programme's impact at the board once a year.", False),
        ],
    },
}


def load_peer_challenges() -> int:
    """The two example challenges (skipped if already there); returns how many exist."""
    headline, maturity = services.default_frameworks()
    for city, content in CHALLENGES.items():
        area = Area.objects.filter(code=DEMO_CITIES[city]).first()
        if area is None or Challenge.private_objects.filter(area=area, is_example=True).exists():
            continue
        with transaction.atomic():
            _example_challenge(city, area, content, headline, maturity)
    return Challenge.private_objects.filter(is_example=True).count()


def _user(city: str, role: str):
    return get_user_model().objects.filter(username=demo_username(city, role)).first()


def _example_challenge(city, area, content, headline, maturity) -> Challenge:
    reviewer = _user(city, Role.PEER_REVIEWER)
    start, end = content["visit"]
    sessions, councillors, staff, partners = content["counts"]
    challenge = services.publishing.create(
        Challenge(
            area=area,
            title=f"{area.name} health and wellbeing peer challenge (example)",
            framework=headline,
            maturity_framework=maturity,
            lead=reviewer,
            addressee=f"The Chief Executive, {area.name} City Council",
            scope=content["scope"],
            visit_start=start,
            visit_end=end,
            sessions_held=sessions,
            councillors_met=councillors,
            staff_met=staff,
            partner_organisations_met=partners,
            documents_read="Joint strategic needs assessment\nJoint health and wellbeing strategy",
            headline_messages=content["headline"],
            next_steps="The board may wish to reflect on these findings and agree an action "
            "plan; the Local Government Association offers follow-up support and a progress "
            "review within a year.",
            is_example=True,
        ),
        None,
    )
    _team(challenge, reviewer)
    for text in content["focus"]:
        services.add_focus_area(challenge, text, None)
    _self_assessment(challenge, headline, maturity)
    _findings_and_recommendations(challenge, headline, content, city)
    # Published, as boards publish their letters: the public pages show it, labelled example.
    return services.publishing.publish(challenge, None)


def _team(challenge, reviewer) -> None:
    for name, role, organisation in TEAM:
        user = reviewer if role == PeerRole.CHALLENGE_MANAGER else None
        member = TeamMember(
            challenge=challenge, name=name, role=role, organisation=organisation, user=user
        )
        services.add_part(member, None)


def _self_assessment(challenge, headline, maturity) -> None:
    indicator = Indicator.objects.filter(name__icontains="healthy life expectancy").first()
    for question, rating in zip(headline.questions.all(), (3, 3, 2, 2)):
        assessment = services.assess(
            challenge, question, rating, "Example narrative written for the demo.", None
        )
        if indicator and question.number == 1:
            services.add_evidence(
                assessment, None, kind=EvidenceKind.INDICATOR, indicator=indicator
            )
    for domain, score in zip(maturity.questions.all(), (3, 2, 3, 2, 2)):
        services.assess(challenge, domain, score, "", None)


def _findings_and_recommendations(challenge, headline, content, city) -> None:
    questions = {q.number: q for q in headline.questions.all()}
    for number, kind, text in content["findings"]:
        services.add_finding(challenge, None, kind, text, question=questions[number])
    owner = _user(city, Role.BOARD_OFFICER)
    for index, (text, essential) in enumerate(content["recommendations"]):
        recommendation = services.add_recommendation(challenge, text, essential, None)
        if owner is None or index > 1:
            continue  # example progress on the first two only, and only with the demo users
        action = services.add_action(
            recommendation,
            owner,
            title=f"Example action: {text[0].lower()}{text[1:]}",
            owner=owner,
            due_date=challenge.visit_end + dt.timedelta(days=180 * (index + 1)),
        )
        services.record_progress(
            action,
            owner,
            ActionStatus.DONE if index == 0 else ActionStatus.IN_PROGRESS,
            "Example update: a paper went to the board.",
            evidence="Example: board minutes",
            on=challenge.visit_end + dt.timedelta(days=90),
        )
