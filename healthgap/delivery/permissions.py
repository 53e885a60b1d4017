"""Who may do what in the delivery plan (django-rules; check with ``user.has_perm(name, item)``).

Programme leads update their own programmes (milestones, updates); analysts manage measures,
targets and trajectories; a board officer approves (publishes) commentary; board members and
officers produce the performance report. Analysts and administrators see the measures of an
indicator under disclosure control as stored (marked unsuppressed); everyone else as published."""

import rules

from healthgap.accounts.permissions import (
    is_administrator,
    is_analyst,
    is_board_member,
    is_board_officer,
    is_internal,
    is_object_lead,
    is_programme_lead,
)
from healthgap.publishing.permissions import can_publish

VIEW, ADD, CHANGE, PUBLISH = (
    "delivery.view_programme",
    "delivery.add_programme",
    "delivery.change_programme",
    "delivery.publish_programme",
)
UPDATE_PROGRAMME = "delivery.update_programme"
APPROVE_UPDATE = "delivery.approve_update"
CHANGE_MEASURE = "delivery.change_measure"
PUBLISH_STRATEGY = "delivery.publish_strategy"
GENERATE_REPORT = "delivery.generate_report"
VIEW_UNSUPPRESSED = "delivery.view_unsuppressed"

rules.add_perm(VIEW, is_internal)
rules.add_perm(ADD, is_programme_lead | is_analyst | is_administrator)
rules.add_perm(CHANGE, is_object_lead | is_analyst | is_administrator)
rules.add_perm(PUBLISH, can_publish)
rules.add_perm(UPDATE_PROGRAMME, is_object_lead | is_administrator)
rules.add_perm(APPROVE_UPDATE, is_board_officer | is_administrator)
rules.add_perm(CHANGE_MEASURE, is_analyst | is_administrator)
rules.add_perm(PUBLISH_STRATEGY, can_publish)
rules.add_perm(GENERATE_REPORT, is_board_member | is_board_officer | is_analyst | is_administrator)
# Analysts only, as on the outcome and place pages and in the API (docs/roles.md).
rules.add_perm(VIEW_UNSUPPRESSED, is_analyst)
