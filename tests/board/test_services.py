"""Board services: membership against s.194(2), attendance, agenda items, the forward plan,
papers, interests, actions, and the agenda balance."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from healthgap.accounts.models import Sector
from healthgap.board import balance, services
from healthgap.board.models import (
    Action,
    AgendaItem,
    AttendanceStatus,
    Interest,
    InterestKind,
    ItemType,
    Meeting,
    Theme,
)
from healthgap.board.services import BoardError
from tests.board.people import (
    LONDON,
    board,
    meeting,
    member,
    officer,
    organisation,
    priorities,
    statutory_members,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def user():
    return officer()


@pytest.fixture
def hwb(user):
    return board(user)


def test_a_board_with_every_statutory_member_has_no_statutory_gap(user, hwb):
    statutory_members(user, hwb)
    assert services.membership_gaps(hwb, DAY) == []


def test_membership_review_names_each_missing_statutory_member(user, hwb):
    # Health and Social Care Act 2012, s.194(2): Leicester's reviewers found the Lead Member
    # for Children's Services missing; here the director of children's services is missing and
    # the Healthwatch representative left before the day of the review.
    people = statutory_members(user, hwb)
    people["dcs"].delete()
    people["hw"].end_date = datetime.date(2026, 3, 31)
    people["hw"].save()
    gaps = services.membership_gaps(hwb, DAY)
    assert gaps == [
        "No director of children's services (s.194(2)(c)).",
        "No representative of the Local Healthwatch (s.194(2)(e)).",
    ]


def test_membership_review_names_each_relevant_icb_and_wanted_sector(user, hwb):
    statutory_members(user, hwb)
    other_icb = organisation("NHS Leicester, Leicestershire and Rutland ICB", Sector.ICB)
    hwb.integrated_care_boards.add(organisation("NHS Coventry and Warwickshire ICB"), other_icb)
    hwb.wanted_sectors = [Sector.NHS_PROVIDER, Sector.ICB]
    hwb.save()
    assert services.membership_gaps(hwb, DAY) == [
        "No representative of NHS Leicester, Leicestershire and Rutland ICB, a relevant "
        "integrated care board (s.194(2)(g)).",
        "No member from the NHS provider sector, which the board says it wants.",
    ]


def test_dual_membership_with_scrutiny_is_flagged(user, hwb):
    cllr = member(user, hwb, "Cllr Ann Lucas", on_scrutiny=True)
    member(user, hwb, "Cllr Jim O'Boyle")
    assert services.scrutiny_dual_members(hwb, DAY) == [cllr]


def test_attendance_is_refused_for_someone_not_a_member_that_day(user, hwb):
    late = member(user, hwb, "Dr Sarah Raistrick", start=datetime.date(2026, 7, 1))
    held = meeting(user, hwb, 2026, 6, 10)
    with pytest.raises(BoardError, match="Dr Sarah Raistrick was not a member of .* 10 June 2026"):
        services.record_attendance(held, late, AttendanceStatus.PRESENT, user)
    assert not held.attendance.exists()


def test_attendance_with_a_substitute_and_recorded_again_replaces(user, hwb):
    dph = member(user, hwb, "Allison Duggal")
    held = meeting(user, hwb, 2026, 6, 10)
    services.record_attendance(held, dph, AttendanceStatus.ABSENT, user)
    services.record_attendance(held, dph, AttendanceStatus.APOLOGIES, user, "Nadia Inglis")
    row = held.attendance.get()
    assert (row.status, row.substitute) == ("apologies", "Nadia Inglis")
    with pytest.raises(BoardError, match="substitute is recorded only with apologies"):
        services.record_attendance(held, dph, AttendanceStatus.PRESENT, user, "Nadia Inglis")


def test_an_agenda_item_needs_a_theme_and_a_priority_theme_needs_its_priority(user, hwb):
    held = meeting(user, hwb, 2026, 6, 10)
    untitled = AgendaItem(meeting=held, number=1, title="Winter plan", item_type=ItemType.DECISION)
    with pytest.raises(BoardError, match="“Winter plan” has no theme"):
        services.add_agenda_item(untitled, user)
    untitled.theme = Theme.PRIORITY
    with pytest.raises(BoardError, match="choose which strategy priority"):
        services.add_agenda_item(untitled, user)
    assert not held.items.exists()


def test_a_past_meeting_is_refused_from_the_forward_plan(user, hwb):
    now = datetime.datetime(2026, 6, 1, 9, tzinfo=LONDON)
    past = Meeting(committee=hwb, starts_at=now - datetime.timedelta(days=1))
    with pytest.raises(BoardError, match="31 May 2026 is in the past"):
        services.plan_meeting(past, user, now=now)
    future = Meeting(committee=hwb, starts_at=now + datetime.timedelta(days=30))
    assert services.plan_meeting(future, user, now=now).pk


def _item(user, held, number, theme, minutes, item_type=ItemType.DISCUSSION, priority=None):
    item = AgendaItem(
        meeting=held,
        number=number,
        title=f"Item {number}",
        theme=theme,
        priority=priority,
        item_type=item_type,
        minutes_allotted=minutes,
    )
    return services.add_agenda_item(item, user)


def test_agenda_balance_counts_items_and_minutes_by_theme_and_type(user, hwb):
    # Leicester's peer review: an agenda "operationally focussed, often on NHS specific issues".
    # Four items of 60 minutes in all: NHS operational 2 items (40 min), a priority 1 (15),
    # children 1 (5); adult social care, the other priority, and the rest none.
    healthy_weight, smokefree = priorities(hwb, "Healthy weight", "Smokefree")
    held = meeting(user, hwb, 2026, 3, 10)
    _item(user, held, 1, Theme.NHS_OPERATIONAL, 30, ItemType.INFORMATION)
    _item(user, held, 2, Theme.NHS_OPERATIONAL, 10, ItemType.INFORMATION)
    _item(user, held, 3, Theme.PRIORITY, 15, ItemType.DECISION, priority=healthy_weight)
    _item(user, held, 4, Theme.CHILDREN, 5)
    shares = {s.label: s for s in balance.balance_by_theme(hwb, DAY.replace(month=1), DAY)}
    assert (shares["NHS operational"].items, shares["NHS operational"].item_share) == (2, 0.5)
    assert shares["NHS operational"].minute_share == pytest.approx(40 / 60)
    assert shares["Healthy weight"].is_priority and shares["Healthy weight"].minutes == 15
    assert shares["Smokefree"].items == 0 and shares["Adult social care"].item_share == 0
    types = {s.label: s.items for s in balance.balance_by_type(hwb, DAY.replace(month=1), DAY)}
    assert types == {"Decision": 1, "Discussion": 1, "For information": 2}


def test_no_items_in_the_range_gives_no_share_rather_than_dividing_by_zero(user, hwb):
    shares = balance.balance_by_theme(hwb, DAY, DAY)
    assert all(s.items == 0 and s.item_share is None for s in shares)


def test_attendance_by_member_and_sector_counts_a_substitute_as_attended(user, hwb):
    icb = organisation("NHS Coventry and Warwickshire ICB", Sector.ICB)
    cllr, gp = member(user, hwb, "Cllr Caan"), member(user, hwb, "Dr Johns", org=icb)
    for day, (cllr_status, gp_status, sub) in zip(
        (10, 20), (("present", "absent", ""), ("present", "apologies", "Dr Ali"))
    ):
        held = meeting(user, hwb, 2026, 5, day)
        services.record_attendance(held, cllr, cllr_status, user)
        services.record_attendance(held, gp, gp_status, user, sub)
    rates = {r.label: r.rate for r in balance.attendance_by_member(hwb, DAY.replace(month=1), DAY)}
    assert rates == {"Cllr Caan": 1.0, "Dr Johns": 0.5}
    by_sector = balance.attendance_by_sector(hwb, DAY.replace(month=1), DAY)
    assert {r.label: (r.present, r.expected) for r in by_sector} == {
        "Council": (2, 2),
        "Integrated care board": (1, 2),
    }
    trend = balance.attendance_trend(hwb, DAY.replace(month=1), DAY)
    assert trend == [(datetime.date(2026, 5, 10), 0.5), (datetime.date(2026, 5, 20), 1.0)]


def test_forward_plan_lists_priorities_with_no_item_in_the_next_twelve_months(user, hwb):
    healthy_weight, smokefree, housing = priorities(hwb, "Healthy weight", "Smokefree", "Housing")
    _item(user, meeting(user, hwb, 2026, 9, 1), 1, Theme.PRIORITY, 10, priority=healthy_weight)
    _item(user, meeting(user, hwb, 2027, 8, 1), 1, Theme.PRIORITY, 10, priority=smokefree)
    assert balance.priorities_without_planned_items(hwb, DAY) == ["Smokefree", "Housing"]


def test_ethnicity_is_counted_over_the_board_with_small_counts_suppressed(user, hwb):
    for n in range(6):
        member(user, hwb, f"Member W{n}", ethnicity="White British")
    member(user, hwb, "Member A", ethnicity="Asian British – Indian")
    member(user, hwb, "Member N")
    assert balance.ethnicity_summary(hwb, DAY) == [
        ("Asian British – Indian", "fewer than 5"),
        ("White British", "6"),
        ("Not stated", "fewer than 5"),
    ]


def test_a_paper_must_be_a_pdf_and_small_enough(user, hwb, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    item = _item(user, meeting(user, hwb, 2026, 5, 10), 1, Theme.PREVENTION, 10)
    not_pdf = SimpleUploadedFile("plan.pdf", b"PK\x03\x04 a zip, not a pdf")
    with pytest.raises(BoardError, match="“plan.pdf” is not a PDF"):
        services.upload_paper(item, "Plan", not_pdf, user)
    too_big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * services.MAX_PAPER_BYTES)
    with pytest.raises(BoardError, match="larger than 20 MB"):
        services.upload_paper(item, "Big", too_big, user)
    paper = services.upload_paper(
        item, "Plan", SimpleUploadedFile("p.pdf", b"%PDF-1.7\n%%EOF"), user
    )
    stored = tmp_path / "media" / paper.file.name
    assert stored.read_bytes().startswith(b"%PDF-") and item.papers.count() == 1


def test_declarations_and_a_register_more_than_a_year_old(user, hwb):
    fresh, stale = member(user, hwb, "Cllr Fresh"), member(user, hwb, "Cllr Stale")
    interest = Interest(
        member=fresh,
        kind=InterestKind.NON_FINANCIAL,
        description="Trustee of a food bank",
        start_date=datetime.date(2024, 1, 1),
    )
    services.register_interest(interest, user)
    item = _item(user, meeting(user, hwb, 2026, 5, 10), 1, Theme.WIDER_DETERMINANTS, 10)
    services.declare(item, fresh, "Trustee of the food bank bidding", user, interest)
    assert item.declarations.get().interest == interest
    today = timezone.localdate()
    assert services.registers_due_for_review(hwb, today) == [stale]
    assert services.registers_due_for_review(hwb, today + datetime.timedelta(days=400)) == [
        fresh,
        stale,
    ]


def test_overdue_actions_for_a_board_and_for_their_owner(user, hwb):
    held = meeting(user, hwb, 2026, 3, 10)
    late = services.add_action(
        Action(
            meeting=held,
            description="Report on SEND waits",
            owner=user,
            due_date=datetime.date(2026, 5, 1),
        ),
        user,
    )
    services.add_action(
        Action(meeting=held, description="Later", owner=user, due_date=datetime.date(2026, 7, 1)),
        user,
    )
    assert list(services.overdue_actions(DAY, committee=hwb)) == [late]
    services.update_action(late, "Reported at the June meeting.", user, status="done")
    assert not services.overdue_actions(DAY, owner=user).exists()
    assert late.updates.get().text == "Reported at the June meeting."
