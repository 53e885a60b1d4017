"""Who may publish, withdraw and read the site-wide change log (django-rules, on the role
predicates of ``healthgap.accounts.permissions``)."""

import rules

from healthgap.accounts.permissions import is_administrator, is_analyst

can_publish = is_analyst | is_administrator

VIEW_CHANGE_LOG = "publishing.view_change_log"
rules.add_perm(VIEW_CHANGE_LOG, is_administrator)
