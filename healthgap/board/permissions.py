"""Who may do what in the board app: board officers (and administrators) edit, every internal
role reads, the public sees published meetings only (through ``Meeting.public_objects``)."""

import rules

from healthgap.accounts.permissions import is_administrator, is_board_officer, is_internal
from healthgap.publishing.permissions import can_publish

VIEW, CHANGE, PUBLISH = "board.view_board", "board.change_board", "board.publish_meeting"

rules.add_perm(VIEW, is_internal)
rules.add_perm(CHANGE, is_board_officer | is_administrator)
rules.add_perm(PUBLISH, is_board_officer | can_publish)
