"""Sector-led improvement: frameworks of questions, peer challenges (scope, team, visit,
self-assessment, findings, recommendations) and the actions that take recommendations to done.

A challenge is the publishable item (its letter and progress review are what the public sees);
its parts belong to it and are edited by the people who may edit it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from healthgap.areas.models import Area
from healthgap.delivery.models import Programme
from healthgap.indicators.models import Indicator
from healthgap.publishing.models import Publishable, Versioned

# Self-assessment ratings and maturity levels: 1 (least developed) to 5 (most).
IMPROVEMENT_SCALE_MIN, IMPROVEMENT_SCALE_MAX = 1, 5
SCALE_VALIDATORS = [
    MinValueValidator(IMPROVEMENT_SCALE_MIN, f"Give a rating from {IMPROVEMENT_SCALE_MIN}"),
    MaxValueValidator(IMPROVEMENT_SCALE_MAX, f"Give a rating up to {IMPROVEMENT_SCALE_MAX}"),
]


class FrameworkKind(models.TextChoices):
    QUESTIONS = "questions", "Headline questions"
    MATURITY = "maturity", "Maturity self-assessment"


class Framework(Versioned):
    """A set of headline questions (a peer challenge's) or maturity domains scored 1 to 5."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=FrameworkKind.choices)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("improvement:framework", args=[self.pk])


class Question(models.Model):
    """A headline question, or a maturity domain with a descriptor for each level of the scale."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    descriptors = models.JSONField(
        default=list, blank=True, help_text="Maturity domains: what each level 1 to 5 looks like."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_question_per_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Challenge(Publishable, Versioned):
    """One peer challenge of a Health and Wellbeing Board, from scoping to the progress review.

    ``lead`` is the challenge manager, who records the visit and drafts the letter.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="peer_challenges")
    title = models.CharField(max_length=200)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="challenges")
    maturity_framework = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maturity_challenges",
        help_text="The maturity self-assessment the board fills in, if any.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_challenges",
        verbose_name="challenge manager",
    )
    addressee = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the letter is to, e.g. 'Jo Smith, Chief Executive'",
    )
    scope = models.TextField(blank=True, help_text="What the board asked the team to look at.")
    visit_start = models.DateField(null=True, blank=True)
    visit_end = models.DateField(null=True, blank=True)
    sessions_held = models.PositiveIntegerField(default=0)
    councillors_met = models.PositiveIntegerField(default=0)
    staff_met = models.PositiveIntegerField(default=0)
    partner_organisations_met = models.PositiveIntegerField(default=0)
    documents_read = models.TextField(blank=True, help_text="One document a line.")
    headline_messages = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    is_example = models.BooleanField(
        default=False, help_text="Made by the demo loader: every page showing it says 'example'."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visit_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit_end__isnull=True)
                | models.Q(visit_start__isnull=True)
                | models.Q(visit_end__gte=models.F("visit_start")),
                name="challenge_visit_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("improvement:challenge", args=[self.pk])


class FocusArea(models.Model):
    """One of the board's own questions for the team, beside the framework's."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="focus_areas")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "number"]

    def __str__(self):
        return self.text


class PeerRole(models.TextChoices):
    LEAD_PEER = "lead_peer", "Lead peer"
    MEMBER_PEER = "member_peer", "Member peer"
    DPH = "dph", "Director of public health peer"
    NHS = "nhs", "NHS peer"
    OFFICER = "officer", "Officer peer"
    CHALLENGE_MANAGER = "challenge_manager", "Challenge manager"
    SHADOW = "shadow", "Shadow peer"


class TeamMember(models.Model):
    """A member of the peer team; with a user account they may sign in and see this challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=PeerRole.choices)
    organisation = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="peer_team_places",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "role", "name"]

    def __str__(self):
        return f"{self.name} – {self.get_role_display()}, {self.organisation}".rstrip(", ")


class MetGroup(models.TextChoices):
    COUNCILLORS = "councillors", "Councillors"
    STAFF = "staff", "Staff"
    PARTNERS = "partners", "Partner organisations"
    OBSERVATION = "observation", "Observation or visit"


class VisitSession(Versioned):
    """One session of the on-site timetable."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField()
    starts_at = models.TimeField()
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=12, choices=MetGroup.choices)
    people = models.PositiveIntegerField(default=0, help_text="People or organisations met")
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "day", "starts_at"]

    def __str__(self):
        return self.title


class SelfAssessment(models.Model):
    """The board's own rating and narrative for one question or maturity domain."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="self_assessments"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="assessments")
    rating = models.PositiveSmallIntegerField(validators=SCALE_VALIDATORS)
    narrative = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "question__framework", "question__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "question"], name="one_assessment_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=IMPROVEMENT_SCALE_MIN)
                & models.Q(rating__lte=IMPROVEMENT_SCALE_MAX),
                name="assessment_rating_on_the_scale",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.rating}"


class EvidenceKind(models.TextChoices):
    INDICATOR = "indicator", "Indicator"
    PROGRAMME = "programme", "Programme"
    DOCUMENT = "document", "Document"


class Evidence(models.Model):
    """A live link from a self-assessment to what supports it: an indicator (its latest figure is
    read when shown), a programme of the delivery plan, or a document."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "kind", "id"]

    def __str__(self):
        return str(self.indicator or self.programme or self.title)


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    CONSIDER = "consider", "Area for further consideration"


class Finding(Versioned):
    """A strength or an area for further consideration under a question or a focus area."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="findings")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=10, choices=FindingKind.choices)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=True) ^ models.Q(focus_area__isnull=True),
                name="finding_under_a_question_or_a_focus_area",
            )
        ]

    def __str__(self):
        return self.text


class Recommendation(Versioned):
    """A numbered recommendation of the letter; essential ones come first."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    essential = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "-essential", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "number"], name="one_recommendation_per_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def get_absolute_url(self):
        return reverse("improvement:recommendation", args=[self.pk])


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ImprovementAction(Versioned):
    """What the board does about a recommendation: owned, due, tracked to done."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
        help_text="The delivery-plan programme that carries it, if any.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("improvement:action", args=[self.pk])


class ActionUpdate(models.Model):
    """Progress on an action, with the evidence of what was done."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField()
    text = models.TextField()
    evidence = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-written_on", "-id"]

    def __str__(self):
        return self.text
