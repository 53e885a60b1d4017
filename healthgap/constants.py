"""Constants shared by every layer, spelled once. Pure Python: the methods layer imports it too."""

ENGLAND_CODE = "E92000001"
NOT_COMPARED = "Not compared"

# The logger of security-relevant events (sign-in, lock-out, publish, withdraw, role change,
# export of unsuppressed data); production writes it to a file (settings/production.py).
SECURITY_LOGGER = "healthgap.security"

PERSONS, MALE, FEMALE = "Persons", "Male", "Female"
SEXES = (PERSONS, MALE, FEMALE)
ALL_AGES = "All ages"


class Role:
    """The workspace's roles, each a Django group of this name (anonymous visitors are the public).

    ``docs/roles.md`` describes each; a test keeps the two in step.
    """

    ADMINISTRATOR = "Administrator"
    ANALYST = "Analyst"
    PROGRAMME_LEAD = "Programme lead"
    BOARD_MEMBER = "Board member"
    BOARD_OFFICER = "Board officer"
    PEER_REVIEWER = "Peer reviewer"

    ALL = (ADMINISTRATOR, ANALYST, PROGRAMME_LEAD, BOARD_MEMBER, BOARD_OFFICER, PEER_REVIEWER)
