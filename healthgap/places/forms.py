from django import forms

from healthgap.areas.models import Area
from healthgap.places.models import Place
from healthgap.places.services import PlaceDefinition
from healthgap.publishing.forms import VersionedForm


class PlaceForm(VersionedForm):
    """A place or route as the analyst enters it; ``services`` checks the members."""

    city = forms.ModelChoiceField(
        queryset=Area.objects.filter(is_hwb=True).order_by("name"),
        label="Local authority",
        empty_label=None,
    )

    class Meta:
        model = Place
        fields = ["name", "kind", "city", "member_type", "members", "description"]
        labels = {"kind": "Place or route", "member_type": "Made of"}
        help_texts = {
            "members": "One per line: ward codes (E05…), LSOA codes (E01…) or postcodes. For a "
            "route, its wards in order from the first stop to the last.",
        }
        widgets = {
            "members": forms.Textarea(attrs={"rows": 6}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def definition(self) -> PlaceDefinition:
        data = self.cleaned_data
        return PlaceDefinition(
            name=data["name"],
            kind=data["kind"],
            city=data["city"],
            member_type=data["member_type"],
            members=data["members"],
            description=data.get("description", ""),
        )
