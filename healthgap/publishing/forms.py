"""Edit forms of versioned items: the version the editor started from travels in a hidden field,
and a save from a stale form is refused with the editor's own text kept."""

from __future__ import annotations

from django import forms

from healthgap.publishing import changelog, services
from healthgap.publishing.services import StaleEdit

# GOV.UK Frontend's class for each kind of input (most specific first).
WIDGET_CLASSES = (
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.DateInput, "govuk-input govuk-input--width-10"),
    (forms.TextInput, "govuk-input"),
)


def style_for_govuk(form: forms.BaseForm) -> None:
    """Gives each visible input GOV.UK Frontend's class (templates: publishing/_field.html)."""
    for field in form.fields.values():
        for widget_type, css in WIDGET_CLASSES:
            if isinstance(field.widget, widget_type):
                field.widget.attrs.setdefault("class", css)
                break


def date_input() -> forms.DateInput:
    """A browser date picker; its value must be ISO 8601."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """A ModelForm for a ``Versioned`` model. ``save_checked(user)`` saves, or returns None after
    a stale edit: then ``stale`` holds who changed the item, when and how, the error summary has
    the message, the fields keep what the user typed, and the hidden version is the current one,
    so that saving again replaces their change deliberately."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale: StaleEdit | None = None
        style_for_govuk(self)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def save_checked(self, user):
        item = self.save(commit=False)
        try:
            return services.save_versioned(item, user, self.cleaned_data["version"])
        except StaleEdit as stale:
            self.refuse_stale(stale)
            return None

    def refuse_stale(self, stale: StaleEdit) -> None:
        self.stale = stale
        data = self.data.copy()
        data[self.add_prefix("version")] = str(stale.current_version)
        self.data = data
        self.add_error(None, str(stale))


class WithdrawForm(forms.Form):
    """The reason for taking a published item off the public site (kept in its history)."""

    reason = forms.CharField(
        label="Why are you withdrawing it?",
        help_text="Kept in its history, with who withdrew it and when.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={"required": "Give the reason for withdrawing it"},
    )


class ChangeLogFilters(forms.Form):
    """The change log's filters: person, kind of item, and a date range."""

    person = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    model = forms.ChoiceField(label="Kind of item", required=False)
    date_from = forms.DateField(label="From", required=False, widget=date_input())
    date_to = forms.DateField(label="To", required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *changelog.person_choices()]
        self.fields["model"].choices = [("", "Anything"), *changelog.model_choices()]
        style_for_govuk(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def filters(self) -> changelog.LogFilters:
        if not self.is_valid():
            return changelog.LogFilters()
        data = self.cleaned_data
        return changelog.LogFilters(
            person_id=data["person"],
            model=data["model"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
