"""Who may define, change and publish places and routes (django-rules): analysts and
administrators define and change them; those who may publish anything publish them; every
internal user may look at them in the workspace."""

import rules

from healthgap.accounts.permissions import is_administrator, is_analyst, is_internal
from healthgap.publishing.permissions import can_publish

VIEW, ADD, CHANGE, PUBLISH = (
    "places.view_place",
    "places.add_place",
    "places.change_place",
    "places.publish_place",
)

rules.add_perm(VIEW, is_internal)
rules.add_perm(ADD, is_analyst | is_administrator)
rules.add_perm(CHANGE, is_analyst | is_administrator)
rules.add_perm(PUBLISH, can_publish)
