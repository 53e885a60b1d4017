"""Who may do what to a programme (django-rules; check with ``user.has_perm(name, programme)``)."""

import rules

from healthgap.accounts.permissions import (
    is_administrator,
    is_analyst,
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

rules.add_perm(VIEW, is_internal)
rules.add_perm(ADD, is_programme_lead | is_analyst | is_administrator)
rules.add_perm(CHANGE, is_object_lead | is_analyst | is_administrator)
rules.add_perm(PUBLISH, can_publish)
