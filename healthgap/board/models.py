"""Board governance: the Health and Wellbeing Board and its sub-groups (committees), their terms
of reference, members, meetings (attendance, agenda items, papers, declarations) and actions.

Every write goes through ``services.py``; meetings are publishable (the public sees published
meetings only, with their agendas, papers, decisions and attendance)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from healthgap.publishing.models import Publishable, Versioned


class CommitteeKind(models.TextChoices):
    BOARD = "board", "Health and Wellbeing Board"
    SUB_GROUP = "sub_group", "Sub-group"


class Committee(Versioned):
    """The board or a group that reports to it; a sub-group's ``reports_to`` is its board."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CommitteeKind.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="committees", null=True, blank=True
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_groups"
    )
    wanted_sectors = models.JSONField(
        default=list, blank=True, help_text="Sectors the board says it wants among its members."
    )
    integrated_care_boards = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="+",
        help_text="Each relevant integrated care board, which s.194(2)(g) requires on the board.",
    )
    moderngov_id = models.CharField(max_length=40, blank=True)
    is_example = models.BooleanField(
        default=False, help_text="Example data made by the demo loader: pages say so."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("board_home", args=[self.pk])


class TermsOfReference(Versioned):
    """One agreed version of a committee's terms of reference; the newest agreed is current."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="terms")
    purpose = models.TextField()
    quorum = models.PositiveSmallIntegerField()
    frequency = models.CharField(max_length=100, help_text="e.g. every two months")
    reporting_line = models.CharField(max_length=200)
    agreed_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_on"]
        verbose_name_plural = "terms of reference"


class Priority(models.Model):
    """One of the priorities of the board's joint local health and wellbeing strategy."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="one_priority_per_name")
        ]

    def __str__(self):
        return self.name


class StatutoryRole(models.TextChoices):
    """The members s.194(2) of the Health and Social Care Act 2012 requires."""

    NONE = "", "None"
    COUNCILLOR = "councillor", "Councillor"
    ADULT_SOCIAL_SERVICES = "dass", "Director of adult social services"
    CHILDRENS_SERVICES = "dcs", "Director of children's services"
    PUBLIC_HEALTH = "dph", "Director of public health"
    HEALTHWATCH = "healthwatch", "Local Healthwatch representative"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board representative"


class Member(Versioned):
    """A person on a committee for a period. Ethnicity is optional and self-described: pages
    show it only counted over the board, with small counts suppressed, never per person."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_memberships",
    )
    role = models.CharField(max_length=200, help_text="e.g. Cabinet Member for Adult Services")
    statutory_role = models.CharField(
        max_length=12, choices=StatutoryRole.choices, default=StatutoryRole.NONE, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="board_members"
    )
    voting = models.BooleanField(default=True)
    substitute_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="substitutes"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    on_scrutiny = models.BooleanField(
        "also on the scrutiny committee",
        default=False,
        help_text="Dual membership with the health scrutiny committee is flagged for review.",
    )
    ethnicity = models.CharField(max_length=100, blank=True)
    register_updated_on = models.DateField(
        null=True, blank=True, help_text="When the member last confirmed the register of interests."
    )
    moderngov_id = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["ethnicity"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="member_ends_after_starting",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def sector(self) -> str:
        return self.organisation.get_sector_display()

    def is_member_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class MeetingKind(models.TextChoices):
    FORMAL = "formal", "Formal meeting"
    DEVELOPMENT = "development", "Development session"
    WORKSHOP = "workshop", "Workshop"


class Meeting(Publishable, Versioned):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=MeetingKind.choices, default=MeetingKind.FORMAL)
    location = models.CharField(max_length=200, blank=True)
    moderngov_id = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "moderngov_id"],
                condition=~models.Q(moderngov_id=""),
                name="one_meeting_per_moderngov_id",
            )
        ]

    def __str__(self):
        return f"{self.committee} {self.get_kind_display().lower()}, {self.starts_at:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("board:meeting", args=[self.pk])


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    substitute = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class Theme(models.TextChoices):
    """The fixed themes; an item may instead be on one of the strategy's priorities."""

    PRIORITY = "priority", "A strategy priority"
    CHILDREN = "children", "Children and young people"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    MENTAL_HEALTH = "mental_health", "Mental health"
    NHS_OPERATIONAL = "nhs_operational", "NHS operational"
    PREVENTION = "prevention", "Prevention"
    WIDER_DETERMINANTS = "wider_determinants", "Wider determinants"


class ItemType(models.TextChoices):
    DECISION = "decision", "Decision"
    DISCUSSION = "discussion", "Discussion"
    INFORMATION = "information", "For information"


class AgendaItem(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    item_type = models.CharField(max_length=12, choices=ItemType.choices)
    minutes_allotted = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_used = models.PositiveSmallIntegerField(null=True, blank=True)
    from_committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The sub-group whose report this item is.",
    )
    decision = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__starts_at", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme="priority", priority__isnull=False)
                | (~models.Q(theme="priority") & models.Q(priority__isnull=True)),
                name="agenda_item_priority_only_for_priority_theme",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def theme_label(self) -> str:
        return self.priority.name if self.priority_id else self.get_theme_display()


class Paper(models.Model):
    """A PDF paper for an agenda item, stored under ``VAR_DIR/media`` (outside the web root) and
    served only through a view that checks the meeting is visible to the reader."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="board/papers/%Y/")
    size_bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.title


class InterestKind(models.TextChoices):
    EMPLOYMENT = "employment", "Employment, office or trade"
    FINANCIAL = "financial", "Financial interest"
    NON_FINANCIAL = "non_financial", "Non-financial interest"
    PERSONAL = "personal", "Personal interest of a close family member"


class Interest(models.Model):
    """An entry in a member's register of interests."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=14, choices=InterestKind.choices)
    description = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__name", "-start_date"]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()}"


class Declaration(models.Model):
    """An interest a member declared on an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="declarations")
    interest = models.ForeignKey(
        Interest, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    description = models.TextField()
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.member} on {self.item}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_actions",
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    programme = models.ForeignKey(
        "delivery.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_actions",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date"]

    def __str__(self):
        return self.description[:80]


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["written_at"]

    def __str__(self):
        return self.text[:80]
