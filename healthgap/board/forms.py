from django import forms
from django.utils import timezone

from healthgap.accounts.models import Organisation, Sector
from healthgap.board.models import (
    AgendaItem,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    Interest,
    Meeting,
    Member,
    Priority,
)
from healthgap.board.services import membership_dates_error
from healthgap.publishing.forms import VersionedForm, date_input


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


class CommitteeForm(VersionedForm):
    """The board or a sub-group: what the membership review checks it against."""

    wanted_sectors = forms.MultipleChoiceField(
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sectors the board wants among its members",
    )

    class Meta:
        model = Committee
        fields = [
            "name",
            "kind",
            "reports_to",
            "area",
            "wanted_sectors",
            "integrated_care_boards",
            "moderngov_id",
        ]
        labels = {"moderngov_id": "ModernGov committee id", "reports_to": "Reports to"}
        # Checkboxes, as for the sectors: a multiple select showed one row and hid the others.
        widgets = {"integrated_care_boards": forms.CheckboxSelectMultiple}
        help_texts = {"reports_to": "Sub-groups only: the board they report to."}
        error_messages = {"name": {"required": "Enter the board's or sub-group's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        boards = Committee.objects.filter(kind=CommitteeKind.BOARD)
        self.fields["reports_to"].queryset = boards.exclude(pk=self.instance.pk)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(is_hwb=True)
        self.fields["integrated_care_boards"].queryset = Organisation.objects.filter(
            sector=Sector.ICB
        ).order_by("name")
        self.fields[
            "integrated_care_boards"
        ].help_text = (
            "Each relevant integrated care board: s.194(2)(g) requires a representative of each."
        )


class MemberForm(VersionedForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "role",
            "statutory_role",
            "organisation",
            "voting",
            "substitute_for",
            "start_date",
            "end_date",
            "on_scrutiny",
            "ethnicity",
            "moderngov_id",
        ]
        labels = {
            "statutory_role": "Statutory place (s.194(2))",
            "substitute_for": "Substitute for",
            "ethnicity": "Ethnicity, as the member describes it (optional)",
            "moderngov_id": "ModernGov member id",
        }
        help_texts = {
            "ethnicity": "Never shown per person: only counted over the board, small numbers "
            "suppressed."
        }
        widgets = {"start_date": date_input(), "end_date": date_input()}
        error_messages = {
            "name": {"required": "Enter the member's name"},
            "role": {"required": "Enter the member's role"},
            "organisation": {"required": "Choose the member's organisation"},
            "start_date": {"required": "Enter the date the membership starts"},
        }

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        others = committee.members.exclude(pk=self.instance.pk)
        self.fields["substitute_for"].queryset = others
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        # Here, before the model's own constraint check, so that the message names the dates.
        name = cleaned.get("name") or "The member"
        error = membership_dates_error(name, cleaned.get("start_date"), cleaned.get("end_date"))
        if error:
            self.add_error("end_date", error)
        return cleaned
