from django import forms
from django.contrib.auth import get_user_model

from healthgap.delivery.models import Milestone, OutcomeMeasure, Programme
from healthgap.delivery.targets import series_rows
from healthgap.indicators.models import Period
from healthgap.mortality.causes import cause_choices
from healthgap.publishing.forms import VersionedForm, date_input, style_for_govuk
from healthgap.publishing.words import person_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


def people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name")


class ProgrammeForm(VersionedForm):
    lead = PersonChoiceField(queryset=people(), required=False)

    class Meta:
        model = Programme
        fields = [
            "name",
            "summary",
            "lead",
            "lead_organisation_name",
            "status",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return cleaned


class TargetForm(VersionedForm):
    """An analyst's target for an outcome measure; the services turn it into a number."""

    cause_group = forms.ChoiceField(
        label="Cause of death (mortality measures)",
        help_text="The deaths the measure counts, for its deaths to avert: all causes are ONS's "
        "published deaths; a cause group counts the council's record-level deaths extract.",
        choices=cause_choices,
    )

    class Meta:
        model = OutcomeMeasure
        fields = [
            "baseline_period",
            "target_kind",
            "target_input",
            "target_date",
            "frequency",
            "shape",
            "is_mortality",
            "cause_group",
        ]
        labels = {
            "baseline_period": "Baseline period (empty: the latest)",
            "target_kind": "Kind of target",
            "target_input": "Target value or percentage change",
            "target_date": "Target date",
            "frequency": "Trajectory periods",
            "shape": "Shape of the trajectory",
            "is_mortality": "Mortality measure (link to deaths to avert)",
        }
        widgets = {"target_date": date_input()}
        error_messages = {
            "target_kind": {"required": "Choose the kind of target"},
            "target_date": {"required": "Enter the target date"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_kind"].required = True
        self.fields["target_date"].required = True
        periods = series_rows(self.instance).exclude(value__isnull=True).values("period_id")
        baseline = self.fields["baseline_period"]
        baseline.queryset = Period.objects.filter(pk__in=periods).order_by("-end")
        baseline.required = False


class TrajectoryPointForm(forms.Form):
    expected = forms.FloatField(
        label="Expected value", error_messages={"required": "Enter the expected value"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_for_govuk(self)


class MilestoneForm(VersionedForm):
    owner = PersonChoiceField(
        queryset=people(), error_messages={"required": "Choose who owns the milestone"}
    )

    class Meta:
        model = Milestone
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": date_input()}
        error_messages = {
            "title": {"required": "Enter what the milestone is"},
            "due_date": {"required": "Enter the milestone's due date"},
        }


class UpdateForm(forms.Form):
    commentary = forms.CharField(
        label="Progress update",
        help_text="Public once a board officer approves it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the update's commentary"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_for_govuk(self)
