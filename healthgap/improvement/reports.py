"""What the challenge page, the letter and the progress review show, gathered once for the HTML
page and its PDF twin (both include the same body template)."""

from __future__ import annotations

import datetime as dt

from healthgap.improvement import services
from healthgap.improvement.defaults import maturity_levels
from healthgap.improvement.models import (
    IMPROVEMENT_SCALE_MAX,
    IMPROVEMENT_SCALE_MIN,
    Challenge,
    FindingKind,
    PeerRole,
)

GOVUK_BLUE = "#1d70b8"  # the site's charts' colour (healthgap.web.charts), for contrast


def assessment_rows(challenge: Challenge) -> list[dict]:
    """Every question of the challenge's frameworks with the board's rating, narrative and live
    evidence (None where not yet assessed)."""
    assessed = {
        a.question_id: a
        for a in challenge.self_assessments.select_related("question").prefetch_related("evidence")
    }
    frameworks = [challenge.framework, challenge.maturity_framework]
    rows = []
    for framework in filter(None, frameworks):
        for question in framework.questions.all():
            assessment = assessed.get(question.pk)
            lines = services.evidence_lines(assessment) if assessment else []
            rows.append({"question": question, "assessment": assessment, "evidence": lines})
    return rows


def maturity_chart(challenge: Challenge) -> dict | None:
    """A bar chart of the maturity scores (a Vega-Lite dict for web/_chart.html), or None."""
    scores = [row for row in services.maturity_scores(challenge) if row["score"] is not None]
    if not scores:
        return None
    levels = maturity_levels()
    values = [
        {"domain": row["domain"], "score": row["score"], "level": levels[row["score"] - 1]}
        for row in scores
    ]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": {"step": 36},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "mark": {"type": "bar", "color": GOVUK_BLUE},
        "encoding": {
            "y": {"field": "domain", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "score",
                "type": "quantitative",
                "scale": {"domain": [0, IMPROVEMENT_SCALE_MAX]},
                "axis": {"tickCount": IMPROVEMENT_SCALE_MAX, "format": "d"},
                "title": f"Score ({IMPROVEMENT_SCALE_MIN} to {IMPROVEMENT_SCALE_MAX})",
            },
            "tooltip": [
                {"field": "domain", "title": "Domain"},
                {"field": "score", "title": "Score"},
                {"field": "level", "title": "Level"},
            ],
        },
    }
    total = sum(row["score"] for row in scores)
    most = IMPROVEMENT_SCALE_MAX * len(services.maturity_scores(challenge))
    return {
        "element_id": f"maturity-{challenge.pk}",
        "spec_element_id": f"maturity-{challenge.pk}-spec",
        "title": "Maturity self-assessment",
        "description": f"The board scored itself {total} out of {most} across "
        f"{len(scores)} domains.",
        "spec": spec,
        "rows": values,
        "total": total,
        "most": most,
    }


def finding_sections(challenge: Challenge) -> list[dict]:
    """One section per framework question, then per focus area: strengths, then areas for
    further consideration."""
    findings = list(challenge.findings.all())
    headings = [("question_id", q) for q in challenge.framework.questions.all()]
    headings += [("focus_area_id", f) for f in challenge.focus_areas.all()]
    sections = []
    for key, heading in headings:
        under = [f for f in findings if getattr(f, key) == heading.pk]
        sections.append(
            {
                "heading": heading,
                "is_focus_area": key == "focus_area_id",
                "strengths": [f for f in under if f.kind == FindingKind.STRENGTH],
                "considerations": [f for f in under if f.kind == FindingKind.CONSIDER],
            }
        )
    return sections


def letter_context(challenge: Challenge) -> dict:
    """The letter in its usual order: team, scope and focus, headline messages, one section per
    question, recommendations (essential first), next steps."""
    # As letters list the team: the lead peer first, the challenge manager last.
    team = sorted(
        challenge.team.all(),
        key=lambda m: (m.role != PeerRole.LEAD_PEER, m.role == PeerRole.CHALLENGE_MANAGER, m.name),
    )
    recommendations = list(challenge.recommendations.all())
    return {
        "challenge": challenge,
        "team": team,
        "lead_peer": next((m for m in team if m.role == PeerRole.LEAD_PEER), None),
        "manager": next((m for m in team if m.role == PeerRole.CHALLENGE_MANAGER), None),
        "visit_in_words": services.visit_in_words(challenge, team_size=len(team)),
        "questions": challenge.framework.questions.all(),
        "focus_areas": challenge.focus_areas.all(),
        "sections": finding_sections(challenge),
        "recommendations": recommendations,
        "essential_count": sum(r.essential for r in recommendations),
        "documents": [d for d in challenge.documents_read.splitlines() if d.strip()],
        "today": dt.date.today(),
    }


def progress_review_context(challenge: Challenge) -> dict:
    """Per recommendation (essential first): its actions, what was done and the evidence."""
    rows = services.progress(challenge)
    return {
        "challenge": challenge,
        "progress": rows,
        "recommendations_done": sum(r.summary == "Done" for r in rows),
        "today": dt.date.today(),
    }
