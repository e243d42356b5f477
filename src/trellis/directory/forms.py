"""Forms of the directory pages; the rules are in search.Query, curation and events."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.directory.categories import community
from trellis.directory.curation import STATUSES
from trellis.recovery.forms import CoreForm
from trellis.referrals.forms import DateTimeInput

COST_CHOICES = [
    ("free", _("Free")),
    ("sliding_scale", _("Sliding scale")),
    ("insurance", _("Accepts insurance")),
]


class SearchForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    radius_km = forms.FloatField(
        label=_("Within (km)"), min_value=0.1, max_value=500, initial=25, required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.CharField(label=_("Language (code, e.g. es)"), max_length=12, required=False)
    cost = forms.MultipleChoiceField(
        label=_("Cost"), choices=COST_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", "—"), ("female", _("Female")), ("male", _("Male"))],
        required=False,
    )
    veteran = forms.BooleanField(label=_("Veteran"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    accessible = forms.BooleanField(label=_("Lists accessibility"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any")), *community().items()]


class ServiceForm(CoreForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=[(s, s) for s in STATUSES])
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    url = forms.CharField(label=_("Website"), max_length=500, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=300, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Community categories"), widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.CharField(
        label=_("Languages (codes, comma-separated)"), max_length=200, required=False
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), min_value=0, max_value=120, required=False
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), min_value=0, max_value=120, required=False
    )
    free = forms.BooleanField(label=_("Free"), required=False)
    sliding_scale = forms.BooleanField(label=_("Sliding scale"), required=False)
    insurance = forms.BooleanField(label=_("Accepts insurance"), required=False)
    faith_based = forms.BooleanField(label=_("Faith-based"), required=False)
    peer_led = forms.BooleanField(label=_("Peer-led"), required=False)
    veterans_only = forms.BooleanField(label=_("Veterans only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = list(community().items())

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = [
            code.strip().lower() for code in data.get("languages", "").split(",") if code.strip()
        ]
        return data


class EventForm(CoreForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    peer_led = forms.BooleanField(label=_("Peer-led"), required=False, initial=True)
