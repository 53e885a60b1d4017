"""The example boards of the demo: made once, labelled as example data, with a year of meetings
that give the balance, attendance and forward-plan views something to show."""

import datetime

import pytest
from django.utils import timezone

from healthgap.board import balance, services
from healthgap.board.models import Attendance, Committee, CommitteeKind, Meeting
from healthgap.demo.board import load_example_boards

pytestmark = pytest.mark.django_db


def test_example_boards_load_once_and_say_they_are_examples():
    assert load_example_boards() == 2
    counts = (
        Committee.objects.count(),
        Meeting.private_objects.count(),
        Attendance.objects.count(),
    )
    assert load_example_boards() == 2
    assert (Committee.objects.count(), Meeting.private_objects.count()) == counts[:2]
    assert Attendance.objects.count() == counts[2]
    assert counts[0] == 8 and all(c.is_example for c in Committee.objects.all())


def test_example_board_has_a_year_of_meetings_and_a_forward_plan():
    load_example_boards()
    board = Committee.objects.get(name="Leicester Health and Wellbeing Board")
    assert board.kind == CommitteeKind.BOARD and board.sub_groups.count() == 3
    today = timezone.localdate()
    past = board.meetings.filter(starts_at__date__lt=today)
    assert past.count() >= 6 and all(m.is_published for m in past)
    assert board.meetings.filter(starts_at__date__gt=today).exists()
    year = (today - datetime.timedelta(days=366), today)
    assert sum(s.items for s in balance.balance_by_theme(board, *year)) >= 30
    assert balance.attendance_by_sector(board, *year)
    assert "No director of children's services (s.194(2)(c))." in services.membership_gaps(
        board, today
    )
