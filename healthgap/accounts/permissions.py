"""Role predicates (``rules``) for every app's own object rules, e.g. in a ``delivery`` app::

    from healthgap.accounts.permissions import is_administrator, is_object_lead
    rules.add_perm("delivery.change_programme", is_administrator | is_object_lead)

``PREDICATES`` names each role predicate; ``docs/roles.md`` lists, per role, the ones it passes.
"""

import rules

from healthgap.constants import Role

is_administrator = rules.is_superuser | rules.is_group_member(Role.ADMINISTRATOR)
is_analyst = rules.is_group_member(Role.ANALYST)
is_programme_lead = rules.is_group_member(Role.PROGRAMME_LEAD)
is_board_member = rules.is_group_member(Role.BOARD_MEMBER)
is_board_officer = rules.is_group_member(Role.BOARD_OFFICER)
is_peer_reviewer = rules.is_group_member(Role.PEER_REVIEWER)
# Peer reviewers are external: they see only the peer challenge they are on.
is_internal = is_administrator | is_analyst | is_programme_lead | is_board_member | is_board_officer


@rules.predicate
def is_object_lead(user, obj) -> bool:
    """The object (e.g. a programme) names this user as its lead in a ``lead`` field."""
    return obj is not None and getattr(obj, "lead_id", None) == user.pk


PREDICATES = {
    "is_administrator": is_administrator,
    "is_analyst": is_analyst,
    "is_programme_lead": is_programme_lead,
    "is_board_member": is_board_member,
    "is_board_officer": is_board_officer,
    "is_peer_reviewer": is_peer_reviewer,
    "is_internal": is_internal,
}

rules.add_perm("accounts.administer", is_administrator)
rules.add_perm("accounts.view_internal", is_internal)
rules.add_perm("accounts.view_organisation", is_internal)

# Administration (Django's admin, for verified administrators only: admin_site.py) manages
# users, roles (groups), organisations and profiles: the model permissions it asks for (a
# permission already given to more people above, such as viewing organisations, is kept).
ADMINISTERED_MODELS = ("auth.user", "auth.group", "accounts.organisation", "accounts.profile")
for _model in ADMINISTERED_MODELS:
    _app, _name = _model.split(".")
    for _action in ("view", "add", "change", "delete"):
        if not rules.perm_exists(f"{_app}.{_action}_{_name}"):
            rules.add_perm(f"{_app}.{_action}_{_name}", is_administrator)
