from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.people.models import Program

LONGEST_RANGE_DAYS = 366 * 5


class EpisodeExportForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.order_by("name"),
        required=False,
        empty_label=_("All programs"),
        error_messages={"invalid_choice": _("Choose one of the listed programs.")},
    )

    @classmethod
    def from_query(cls, query: Any, today: date) -> EpisodeExportForm:
        """The form bound to the query, or to the defaults (1 January to today) when empty."""
        data = {name: query.get(name, "") for name in ("start", "end", "program")}
        if not data["start"] and not data["end"]:
            data.update(start=date(today.year, 1, 1).isoformat(), end=today.isoformat())
        return cls(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif start and end and end - start > timedelta(days=LONGEST_RANGE_DAYS):
            self.add_error("end", _("Choose a range of at most five years."))
        return data
