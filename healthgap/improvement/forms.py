"""Forms of the improvement pages. Each validates its fields; the services check the rules that
span items (a programme the peers may see, an owner and a due date) and their messages are put
back on the form's fields, so that nothing the user typed is lost."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from healthgap.areas.models import Area
from healthgap.delivery.models import Programme
from healthgap.improvement.models import (
    IMPROVEMENT_SCALE_MAX,
    IMPROVEMENT_SCALE_MIN,
    ActionStatus,
    Challenge,
    EvidenceKind,
    Finding,
    FindingKind,
    Framework,
    FrameworkKind,
    ImprovementAction,
    TeamMember,
    VisitSession,
)
from healthgap.indicators.models import Indicator
from healthgap.publishing.forms import VersionedForm, date_input, style_for_govuk
from healthgap.publishing.words import person_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


def active_people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class GovukStyled:
    """GOV.UK classes on every input, and a service's refusal put back on the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_for_govuk(self)

    def refuse(self, error: ValidationError) -> None:
        """Puts a service's refusal on the fields it names (others on the form)."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class GovukForm(GovukStyled, forms.Form):
    pass


class GovukModelForm(GovukStyled, forms.ModelForm):
    pass


class ChallengeForm(VersionedForm):
    lead = PersonChoiceField(queryset=active_people(), required=False, label="Challenge manager")

    class Meta:
        model = Challenge
        fields = ["title", "area", "framework", "maturity_framework", "lead", "addressee", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(is_hwb=True).order_by("name")
        self.fields["framework"].queryset = Framework.objects.filter(kind=FrameworkKind.QUESTIONS)
        self.fields["maturity_framework"].queryset = Framework.objects.filter(
            kind=FrameworkKind.MATURITY
        )


class VisitForm(VersionedForm):
    class Meta:
        model = Challenge
        fields = [
            "visit_start",
            "visit_end",
            "sessions_held",
            "councillors_met",
            "staff_met",
            "partner_organisations_met",
            "documents_read",
        ]
        widgets = {"visit_start": date_input(), "visit_end": date_input()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("visit_start"), cleaned.get("visit_end")
        if start and end and end < start:
            self.add_error("visit_end", "The last day must be the same as or after the first day")
        return cleaned


class LetterTextForm(VersionedForm):
    class Meta:
        model = Challenge
        fields = ["headline_messages", "next_steps"]


class TeamMemberForm(GovukModelForm):
    user = PersonChoiceField(
        queryset=active_people(),
        required=False,
        label="Their account",
        help_text="A peer reviewer's account lets them sign in and see this challenge only.",
    )

    class Meta:
        model = TeamMember
        fields = ["name", "role", "organisation", "user"]


class VisitSessionForm(VersionedForm):
    """A session of the timetable, added or edited (the version checked on edits)."""

    class Meta:
        model = VisitSession
        fields = ["day", "starts_at", "title", "group", "people"]
        widgets = {"day": date_input(), "starts_at": forms.TimeInput(attrs={"type": "time"})}


class FocusAreaForm(GovukForm):
    text = forms.CharField(label="Focus area", widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(GovukForm):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(IMPROVEMENT_SCALE_MIN, IMPROVEMENT_SCALE_MAX + 1)],
        label=f"Rating ({IMPROVEMENT_SCALE_MIN} least developed, {IMPROVEMENT_SCALE_MAX} most)",
        error_messages={
            "required": "Choose a rating",
            "invalid_choice": f"Give a rating from {IMPROVEMENT_SCALE_MIN} to "
            f"{IMPROVEMENT_SCALE_MAX}",
        },
    )
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(GovukForm):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, label="Kind of evidence")
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.order_by("name"), required=False)
    programme = forms.ModelChoiceField(
        queryset=Programme.private_objects.order_by("name"), required=False
    )
    title = forms.CharField(required=False, label="Document title")
    url = forms.URLField(required=False, label="Document address (URL)", assume_scheme="https")


def heading_choices(challenge: Challenge) -> list[tuple[str, str]]:
    """The headings a finding goes under: the framework's questions ("q<id>"), then the
    board's focus areas ("f<id>")."""
    questions = [(f"q{q.pk}", str(q)) for q in challenge.framework.questions.all()]
    focus = [(f"f{f.pk}", f"Focus area: {f.text}") for f in challenge.focus_areas.all()]
    return questions + focus


def heading_target(heading: str) -> dict:
    """{"question_id": n} or {"focus_area_id": n} from a chosen heading."""
    key = "question_id" if heading.startswith("q") else "focus_area_id"
    return {key: int(heading[1:])}


class FindingForm(GovukForm):
    heading = forms.ChoiceField(label="Under")
    kind = forms.ChoiceField(choices=FindingKind.choices)
    text = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, challenge: Challenge, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].choices = heading_choices(challenge)

    def heading_target(self) -> dict:
        return heading_target(self.cleaned_data["heading"])


class FindingEditForm(VersionedForm):
    """An edit of a finding: its heading, kind and text, checked against the version the
    editor started from."""

    heading = forms.ChoiceField(label="Under")

    class Meta:
        model = Finding
        fields = ["kind", "text"]
        labels = {"text": "Finding"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Enter the finding"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        finding = self.instance
        self.fields["heading"].choices = heading_choices(finding.challenge)
        current = f"q{finding.question_id}" if finding.question_id else f"f{finding.focus_area_id}"
        self.fields["heading"].initial = current
        self.order_fields(["heading", "kind", "text"])

    def clean(self):
        cleaned = super().clean()
        if "heading" in cleaned:
            target = heading_target(cleaned["heading"])
            self.instance.question_id = target.get("question_id")
            self.instance.focus_area_id = target.get("focus_area_id")
        return cleaned


class RecommendationForm(GovukForm):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}))
    essential = forms.BooleanField(required=False, label="Essential to move forward")


class ActionForm(GovukModelForm):
    owner = PersonChoiceField(
        queryset=active_people(), error_messages={"required": "Choose who owns the action"}
    )

    class Meta:
        model = ImprovementAction
        fields = ["title", "owner", "due_date", "programme"]
        widgets = {"due_date": date_input()}
        error_messages = {
            "title": {"required": "Enter what will be done"},
            "due_date": {"required": "Enter the date the action is due"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.private_objects.order_by("name")


class ProgressForm(GovukForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    text = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        required=False,
        label="Evidence",
        help_text="What shows it: a board paper, a published figure, a link.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(GovukForm):
    text = forms.CharField(label="Question or domain", widget=forms.Textarea(attrs={"rows": 2}))
    descriptors = forms.CharField(
        required=False,
        label="What each level looks like (maturity domains)",
        help_text=f"One line per level, {IMPROVEMENT_SCALE_MIN} to {IMPROVEMENT_SCALE_MAX}.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def descriptor_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["descriptors"].splitlines() if line]
