"""Forms of consent-scoped sharing. The rules are the core's (`trellis.core.consent`); these forms
only collect the fields and put each problem next to its field, in the page's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from trellis.accounts.models import User
from trellis.core.consent import Category, RecipientKind
from trellis.recovery.forms import CoreForm, DateInput
from trellis.sharing.messages import CATEGORY_LABELS, RECIPIENT_KINDS, scope
from trellis.sharing.models import Reply, SessionKind


class ConsentForm(CoreForm):
    recipient_kind = forms.ChoiceField(
        label=_("Who receives the information"),
        choices=[(k.value, RECIPIENT_KINDS[k]) for k in RecipientKind],
        widget=forms.RadioSelect,
    )
    recipient_link = forms.ChoiceField(label=_("Family member"), required=False)
    recipient_name = forms.CharField(
        label=_("Name of the person or organisation"), required=False, max_length=400
    )
    # A directory organisation (its HSDS id), when the consent is for referrals to it.
    recipient_organization = forms.CharField(
        required=False, max_length=250, widget=forms.HiddenInput
    )
    purpose = forms.CharField(
        label=_("Why you share it (the purpose)"),
        max_length=400,
        required=False,
        help_text=_("For example: so my sister can support my recovery."),
    )
    categories = forms.MultipleChoiceField(
        label=_("What they may see"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    end_event = forms.CharField(
        label=_("Or ends when"),
        required=False,
        max_length=400,
        help_text=_("For example: when I finish treatment at this program."),
    )
    signature_method = forms.ChoiceField(
        label=_("How you sign"),
        choices=[
            ("typed", _("I type my full name")),
            ("confirmed", _("I confirm as the signed-in account holder")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    signed_name = forms.CharField(label=_("Your full name"), required=False, max_length=200)
    confirm = forms.BooleanField(
        label=_("I have read this consent and I agree to it."), required=False
    )

    def __init__(self, *args: Any, linked: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_link"].choices = [("", "—"), *linked.items()]
        self.fields["categories"].choices = [
            (c.value, f"{CATEGORY_LABELS[c]}: {scope(c)}") for c in Category
        ]

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "recipient_kind": data.get("recipient_kind"),
            "recipient_link": data.get("recipient_link") or None,
            "recipient_name": data.get("recipient_name", ""),
            "recipient_organization": data.get("recipient_organization") or None,
            "purpose": data.get("purpose", ""),
            "categories": data.get("categories") or [],
            "ends_on": data.get("ends_on"),
            "end_event": data.get("end_event", ""),
            "signature_method": data.get("signature_method") or None,
            "signed_name": data.get("signed_name", ""),
            "confirm": bool(data.get("confirm")),
        }


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=200)
    relationship = forms.CharField(
        label=_("Their relationship to you"),
        max_length=60,
        required=False,
        help_text=_("For example: sister, partner, friend."),
    )
    email = forms.EmailField(
        label=_("Their email (optional)"),
        required=False,
        help_text=_(
            "If you give it, Trellis emails them the link. Otherwise, give it to them yourself."
        ),
    )


class StaffInviteForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent naming the family member"))
    email = forms.EmailField(label=_("Their email (optional)"), required=False)

    def __init__(self, *args: Any, consents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = consents


class JoinForm(forms.Form):
    """A new family-member account. The username is theirs to choose; the password is checked
    by Django's validators."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(label=_("Email (for milestone news; optional)"), required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        field = User._meta.get_field("username")
        for validator in field.validators:
            try:
                validator(username)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("A username of letters, digits and @ . + - _ only.")
                ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A username nobody uses yet: this one is taken."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", _("The same password twice."))
        elif password:
            user = User(username=data.get("username", ""), first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=480, initial=60)
    place = forms.CharField(label=_("Place or video link"), max_length=200)
    invite = forms.MultipleChoiceField(
        label=_("Invite"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, linked: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invite"].choices = list(linked.items())


ATTENDANCE = [("", _("Not recorded")), ("yes", _("Attended")), ("no", _("Did not attend"))]


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Your reply"),
        choices=[(r.value, r.label) for r in Reply if r is not Reply.PENDING],
        widget=forms.RadioSelect,
    )
