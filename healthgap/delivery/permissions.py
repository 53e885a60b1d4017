"""Who may do what to a programme (django-rules; check with ``user.has_perm(name, programme)``)."""

import rules

from healthgap.publishing.permissions import (
    can_publish,
    is_administrator,
    is_analyst,
    is_internal,
    is_programme_lead,
)

VIEW, ADD, CHANGE, PUBLISH = (
    "delivery.view_programme",
    "delivery.add_programme",
    "delivery.change_programme",
    "delivery.publish_programme",
)


@rules.predicate
def leads_it(user, programme) -> bool:
    return programme is not None and programme.lead_id == user.pk


rules.add_perm(VIEW, is_internal)
rules.add_perm(ADD, is_programme_lead | is_analyst | is_administrator)
rules.add_perm(CHANGE, leads_it | is_analyst | is_administrator)
rules.add_perm(PUBLISH, can_publish)
