"""Who may look at and upload modelled prevalence estimates (django-rules): every internal user
looks at them; analysts and administrators upload them."""

import rules

from healthgap.accounts.permissions import is_administrator, is_analyst, is_internal

VIEW_MODELLED, UPLOAD_MODELLED = (
    "practices.view_modelledprevalence",
    "practices.add_modelledprevalence",
)

rules.add_perm(VIEW_MODELLED, is_internal)
rules.add_perm(UPLOAD_MODELLED, is_analyst | is_administrator)
