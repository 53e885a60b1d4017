from django import forms
from django.contrib.auth import get_user_model

from healthgap.delivery.models import Programme
from healthgap.publishing.forms import VersionedForm, date_input
from healthgap.publishing.words import person_name


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class ProgrammeForm(VersionedForm):
    lead = LeadChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name"),
        required=False,
    )

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


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        help_text="Shown in the programme's history.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={"required": "Give the reason for withdrawing it"},
    )
