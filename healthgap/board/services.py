"""Every write to the board app, each refused with a message naming what is wrong
(``BoardError``), and the reviews read from it: membership against s.194(2), overdue actions,
registers of interests due for review."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from healthgap.accounts.models import Sector
from healthgap.board.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    Declaration,
    Interest,
    Meeting,
    Member,
    Paper,
    StatutoryRole,
    Theme,
)
from healthgap.publishing import services as publishing

PDF_MAGIC = b"%PDF-"
MAX_PAPER_BYTES = 20 * 1024 * 1024
REGISTER_REVIEW_AFTER = datetime.timedelta(days=365)
FORWARD_PLAN_HORIZON = datetime.timedelta(days=365)


class BoardError(ValueError):
    """A write refused: the message says what is wrong, in words for the page."""


def paper_storage() -> FileSystemStorage:
    """Papers live under VAR_DIR/media, outside the static root: only a view that checks the
    reader may see the meeting serves them."""
    return FileSystemStorage(location=settings.VAR_DIR / "media")


# Committees and members ------------------------------------------------------------------------


def check_committee(committee: Committee) -> None:
    """A board reports to no one; a sub-group reports to a board (not to itself)."""
    if committee.kind == CommitteeKind.BOARD and committee.reports_to_id:
        raise BoardError(
            "A Health and Wellbeing Board reports to no other group: clear “reports to”."
        )
    if committee.kind == CommitteeKind.SUB_GROUP:
        parent = committee.reports_to
        if parent is None:
            raise BoardError("Choose the board this sub-group reports to.")
        if parent.pk == committee.pk or parent.kind != CommitteeKind.BOARD:
            raise BoardError(f"A sub-group reports to a board: {parent} is not one.")


def check_member(member: Member) -> None:
    """Dates in order, and a substitute stands in for another member of the same committee."""
    dates_error = membership_dates_error(member.name, member.start_date, member.end_date)
    if dates_error:
        raise BoardError(dates_error)
    stands_in_for = member.substitute_for
    if stands_in_for is not None and (
        stands_in_for.pk == member.pk or stands_in_for.committee_id != member.committee_id
    ):
        raise BoardError(
            f"{member.name} can only substitute for another member of {member.committee}."
        )


def membership_dates_error(name: str, start, end) -> str | None:
    if start and end and end < start:
        return (
            f"{name}'s membership cannot end ({end:%-d %B %Y}) before it starts "
            f"({start:%-d %B %Y})."
        )
    return None


def create_committee(committee: Committee, user) -> Committee:
    check_committee(committee)
    return publishing.create(committee, user)


def add_member(member: Member, user) -> Member:
    check_member(member)
    return publishing.create(member, user)


# Membership review -----------------------------------------------------------------------------

SINGLE_STATUTORY_ROLES = [
    (StatutoryRole.COUNCILLOR, "councillor of the local authority (s.194(2)(a))"),
    (StatutoryRole.ADULT_SOCIAL_SERVICES, "director of adult social services (s.194(2)(b))"),
    (StatutoryRole.CHILDRENS_SERVICES, "director of children's services (s.194(2)(c))"),
    (StatutoryRole.PUBLIC_HEALTH, "director of public health (s.194(2)(d))"),
    (StatutoryRole.HEALTHWATCH, "representative of the Local Healthwatch (s.194(2)(e))"),
]


def current_members(committee: Committee, on: datetime.date):
    return (
        committee.members.filter(start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("organisation")
    )


def membership_gaps(committee: Committee, on: datetime.date) -> list[str]:
    """The statutory members of s.194(2) of the Health and Social Care Act 2012 and the sectors
    the board says it wants that are missing on ``on``, each in words."""
    members = list(current_members(committee, on))
    roles = {m.statutory_role for m in members}
    gaps = [f"No {words}." for role, words in SINGLE_STATUTORY_ROLES if role not in roles]
    gaps += _icb_gaps(committee, members)
    sectors = {m.organisation.sector for m in members}
    for sector in committee.wanted_sectors:
        if sector not in sectors:
            gaps.append(
                f"No member from the {Sector(sector).label} sector, which the board says it wants."
            )
    return gaps


def _icb_gaps(committee: Committee, members: list[Member]) -> list[str]:
    represented = {
        m.organisation_id
        for m in members
        if m.statutory_role == StatutoryRole.INTEGRATED_CARE_BOARD
    }
    icbs = list(committee.integrated_care_boards.all())
    if not icbs:
        return (
            [] if represented else ["No representative of an integrated care board (s.194(2)(g))."]
        )
    return [
        f"No representative of {icb.name}, a relevant integrated care board (s.194(2)(g))."
        for icb in icbs
        if icb.pk not in represented
    ]


def scrutiny_dual_members(committee: Committee, on: datetime.date) -> list[Member]:
    return [m for m in current_members(committee, on) if m.on_scrutiny]


# Meetings, attendance, agenda ------------------------------------------------------------------


def meetings_of(committee: Committee):
    """Every meeting of the committee, drafts too, the newest first (for the workspace)."""
    return committee.meetings.order_by("-starts_at")


def plan_meeting(meeting: Meeting, user, now: datetime.datetime | None = None) -> Meeting:
    """Adds a future meeting to the forward plan; a meeting in the past is refused."""
    now = now or timezone.now()
    if meeting.starts_at <= now:
        raise BoardError(
            f"The meeting on {meeting.starts_at:%-d %B %Y} is in the past: the forward plan "
            "holds future meetings only. Record a past meeting as held instead."
        )
    return publishing.create(meeting, user)


def record_meeting(meeting: Meeting, user) -> Meeting:
    """Records a meeting, past or future (e.g. one imported from the committee system)."""
    return publishing.create(meeting, user)


def record_attendance(
    meeting: Meeting, member: Member, status: str, user, substitute: str = ""
) -> Attendance:
    day = timezone.localdate(meeting.starts_at)
    if member.committee_id != meeting.committee_id or not member.is_member_on(day):
        raise BoardError(
            f"{member.name} was not a member of {meeting.committee} on {day:%-d %B %Y}: "
            "attendance is recorded for members only."
        )
    if status not in AttendanceStatus.values:
        raise BoardError(f"“{status}” is not an attendance: use present, apologies or absent.")
    if substitute and status != AttendanceStatus.APOLOGIES:
        raise BoardError("A substitute is recorded only with apologies.")
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, member=member, defaults={"status": status, "substitute": substitute}
    )
    return attendance


def add_agenda_item(item: AgendaItem, user) -> AgendaItem:
    check_agenda_item(item)
    return publishing.create(item, user)


def check_agenda_item(item: AgendaItem) -> None:
    if not item.theme:
        raise BoardError(f"Agenda item “{item.title}” has no theme: choose one.")
    if item.theme == Theme.PRIORITY and item.priority_id is None:
        raise BoardError(f"Agenda item “{item.title}”: choose which strategy priority it is on.")
    if item.theme != Theme.PRIORITY:
        item.priority = None
    if item.priority_id and item.priority.committee_id != _board_of(item.meeting.committee).pk:
        raise BoardError(f"Agenda item “{item.title}”: the priority is another board's.")


def _board_of(committee: Committee) -> Committee:
    return committee.reports_to or committee


def upload_paper(item: AgendaItem, title: str, upload, user) -> Paper:
    """Stores a PDF paper; anything else, or anything too large, is refused unread."""
    if upload.size > MAX_PAPER_BYTES:
        limit = MAX_PAPER_BYTES // (1024 * 1024)
        raise BoardError(f"“{upload.name}” is larger than {limit} MB: papers must be smaller.")
    upload.seek(0)
    start = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if start != PDF_MAGIC:
        raise BoardError(f"“{upload.name}” is not a PDF: papers must be PDF files.")
    paper = Paper(item=item, title=title, size_bytes=upload.size)
    paper.file.storage = paper_storage()
    paper.file.save(upload.name, upload, save=False)
    paper.save()
    return paper


# Interests --------------------------------------------------------------------------------------


def register_interest(interest: Interest, user) -> Interest:
    if interest.end_date and interest.end_date < interest.start_date:
        raise BoardError("An interest cannot end before it starts.")
    interest.save()
    member = interest.member
    member.register_updated_on = timezone.localdate()
    publishing.save_versioned(member, user, member.version)
    return interest


def declare(item: AgendaItem, member: Member, description: str, user, interest=None):
    if member.committee_id != item.meeting.committee_id:
        raise BoardError(f"{member.name} is not a member of {item.meeting.committee}.")
    if not description.strip():
        raise BoardError("Describe the interest declared.")
    return Declaration.objects.create(
        item=item, member=member, interest=interest, description=description.strip()
    )


def registers_due_for_review(committee: Committee, on: datetime.date) -> list[Member]:
    """Current members whose register of interests was last confirmed more than a year ago
    (or never)."""
    cutoff = on - REGISTER_REVIEW_AFTER
    return [
        m
        for m in current_members(committee, on)
        if m.register_updated_on is None or m.register_updated_on < cutoff
    ]


# Actions ----------------------------------------------------------------------------------------


def add_action(action: Action, user) -> Action:
    return publishing.create(action, user)


def update_action(action: Action, text: str, user, status: str | None = None) -> ActionUpdate:
    with transaction.atomic():
        if status and status != action.status:
            action.status = status
            publishing.save_versioned(action, user, action.version)
        return ActionUpdate.objects.create(action=action, text=text, written_by=user)


def overdue_actions(on: datetime.date, committee: Committee | None = None, owner=None):
    actions = Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=on)
    if committee is not None:
        actions = actions.filter(meeting__committee=committee)
    if owner is not None:
        actions = actions.filter(owner=owner)
    return actions.select_related("meeting__committee", "owner").order_by("due_date")
