"""Who may do what in the knowledge hub (django-rules; ``user.has_perm(name, document)``)."""

import rules

from healthgap.accounts.permissions import (
    is_administrator,
    is_analyst,
    is_internal,
    is_programme_lead,
)
from healthgap.publishing.permissions import can_publish


@rules.predicate
def is_document_owner(user, document) -> bool:
    return document is not None and document.owner_id == user.pk


@rules.predicate
def leads_the_evaluated_programme(user, evaluation) -> bool:
    """Programme leads edit only their own things: the evaluations of the programmes they lead."""
    return evaluation is not None and evaluation.programme.lead_id == user.pk


VIEW, ADD, CHANGE, PUBLISH = (
    "knowledge.view_document",
    "knowledge.add_document",
    "knowledge.change_document",
    "knowledge.publish_document",
)
EVALUATION_ADD, EVALUATION_CHANGE = "knowledge.add_evaluation", "knowledge.change_evaluation"

rules.add_perm(VIEW, is_internal)
rules.add_perm(ADD, is_analyst | is_programme_lead | is_administrator)
rules.add_perm(CHANGE, is_document_owner | is_analyst | is_administrator)
rules.add_perm(PUBLISH, can_publish)
rules.add_perm(EVALUATION_ADD, is_analyst | is_programme_lead | is_administrator)
rules.add_perm(EVALUATION_CHANGE, is_analyst | is_administrator | leads_the_evaluated_programme)
