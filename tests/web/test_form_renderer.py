"""The form renderer writes Django's standard widgets exactly as Django's templates write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from trellis.form_renderer import FormRenderer
from trellis.recovery.forms import CheckInForm, JournalForm

GROUPED = [("Calm", [("breathe", "Paced breathing"), ("walk", "A walk & talk")]), ("", "None")]


class Everything(forms.Form):
    text = forms.CharField(
        label=_("Name"),
        help_text="Your <b>name</b>",
        widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <go>', "autofocus": True}),
    )
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"hidden": False}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": 1}))
    amount = forms.DecimalField(widget=forms.NumberInput(attrs={"step": Decimal("0.5")}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M"))
    hour = forms.TimeField(required=False)
    mail = forms.EmailField(required=False, disabled=True)
    site = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    maybe = forms.NullBooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "a b"}))
    choice = forms.ChoiceField(choices=[("", "—"), (0, "Zero"), ("b", _("Yes")), ("<", "<less>")])
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    radio = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "row"}))
    flat = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(3)], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("x", "X & Y"), ("y", mark_safe("<em>Y</em>"))],
        widget=forms.CheckboxSelectMultiple,
    )


FILLED = {
    "text": "Robin <O'Neil>",
    "number": "0",
    "amount": "7.5",
    "day": "2026-03-01",
    "at": "2026-03-01T08:30",
    "secret": "s3cr&t",
    "hidden": "h",
    "agree": "on",
    "maybe": "true",
    "note": "<script>alert(1)</script>\nsecond line ",
    "choice": "0",
    "grouped": "walk",
    "many": ["a", "c"],
    "radio": "breathe",
    "flat": "1",
    "boxes": ["x", "y"],
}
INITIAL = {"day": date(2026, 3, 1), "at": datetime(2026, 3, 1, 8, 30), "amount": Decimal("7.5")}


def both(make):
    """The form made with Django's renderer and with Trellis's, each rendered whole."""
    return str(make(DjangoTemplates())), str(make(FormRenderer()))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("auto_id", ["id_%s", "", "f-%s"])
def test_every_standard_widget_renders_as_djangos_templates_render_it(language, auto_id):
    with translation.override(language):
        for data in (None, FILLED, {"many": ["zz"], "number": "x"}):
            django, trellis = both(
                lambda r, data=data: Everything(data, initial=INITIAL, auto_id=auto_id, renderer=r)
            )

            assert trellis == django


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_in_and_journal_forms_render_as_djangos_templates_render_them(language):
    today = timezone.localdate()
    posted = {
        "date": "x",
        "craving": "11",
        "used": "yes",
        "triggers": ["stress"],
        "coping_1": "exercise",
    }
    with translation.override(language):
        for form in (CheckInForm, JournalForm):
            for data in (None, posted):
                django, trellis = both(
                    lambda r, form=form, data=data: form(data, initial={"date": today}, renderer=r)
                )

                assert trellis == django


def test_a_widget_with_option_templates_of_its_own_is_left_to_django():
    class Framed(forms.RadioSelect):
        option_template_name = "django/forms/widgets/checkbox_option.html"

    class Form(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=Framed)

    django, trellis = both(lambda r: Form(renderer=r))

    assert trellis == django
