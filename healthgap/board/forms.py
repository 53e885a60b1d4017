from django import forms
from django.utils import timezone

from healthgap.board.models import (
    AgendaItem,
    AttendanceStatus,
    Interest,
    Meeting,
    Member,
    Priority,
)
from healthgap.publishing.forms import date_input


class AttendanceForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), empty_label="Choose a member")
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    substitute = forms.CharField(
        required=False, max_length=200, help_text="With apologies: who attended in their place."
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        # Every member of the committee: the service refuses one not a member on the day,
        # with a message saying so.
        self.fields["member"].queryset = meeting.committee.members.order_by("name")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "theme",
            "priority",
            "item_type",
            "minutes_allotted",
            "minutes_used",
            "decision",
        ]
        widgets = {"decision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        board = meeting.committee.reports_to or meeting.committee
        self.fields["priority"].queryset = Priority.objects.filter(committee=board)
        self.fields["priority"].help_text = "Only when the theme is a strategy priority."
        self.fields["theme"].error_messages["required"] = "Choose the item's theme"
        self.instance.meeting = meeting


class DeclarationForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), empty_label="Choose a member")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the interest declared"},
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localdate(item.meeting.starts_at)
        self.fields["member"].queryset = (
            item.meeting.committee.members.filter(start_date__lte=day)
            .exclude(end_date__lt=day)
            .order_by("name")
        )


class PaperForm(forms.Form):
    title = forms.CharField(max_length=300)
    file = forms.FileField(help_text="A PDF file, 20 MB or smaller.")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "kind", "location"]
        labels = {"starts_at": "Date and time"}
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["kind", "description", "start_date", "end_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_date": date_input(),
            "end_date": date_input(),
        }
