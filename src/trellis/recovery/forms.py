"""Forms of the person's tools. Ranges and rules are the core's: each form hands its cleaned data
to `trellis.core` and puts each problem next to its field, in the person's language."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trellis.core import checkins as core
from trellis.core import goals as core_goals
from trellis.core.errors import InvalidInput
from trellis.knowledge.content import localized
from trellis.knowledge.self_management import content
from trellis.recovery.actions import vocabularies
from trellis.recovery.models import GoalStatus

SCALE = [(n, str(n)) for n in range(11)]
COPING_ROWS = 3
JOURNAL_COPING_ROWS = 2


def _choices(vocabulary: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    language = (get_language() or "en")[:2]
    return [(code, localized(text, language)) for code, text in vocabulary.items()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def sentence(allowed: str) -> str:
    """The core's "what is allowed" as a sentence in the page's language."""
    message = gettext(allowed)
    return message[:1].upper() + message[1:] + "."


def refuse(form: forms.Form, exc: InvalidInput, field_names: dict[str, str] | None = None) -> None:
    """Put a refused write's message next to its field (or above the form if it has none)."""
    target = (field_names or {}).get(exc.field, exc.field)
    form.add_error(target if target in form.fields else None, sentence(exc.allowed))


class CoreForm(forms.Form):
    """Puts the core's problems (field -> what is allowed) next to the matching form field."""

    field_names: dict[str, str] = {}

    def attach(self, problems: core.Problems) -> None:
        for name, allowed in problems.by_field.items():
            refuse(self, InvalidInput(name, allowed), self.field_names)


def _coping_rows(form: forms.Form, rows: int) -> None:
    options = [("", "—"), *_choices(content().coping)]
    for n in range(1, rows + 1):
        form.fields[f"coping_{n}"] = forms.ChoiceField(
            label=_("Coping strategy %(n)s") % {"n": n}, choices=options, required=False
        )
        form.fields[f"helped_{n}"] = forms.TypedChoiceField(
            label=_("How much it helped (0-10)"),
            choices=[("", "—"), *SCALE],
            coerce=int,
            empty_value=None,
            required=False,
        )


def _coping_from(data: dict[str, Any], rows: int, form: CoreForm) -> list[dict[str, Any]]:
    uses = []
    for n in range(1, rows + 1):
        code, helped = data.get(f"coping_{n}"), data.get(f"helped_{n}")
        if code and helped is None:
            form.add_error(f"helped_{n}", gettext("Say how much it helped, from 0 to 10."))
        elif helped is not None and not code:
            form.add_error(f"coping_{n}", gettext("Choose the strategy you used."))
        elif code:
            uses.append({"code": code, "helped": helped})
    return uses


class CheckInForm(CoreForm):
    field_names = {"coping": "coping_1"}

    date = forms.DateField(label=_("Date"), widget=DateInput())
    craving = forms.IntegerField(
        label=_("Craving (0 = none, 10 = the strongest)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    mood = forms.IntegerField(
        label=_("Mood (0 = very low, 10 = very good)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sleep_hours = forms.DecimalField(
        label=_("Hours of sleep last night"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    used = forms.TypedChoiceField(
        label=_("Any alcohol or drug use since your last check-in?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    use_amount = forms.CharField(
        label=_("If yes, what and how much?"), required=False, max_length=200
    )
    triggers = forms.MultipleChoiceField(
        label=_("Triggers today"), required=False, widget=forms.CheckboxSelectMultiple
    )
    self_harm = forms.TypedChoiceField(
        label=_(
            "Since your last check-in, have you had thoughts that you would be better off dead, "
            "or of hurting yourself in some way?"
        ),
        help_text=_("If yes, your care team is told at once and help is shown to you."),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything else (only you see this unless you share it)"),
        required=False,
        max_length=core.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["triggers"].choices = _choices(content().triggers)
        _coping_rows(self, COPING_ROWS)
        self.checkin: core.CheckIn | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        document = {**data, "coping": _coping_from(data, COPING_ROWS, self)}
        checkin, problems = core.check_checkin(
            document,
            today=timezone.localdate(),
            **vocabularies(),
        )
        self.attach(problems)
        self.checkin = checkin
        return data


class JournalForm(CoreForm):
    field_names = {"coping": "coping_1"}

    at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    craving = forms.IntegerField(
        label=_("Craving (0 = none, 10 = the strongest)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    triggers = forms.MultipleChoiceField(
        label=_("What set it off?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    situation = forms.CharField(
        label=_("Where were you, who with, what was happening?"),
        required=False,
        max_length=core.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("Thoughts and feelings"),
        required=False,
        max_length=core.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    shared = forms.BooleanField(label=_("Share this entry with my care team"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["triggers"].choices = _choices(content().triggers)
        _coping_rows(self, JOURNAL_COPING_ROWS)
        self.entry: core.JournalEntry | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        document = {**data, "coping": _coping_from(data, JOURNAL_COPING_ROWS, self)}
        entry, problems = core.check_journal(
            document,
            now=timezone.now(),
            **vocabularies(),
        )
        self.attach(problems)
        self.entry = entry
        return data


class GoalForm(CoreForm):
    statement = forms.CharField(
        label=_("My goal (specific: what will I do?)"), max_length=500, required=False
    )
    measure = forms.CharField(label=_("How I will measure it"), max_length=200, required=False)
    target = forms.CharField(label=_("Target"), max_length=200, required=False)
    confidence = forms.IntegerField(
        label=_("How sure am I that I can do it? (0-10)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Why it matters to me"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = forms.DateField(label=_("By when"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, parent_due: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_due = parent_due
        self.goal: core_goals.Goal | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        goal, problems = core_goals.check_goal(
            data, today=timezone.localdate(), parent_due=self.parent_due
        )
        self.attach(problems)
        self.goal = goal
        return data


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("How far along (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


def lines(text: str, limit: int = 20) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:limit]


class LinesField(forms.CharField):
    """A textarea where each line is one item of a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        return lines(super().clean(value) or "")

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value


SITUATION_ROWS = 5
CONTACT_ROWS = 4


class RelapsePlanForm(forms.Form):
    warning_signs = LinesField(
        label=_("My warning signs"),
        help_text=_("One per line: thoughts, feelings or habits that come before use."),
    )
    reasons = LinesField(label=_("My reasons for recovery"), help_text=_("One per line."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, SITUATION_ROWS + 1):
            self.fields[f"situation_{n}"] = forms.CharField(
                label=_("High-risk situation %(n)s") % {"n": n}, required=False, max_length=300
            )
            self.fields[f"response_{n}"] = forms.CharField(
                label=_("What I will do instead"), required=False, max_length=300
            )
        for n in range(1, CONTACT_ROWS + 1):
            self.fields[f"contact_name_{n}"] = forms.CharField(
                label=_("Person to call %(n)s") % {"n": n}, required=False, max_length=100
            )
            self.fields[f"contact_phone_{n}"] = forms.RegexField(
                label=_("Their phone number"),
                regex=r"^[0-9+()\-. ]{3,20}$",
                required=False,
                error_messages={
                    "invalid": _("Use digits, spaces and + ( ) - . only (3 to 20 characters).")
                },
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, SITUATION_ROWS + 1):
            if data.get(f"response_{n}") and not data.get(f"situation_{n}"):
                self.add_error(
                    f"situation_{n}", gettext("Name the situation this response is for.")
                )
            if data.get(f"situation_{n}") and not data.get(f"response_{n}"):
                self.add_error(f"response_{n}", gettext("Say what you will do in this situation."))
        for n in range(1, CONTACT_ROWS + 1):
            if bool(data.get(f"contact_name_{n}")) != bool(data.get(f"contact_phone_{n}")):
                self.add_error(
                    f"contact_phone_{n}" if data.get(f"contact_name_{n}") else f"contact_name_{n}",
                    gettext("Give both a name and a phone number."),
                )
        return data

    def document(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "warning_signs": d["warning_signs"],
            "reasons": d["reasons"],
            "situations": [
                {"situation": d[f"situation_{n}"], "response": d[f"response_{n}"]}
                for n in range(1, SITUATION_ROWS + 1)
                if d.get(f"situation_{n}")
            ],
            "contacts": [
                {"name": d[f"contact_name_{n}"], "phone": d[f"contact_phone_{n}"]}
                for n in range(1, CONTACT_ROWS + 1)
                if d.get(f"contact_name_{n}")
            ],
        }

    @staticmethod
    def initial_from(plan: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"warning_signs": plan.warning_signs, "reasons": plan.reasons}
        for n, row in enumerate(plan.situations, 1):
            initial[f"situation_{n}"], initial[f"response_{n}"] = row["situation"], row["response"]
        for n, row in enumerate(plan.contacts, 1):
            initial[f"contact_name_{n}"], initial[f"contact_phone_{n}"] = row["name"], row["phone"]
        return initial


class DistractionsForm(forms.Form):
    distractions = LinesField(
        label=_("My distraction list"),
        help_text=_(
            "One per line: things that take your mind off a craving for 15 minutes or more."
        ),
    )


class SleepForm(forms.Form):
    on = forms.DateField(label=_("Night of"), widget=DateInput())
    amount = forms.DecimalField(label=_("Hours slept"), min_value=0, max_value=24, decimal_places=1)


class ExerciseForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.DecimalField(label=_("Minutes"), min_value=1, max_value=600, decimal_places=0)
    detail = forms.CharField(label=_("What did you do?"), required=False, max_length=200)


class NutritionForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    meals = forms.IntegerField(label=_("Meals eaten"), min_value=0, max_value=10)
    amount = forms.DecimalField(
        label=_("Servings of fruit and vegetables"), min_value=0, max_value=20, decimal_places=1
    )


class SelfCareForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("enjoyable", _("Enjoyable")), ("meaningful", _("Meaningful"))],
        widget=forms.RadioSelect,
    )
    planned_for = forms.DateField(label=_("Planned for"), widget=DateInput())


class AssertiveForm(forms.Form):
    KINDS = [("say_no", _("Saying no")), ("ask", _("Asking for what I need"))]
    kind = forms.ChoiceField(
        label=_("What do you want to do?"), choices=KINDS, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("A name for this script"), max_length=100)
    describe = forms.CharField(
        label=_("Describe the situation (facts only)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    express = forms.CharField(
        label=_("Express how you feel (I feel …)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assert_ = forms.CharField(
        label=_("Assert: say clearly what you want or will not do"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reinforce = forms.CharField(
        label=_("Reinforce: why it is good for both of you"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProblemForm(forms.Form):
    OPTION_ROWS = 4
    problem = forms.CharField(
        label=_("1. Define the problem"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("5. Plan the steps"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("6. Review: how did it go?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, self.OPTION_ROWS + 1):
            self.fields[f"option_{n}"] = forms.CharField(
                label=_("Option %(n)s") % {"n": n}, required=False, max_length=300
            )
            self.fields[f"pros_{n}"] = forms.CharField(
                label=_("Pros"), required=False, max_length=300
            )
            self.fields[f"cons_{n}"] = forms.CharField(
                label=_("Cons"), required=False, max_length=300
            )
            self.fields[f"rating_{n}"] = forms.TypedChoiceField(
                label=_("How good is it? (0-10)"),
                choices=[("", "—"), *SCALE],
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.fields["chosen"] = forms.TypedChoiceField(
            label=_("4. Choose an option"),
            choices=[
                ("", "—"),
                *[(n, _("Option %(n)s") % {"n": n}) for n in range(1, self.OPTION_ROWS + 1)],
            ],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.order_fields(
            [
                "problem",
                *[
                    f"{k}_{n}"
                    for n in range(1, self.OPTION_ROWS + 1)
                    for k in ("option", "pros", "cons", "rating")
                ],
                "chosen",
                "steps",
                "outcome",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        options = [n for n in range(1, self.OPTION_ROWS + 1) if data.get(f"option_{n}")]
        if not options:
            self.add_error("option_1", gettext("Brainstorm at least one option."))
        chosen = data.get("chosen")
        if chosen is not None and chosen not in options:
            self.add_error("chosen", gettext("Choose one of the options you wrote."))
        if data.get("steps") and chosen is None:
            self.add_error("chosen", gettext("Choose an option before planning its steps."))
        return data

    def document(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "problem": d["problem"],
            "options": [
                {
                    "option": d[f"option_{n}"],
                    "pros": d[f"pros_{n}"],
                    "cons": d[f"cons_{n}"],
                    "rating": d[f"rating_{n}"],
                }
                for n in range(1, self.OPTION_ROWS + 1)
            ],
            "chosen": d["chosen"],
            "steps": d["steps"],
            "outcome": d["outcome"],
        }

    @staticmethod
    def initial_from(document: dict[str, Any]) -> dict[str, Any]:
        initial = {k: document.get(k) for k in ("problem", "chosen", "steps", "outcome")}
        for n, row in enumerate(document.get("options", []), 1):
            for key in ("option", "pros", "cons", "rating"):
                initial[f"{key}_{n}"] = row.get(key)
        return initial


class LetterForm(forms.Form):
    letter = forms.CharField(
        label=_("My letter"), max_length=6000, widget=forms.Textarea(attrs={"rows": 10})
    )


class PracticeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=120)
    note = forms.CharField(label=_("How was it? (optional)"), required=False, max_length=500)


class EventForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class ReturnForm(forms.Form):
    on = forms.DateField(label=_("Date of the return to use"), widget=DateInput())
    restart = forms.DateField(
        label=_("Start counting again from"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty to start again later."),
    )
    note = forms.CharField(
        label=_("What did you learn? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, restart = data.get("on"), data.get("restart")
        if on and restart and restart < on:
            self.add_error("restart", gettext("A date on or after the return to use."))
        return data


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send me a daily reminder to check in"), required=False)
    at = forms.TimeField(
        label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(label=_("My time zone"))
    channel = forms.ChoiceField(
        label=_("Send it by"),
        choices=[("email", _("E-mail")), ("sms", _("Text message"))],
        widget=forms.RadioSelect,
        initial="email",
        required=False,  # e-mail unless text messages are chosen
    )
    phone = forms.CharField(
        label=_("Mobile number for text messages"),
        help_text=_("With the country code, for example +15555550123."),
        required=False,
        max_length=16,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zones()

    def clean_phone(self) -> str:
        from trellis.core.errors import InvalidInput
        from trellis.notify.sms import check_phone

        phone = self.cleaned_data.get("phone", "").replace(" ", "")
        if not phone:
            return ""
        try:
            return check_phone(phone)
        except InvalidInput:
            raise forms.ValidationError(
                _("A mobile number with + and the country code, 8 to 15 digits.")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["channel"] = data.get("channel") or "email"
        if data.get("enabled") and data["channel"] == "sms" and not data.get("phone"):
            self.add_error("phone", _("Give the number the text messages should go to."))
        return data


@cache
def time_zones() -> list[tuple[str, str]]:
    from zoneinfo import available_timezones

    zones = (
        z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [(z, z.replace("_", " ")) for z in sorted(zones)]
