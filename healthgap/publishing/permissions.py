"""Predicates on the workspace's roles (``healthgap.constants.Role``), for object permissions
with django-rules. Check them with ``user.has_perm(name, item)``: superusers pass every check."""

from functools import reduce
from operator import or_

import rules

from healthgap.constants import Role

is_administrator = rules.is_group_member(Role.ADMINISTRATOR)
is_analyst = rules.is_group_member(Role.ANALYST)
is_programme_lead = rules.is_group_member(Role.PROGRAMME_LEAD)
# rules.is_group_member(a, b) needs every group; "internal" is any one of them.
is_internal = reduce(or_, (rules.is_group_member(role) for role in Role.ALL))
can_publish = is_analyst | is_administrator

VIEW_CHANGE_LOG = "publishing.view_change_log"
rules.add_perm(VIEW_CHANGE_LOG, is_administrator)
