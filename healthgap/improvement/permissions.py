"""Who may do what in the improvement app (django-rules; ``user.has_perm(name, challenge)``).

Peer reviewers are external: they see, and help record, only the challenges whose team names
them. Everyone internal sees every challenge; board officers, analysts and administrators run the
board's side (self-assessment, actions), the challenge manager (``lead``) the team's side.
"""

import rules

from healthgap.accounts.permissions import (
    is_administrator,
    is_analyst,
    is_board_officer,
    is_internal,
    is_object_lead,
    is_peer_reviewer,
)
from healthgap.publishing.permissions import can_publish

VIEW, ADD, CHANGE, RECORD_VISIT, ASSESS, TRACK, PUBLISH, EDIT_FRAMEWORK = (
    "improvement.view_challenge",
    "improvement.add_challenge",
    "improvement.change_challenge",
    "improvement.record_visit",
    "improvement.self_assess",
    "improvement.track_actions",
    "improvement.publish_challenge",
    "improvement.change_framework",
)


@rules.predicate
def is_on_the_team(user, challenge) -> bool:
    """The challenge's peer team names this user."""
    return challenge is not None and challenge.team.filter(user_id=user.pk).exists()


runs_improvement = is_board_officer | is_analyst | is_administrator

rules.add_perm(VIEW, is_internal | (is_peer_reviewer & is_on_the_team))
rules.add_perm(ADD, runs_improvement)
rules.add_perm(CHANGE, runs_improvement | is_object_lead)
rules.add_perm(
    RECORD_VISIT, is_administrator | is_object_lead | (is_peer_reviewer & is_on_the_team)
)
rules.add_perm(ASSESS, runs_improvement)
rules.add_perm(TRACK, runs_improvement)
rules.add_perm(PUBLISH, can_publish)
rules.add_perm(EDIT_FRAMEWORK, is_analyst | is_administrator)
