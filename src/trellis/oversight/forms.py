"""The visit form and the dashboards' filters; the rules are core.quality's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from trellis.oversight.models import VisitKind, VisitStatus
from trellis.people.models import Program


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _must(name: Any, allowed: str) -> str:
    return gettext("%(field)s must be %(allowed)s.") % {"field": name, "allowed": gettext(allowed)}


must = lazy(_must, str)


def date_error(name: Any) -> dict[str, Any]:
    message = must(name, gettext_noop("a date as YYYY-MM-DD"))
    return {"invalid": message, "required": message}


def choice_error(name: Any) -> dict[str, Any]:
    message = must(name, gettext_noop("one of the choices listed"))
    return {"invalid_choice": message, "required": message}


class VisitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of visit"),
        choices=VisitKind.choices,
        error_messages=choice_error(_("Kind of visit")),
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=date_error(_("Date")),
    )
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=VisitStatus.choices,
        error_messages=choice_error(_("What happened")),
    )

    def refuse(self, refused: Any) -> None:
        """Put the core's refusal next to its field, naming the field."""
        field = self.fields.get(refused.field)
        name = field.label if field is not None else refused.field
        self.add_error(refused.field if field is not None else None, _must(name, refused.allowed))


class FilterForm(forms.Form):
    """Program and date range; every field optional, a bad date names its field."""

    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.order_by("name"),
        required=False,
        empty_label=_("All programs"),
        error_messages=choice_error(_("Program")),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=date_error(_("From")),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=date_error(_("To")),
    )

    measure = forms.ChoiceField(label=_("Measure"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from trellis.oversight.tables import MEASURE_NAMES

        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = list(MEASURE_NAMES.items())
        self.fields["measure"].error_messages.update(choice_error(_("Measure")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", must(_("To"), gettext_noop("on or after From")))
        return data
