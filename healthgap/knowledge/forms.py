"""Workspace forms: a document (with its file or link, tags and links), an evaluation, and the
search box with its facets (shared by the public hub)."""

from __future__ import annotations

from django import forms

from healthgap.areas.models import Area, AreaType
from healthgap.board.models import AgendaItem
from healthgap.delivery.models import Programme
from healthgap.indicators.models import Indicator
from healthgap.knowledge.extract import MAX_UPLOAD_BYTES, MAX_UPLOAD_DESCRIPTION
from healthgap.knowledge.models import Document, Evaluation, Tag, TagKind
from healthgap.knowledge.search import SearchFilters
from healthgap.knowledge.services import Upload
from healthgap.places.models import Place
from healthgap.publishing.forms import VersionedForm, WithdrawForm, date_input, style_for_govuk

# Form field -> tag kind; each is a list of checkboxes on the form.
TAG_FIELDS = {
    "themes": TagKind.THEME,
    "population_groups": TagKind.POPULATION_GROUP,
    "priorities": TagKind.PRIORITY,
}


def _tags(kind: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        Tag.objects.filter(kind=kind), required=False, widget=forms.CheckboxSelectMultiple
    )


class AgendaItemChoiceField(forms.ModelMultipleChoiceField):
    """Board agenda items, newest meeting first, each named with its meeting's date and board."""

    def label_from_instance(self, item: AgendaItem) -> str:
        meeting = item.meeting
        return (
            f"{meeting.starts_at:%-d %B %Y} {meeting.committee} "
            f"{meeting.get_kind_display().lower()}: {item.title}"
        )


# The many-to-many links chosen from lists on the document form, in the form's order.
LINK_FIELDS = ("wards", "places", "indicators", "programmes", "agenda_items")


class DocumentForm(VersionedForm):
    file = forms.FileField(
        label="Upload the document",
        required=False,
        help_text=f"A PDF, Word document (.docx) or HTML page, smaller than "
        f"{MAX_UPLOAD_DESCRIPTION}. Or give a link to an external page below.",
    )
    external_url = forms.URLField(
        label="Or a link to an external page", required=False, max_length=500, assume_scheme="https"
    )
    themes = _tags(TagKind.THEME)
    population_groups = _tags(TagKind.POPULATION_GROUP)
    priorities = _tags(TagKind.PRIORITY)
    wards = forms.ModelMultipleChoiceField(
        Area.objects.filter(area_type=AreaType.WARD).order_by("name"),
        label="Wards",
        required=False,
    )
    places = forms.ModelMultipleChoiceField(
        Place.private_objects.order_by("name"), label="Places and routes", required=False
    )
    indicators = forms.ModelMultipleChoiceField(Indicator.objects.order_by("name"), required=False)
    programmes = forms.ModelMultipleChoiceField(
        Programme.private_objects.order_by("name"), required=False
    )
    agenda_items = AgendaItemChoiceField(
        AgendaItem.objects.select_related("meeting__committee").order_by(
            "-meeting__starts_at", "number"
        ),
        label="Meeting items",
        required=False,
        help_text="The board agenda items it informed.",
    )

    class Meta:
        model = Document
        fields = [
            "title",
            "document_type",
            "summary",
            "authors",
            "organisation",
            "issued_on",
            "review_on",
            "owner",
            "external_url",
        ]
        widgets = {"issued_on": date_input(), "review_on": date_input()}
        error_messages = {
            "title": {"required": "Enter the document's title"},
            "document_type": {"required": "Choose the type of document"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LINK_FIELDS:
            self.fields[name].widget.attrs["class"] = "govuk-select hg-select-multiple"
        if self.instance.pk:
            for name, kind in TAG_FIELDS.items():
                self.fields[name].initial = self.instance.tags.filter(kind=kind)
            for name in LINK_FIELDS:
                self.fields[name].initial = getattr(self.instance, name).all()

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_DESCRIPTION}")
        return uploaded

    def upload(self) -> Upload | None:
        uploaded = self.cleaned_data.get("file")
        return Upload(uploaded.name, uploaded.read()) if uploaded else None

    def relations(self) -> dict:
        data = self.cleaned_data
        tags = [tag for name in TAG_FIELDS for tag in data[name]]
        return {"tags": tags} | {name: data[name] for name in LINK_FIELDS}


class EvaluationForm(VersionedForm):
    class Meta:
        model = Evaluation
        fields = [
            "programme",
            "question",
            "method",
            "status",
            "findings",
            "outcome_indicator",
            "report",
        ]
        error_messages = {
            "programme": {"required": "Choose the programme it evaluates"},
            "question": {"required": "Enter the question the evaluation answers"},
            "method": {"required": "Choose the method"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.private_objects.order_by("name")
        self.fields["report"].queryset = Document.private_objects.order_by("title")


class WithdrawDocumentForm(WithdrawForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = "Shown in the document's history."


class SearchForm(forms.Form):
    """The search box and the facets chosen, from the query string."""

    q = forms.CharField(label="Search documents", required=False, max_length=1000)
    type = forms.MultipleChoiceField(
        required=False, choices=Document._meta.get_field("document_type").choices
    )
    tag = forms.TypedMultipleChoiceField(required=False, coerce=int)
    ward = forms.MultipleChoiceField(required=False)
    organisation = forms.TypedMultipleChoiceField(required=False, coerce=int)
    year = forms.TypedMultipleChoiceField(required=False, coerce=int)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_for_govuk(self)
        # Facet values are checked by the filter itself: an unknown one matches nothing.
        for name in ("tag", "ward", "organisation", "year"):
            self.fields[name].valid_value = lambda value: True

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            document_types=data.get("type", []),
            tags=data.get("tag", []),
            wards=data.get("ward", []),
            organisations=data.get("organisation", []),
            years=data.get("year", []),
        )
