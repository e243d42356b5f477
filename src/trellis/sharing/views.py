"""Consent-scoped sharing on the pages: the person's consents and accounting of disclosures,
invitations and joining, what a family member may see, family sessions, and the care team's view
of family involvement.

The person's pages find the record through `recovery.access.own_person`; staff pages through
`people.access.access_person`; a family member's view of a person only through
`people.access.access_shared`, which allows a category only under a consent in force and audits
each disclosure. Writes go through `actions`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core import consent as core
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.core.ids import parse_uuid
from trellis.people.access import access_person, access_shared, find_person
from trellis.recovery.access import own_person, owned
from trellis.recovery.forms import refuse
from trellis.sharing import accounting, actions, disclosed, forms
from trellis.sharing.messages import CATEGORY_LABELS, scope
from trellis.sharing.models import (
    Consent,
    FamilyLink,
    FamilySession,
    Invitation,
    SessionInvitation,
    SessionKind,
)

person_only = role_required(Role.PERSON)
family_only = role_required(Role.FAMILY)


def _language() -> str:
    return (get_language() or "en")[:2]


def consent_context(person: Any, item: Any) -> dict[str, Any]:
    """What the plain-language consent shows, for a checked draft (core Terms) or a signed one."""
    categories = (
        item.category_list if isinstance(item, Consent) else list(getattr(item, "categories", []))
    )
    return {
        "person_name": person.full_name,
        "disclosing_party": (
            item.disclosing_party if isinstance(item, Consent) else actions.disclosing_party(person)
        ),
        "recipient_name": item.recipient_name,
        "recipient_kind": item.recipient_kind,
        "purpose": item.purpose,
        "categories": [(CATEGORY_LABELS[c], scope(c)) for c in categories],
        "ends_on": item.ends_on,
        "end_event": item.end_event,
        "signature_method": item.signature_method,
        "signed_name": item.signed_name,
        "signed_at": item.signed_at if isinstance(item, Consent) else timezone.now(),
    }


# ---------------------------------------------------------------- the person's consents


@person_only
def consents(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Consent")
    today = timezone.localdate()
    rows = list(Consent.objects.filter(person=person).select_related("recipient_link__user"))
    return render(
        request,
        "sharing/consents.html",
        {
            "person": person,
            "active": [c for c in rows if c.status(today) is core.Status.ACTIVE],
            "ended": [c for c in rows if c.status(today) is not core.Status.ACTIVE],
            "labels": CATEGORY_LABELS,
            "links": FamilyLink.objects.active().filter(person=person).select_related("user"),
            "invitations": Invitation.objects.filter(person=person).pending(),
        },
    )


@person_only
def consent_new(request: HttpRequest) -> HttpResponse:
    """Fill in, read the consent in plain language, sign. A POST without `sign` is the review."""
    writing = request.method == "POST" and "sign" in request.POST
    person = own_person(request.user, what="Consent", write=writing)
    linked = actions.linked_family(person)
    initial: dict[str, Any] = {"signature_method": "typed"}
    if request.GET.get("for") in linked:
        initial |= {"recipient_kind": "family_member", "recipient_link": request.GET["for"]}
    organizations = actions.directory_organization(
        request.POST.get("recipient_organization") or request.GET.get("organization")
    )
    for hsds_id, name in organizations.items():
        initial |= {
            "recipient_kind": "organization",
            "recipient_organization": hsds_id,
            "recipient_name": name,
            "categories": ["referral"],
        }
    form = forms.ConsentForm(request.POST or None, linked=linked, initial=initial)
    draft = None
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        document = form.document()
        review = document | {"signature_method": "confirmed", "confirm": True}
        terms, problems = core.check_consent(
            review,
            today=timezone.localdate(),
            person_name=person.full_name,
            linked=linked,
            organizations=organizations,
        )
        if not problems.by_field:
            assert terms is not None
            draft = consent_context(person, terms)
        if writing:
            terms, problems = core.check_consent(
                document,
                today=timezone.localdate(),
                person_name=person.full_name,
                linked=linked,
                organizations=organizations,
            )
        form.attach(problems)
        if writing and problems.by_field:
            field = next(iter(problems.by_field))
            actions.refused(request.user, "Consent", person, InvalidInput(field, ""))
        elif writing:
            assert terms is not None
            text = strip_tags(
                render_to_string("sharing/_consent_text.html", consent_context(person, terms))
            )
            consent = actions.create_consent(
                person, terms, by=request.user, language=_language(), text_shown=text
            )
            messages.success(request, _("Consent signed. It is in force from now."))
            return redirect("sharing:consent", consent_id=consent.public_id)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "sharing/consent_new.html",
        {"form": form, "draft": draft, "person": person},
        status=status,
    )


@person_only
def consent(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="Consent")
    item = owned(Consent, person, consent_id)
    return render(
        request,
        "sharing/consent.html",
        {
            "consent": item,
            "status": item.status(),
            "text": consent_context(person, item),
        },
    )


@person_only
@require_POST
def consent_revoke(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="Consent", write=True)
    item = owned(Consent, person, consent_id)
    actions.revoke(item, by=request.user)
    messages.success(request, _("Consent revoked. From now on, nothing more is shared under it."))
    return redirect("sharing:consents")


@person_only
def disclosures(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Disclosure")
    return render(
        request,
        "sharing/disclosures.html",
        {"rows": accounting.disclosures(person), "labels": CATEGORY_LABELS},
    )


@person_only
def disclosures_csv(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Disclosure")
    response = HttpResponse(
        accounting.as_csv(accounting.disclosures(person)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="disclosures.csv"'
    return response


@person_only
def invite(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Invitation", write=request.method == "POST")
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, raw = actions.invite(
                person, by=request.user, name=data["name"], relationship=data["relationship"]
            )
        except InvalidInput as exc:
            actions.refused(request.user, "Invitation", person, exc)
            refuse(form, exc)
        else:
            return _invitation_sent(request, invitation, raw, data.get("email"))
    status = 400 if form.is_bound else 200
    return render(request, "sharing/invite.html", {"form": form}, status=status)


def _invitation_sent(
    request: HttpRequest, invitation: Invitation, raw: str, email: str | None
) -> HttpResponse:
    url = request.build_absolute_uri(reverse("sharing:join", kwargs={"token": raw}))
    if email:
        send_mail(
            _("An invitation to Trellis"),
            _(
                "You are invited to join Trellis as a family member. The link works once and "
                "for seven days: %(url)s"
            )
            % {"url": url},
            None,
            [email],
        )
    return render(
        request,
        "sharing/invitation_sent.html",
        {"invitation": invitation, "url": url, "emailed": bool(email)},
    )


@person_only
@require_POST
def invitation_cancel(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="Invitation", write=True)
    actions.cancel_invitation(owned(Invitation, person, invitation_id), by=request.user)
    messages.success(request, _("Invitation cancelled. The link no longer works."))
    return redirect("sharing:consents")


@person_only
@require_POST
def link_end(request: HttpRequest, link_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="FamilyLink", write=True)
    link = FamilyLink.objects.active().filter(person=person, public_id=link_id).first()
    if link is None:
        raise Http404
    actions.end_link(link, by=request.user)
    messages.success(request, _("They are no longer linked to you and see nothing of yours."))
    return redirect("sharing:consents")


# ---------------------------------------------------------------- joining by invitation


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. A wrong, expired, used or cancelled link says so and shows nothing."""
    invitation = actions.find_invitation(token)
    if invitation is None:
        return render(request, "sharing/join_gone.html", status=400)
    user = request.user
    if user.is_authenticated and user.role != Role.FAMILY:
        return render(request, "sharing/join_signed_in.html", status=400)
    form = None if user.is_authenticated else forms.JoinForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is not None:
                user = actions.join(invitation, form.cleaned_data)
            else:
                actions.accept(invitation, user)
        except InvalidInput:
            return render(request, "sharing/join_gone.html", status=400)
        if form is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. You are linked and can use the family tools."))
        return redirect("family:home")
    status = 400 if form is not None and form.is_bound else 200
    return render(
        request,
        "sharing/join.html",
        {"form": form, "inviter": invitation.person.given_name},
        status=status,
    )


# ---------------------------------------------------------------- what a family member sees


def shared_people(user: Any) -> list[dict[str, Any]]:
    """For the family home: each linked person, and which categories they share right now."""
    rows = []
    for link in FamilyLink.objects.active().filter(user=user).select_related("person"):
        in_force = [c.in_force() for c in link.consents.all()]
        rows.append(
            {
                "link": link,
                "person": link.person,
                "categories": [(c, CATEGORY_LABELS[c]) for c in core.shared_categories(in_force)],
                "news": [n for n in actions.milestone_news(link) if n.seen_at is None],
            }
        )
    return rows


def _shared_categories(user: Any, person_id: UUID) -> list[core.Category]:
    person = find_person(person_id)
    links = FamilyLink.objects.active().filter(user=user, person=person)
    return core.shared_categories(c.in_force() for link in links for c in link.consents.all())


@family_only
def shared(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Everything shared with this family member right now, each category a disclosure."""
    categories = _shared_categories(request.user, person_id)
    if not categories:
        audit.record(
            request.user,
            "read",
            object_type="Shared",
            object_id=str(person_id),
            outcome=Outcome.DENIED,
        )
        raise Http404
    sections = []
    person = None
    for category in categories:
        person, item = access_shared(request.user, person_id, category)
        sections.append(_section(person, category, item))
    actions.mark_seen(_news(request.user, person))
    return render(
        request, "sharing/shared.html", {"person": person, "sections": sections, **_notice()}
    )


@family_only
def shared_category(request: HttpRequest, person_id: UUID, category: str) -> HttpResponse:
    person, item = access_shared(request.user, person_id, category)
    return render(
        request,
        "sharing/shared.html",
        {
            "person": person,
            "sections": [_section(person, core.Category(category), item)],
            "single": True,
            **_notice(),
        },
    )


def _news(user: Any, person: Any) -> list[Any]:
    link = FamilyLink.objects.active().filter(user=user, person=person).first()
    return [n for n in actions.milestone_news(link) if n.seen_at is None] if link else []


def _section(person: Any, category: core.Category, item: Consent) -> dict[str, Any]:
    return {
        "category": category,
        "label": CATEGORY_LABELS[category],
        "scope": scope(category),
        "data": disclosed.summary(person, category),
        "consent": item,
    }


def _notice() -> dict[str, Any]:
    """The re-disclosure notice (42 CFR 2.32) and the labels the shared sections use."""
    return {
        "notice": _(core.REDISCLOSURE_NOTICE),
        "notice_plain": _(core.REDISCLOSURE_PLAIN),
        "notice_source": core.NOTICE_SOURCE,
        "kinds": dict(SessionKind.choices),
        "severities": {"mild": _("Mild"), "moderate": _("Moderate"), "severe": _("Severe")},
    }


@family_only
def family_sessions(request: HttpRequest) -> HttpResponse:
    invites = (
        SessionInvitation.objects.filter(
            link__user=request.user, link__ended_at__isnull=True, session__cancelled_at__isnull=True
        )
        .select_related("session", "session__person")
        .order_by("-session__starts_at")
    )
    audit.record(
        request.user, "read", object_type="SessionInvitation", object_id=str(request.user.pk)
    )
    now = timezone.now()
    return render(
        request,
        "sharing/family_sessions.html",
        {
            "upcoming": [i for i in invites if i.session.starts_at >= now],
            "past": [i for i in invites if i.session.starts_at < now],
            "form": forms.ReplyForm(),
        },
    )


@family_only
@require_POST
def session_reply(request: HttpRequest, invite_id: UUID) -> HttpResponse:
    invite = SessionInvitation.objects.filter(
        public_id=invite_id, link__user=request.user, link__ended_at__isnull=True
    ).first()
    if invite is None:
        raise Http404
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reply: will attend, maybe, or cannot attend."))
        return redirect("sharing:family_sessions")
    actions.reply(invite, form.cleaned_data["reply"], by=request.user)
    messages.success(request, _("Reply sent to the care team."))
    return redirect("sharing:family_sessions")


# ---------------------------------------------------------------- the care team's view


def _staff(request: HttpRequest, person_id: UUID, *, what: str, write: bool = False) -> Any:
    if request.user.role in (Role.PERSON, Role.FAMILY):
        raise Http404
    return access_person(request.user, person_id, what=what, write=write)


def staff_view(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@staff_view
def care_team(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Family involvement: who is invited and linked, sessions and attendance, consents on file."""
    person = _staff(request, person_id, what="Consent")
    return _care_team_page(request, person)


def _care_team_page(
    request: HttpRequest,
    person: Any,
    *,
    session_form: Any = None,
    invite_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    linked = actions.linked_family(person)
    on_file = list(Consent.objects.filter(person=person).select_related("recipient_link__user"))
    namable = [
        (str(c.public_id), f"{c.recipient_name} ({c.purpose})")
        for c in on_file
        if c.status(today) is core.Status.ACTIVE and c.recipient_kind == core.RecipientKind.PERSON
    ]
    sessions = FamilySession.objects.filter(person=person).prefetch_related("invites__link__user")
    return render(
        request,
        "sharing/care_team.html",
        {
            "person": person,
            "links": FamilyLink.objects.active().filter(person=person).select_related("user"),
            "invitations": Invitation.objects.filter(person=person)[:20],
            "consents": [(c, c.status(today)) for c in on_file],
            "labels": CATEGORY_LABELS,
            "sessions": sessions[:30],
            "session_form": session_form or forms.SessionForm(linked=linked),
            "invite_form": invite_form
            or (forms.StaffInviteForm(consents=namable) if namable else None),
            "disclosures": accounting.disclosures(person, limit=20),
        },
        status=status,
    )


@staff_view
@require_POST
def session_new(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _staff(request, person_id, what="FamilySession", write=True)
    linked = actions.linked_family(person)
    form = forms.SessionForm(request.POST, linked=linked)
    if not form.is_valid():
        return _care_team_page(request, person, session_form=form, status=400)
    data = form.cleaned_data
    invited = list(FamilyLink.objects.active().filter(person=person, public_id__in=data["invite"]))
    actions.schedule_session(
        person,
        by=request.user,
        kind=data["kind"],
        starts_at=data["starts_at"],
        minutes=data["minutes"],
        place=data["place"],
        invite=invited,
    )
    messages.success(request, _("Session scheduled; the family members you chose are invited."))
    return redirect("sharing:care_team", person_id=person.public_id)


@staff_view
def session(request: HttpRequest, person_id: UUID, session_id: UUID) -> HttpResponse:
    """Record who attended: the person and each invited family member."""
    person = _staff(request, person_id, what="FamilySession", write=request.method == "POST")
    item = owned(FamilySession, person, session_id)
    invites = list(item.invites.select_related("link__user"))
    if request.method == "POST":
        choices = {"yes": True, "no": False, "": None}
        values = {"person": request.POST.get("person", "")} | {
            str(i.pk): request.POST.get(f"invite_{i.pk}", "") for i in invites
        }
        if any(v not in choices for v in values.values()):
            messages.error(request, _("Attendance is attended, did not attend, or not recorded."))
            return render(
                request,
                "sharing/session.html",
                {"person": person, "session": item, "invites": invites},
                status=400,
            )
        actions.record_attendance(
            item,
            by=request.user,
            person_attended=choices[values.pop("person")],
            family={int(k): choices[v] for k, v in values.items()},
        )
        messages.success(request, _("Attendance saved."))
        return redirect("sharing:care_team", person_id=person.public_id)
    return render(
        request, "sharing/session.html", {"person": person, "session": item, "invites": invites}
    )


@staff_view
@require_POST
def staff_invite(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Invite the family member a consent in force names: the person's consent is the basis."""
    person = _staff(request, person_id, what="Invitation", write=True)
    consent_id = request.POST.get("consent")
    found = Consent.objects.filter(person=person, public_id=parse_uuid(consent_id)).first()
    try:
        if found is None:
            raise InvalidInput(
                "consent", "a consent in force in which the person names this family member"
            )
        invitation, raw = actions.invite(
            person, by=request.user, name=found.recipient_name, consent=found
        )
    except InvalidInput as exc:
        actions.refused(request.user, "Invitation", person, exc)
        messages.error(request, _("Choose a consent in force that names the family member."))
        return redirect("sharing:care_team", person_id=person.public_id)
    return _invitation_sent(request, invitation, raw, request.POST.get("email") or None)


@staff_view
def disclosure(request: HttpRequest, person_id: UUID, consent_id: UUID) -> HttpResponse:
    """A disclosure prepared for the consent's recipient (for example an organisation): only the
    consented categories, with the notice; recorded in the accounting of disclosures."""
    person = _staff(request, person_id, what="Consent")
    item = owned(Consent, person, consent_id)
    try:
        actions.prepare_disclosure(item, by=request.user)
    except InvalidInput:
        messages.error(request, _("This consent is no longer in force: nothing can be disclosed."))
        return redirect("sharing:care_team", person_id=person.public_id)
    return render(
        request,
        "sharing/shared.html",
        {
            "person": person,
            "sections": [_section(person, c, item) for c in item.category_list],
            "prepared_for": item,
            **_notice(),
        },
    )


@staff_view
@require_POST
def consent_ended(request: HttpRequest, person_id: UUID, consent_id: UUID) -> HttpResponse:
    """The consent's end event has happened (for example, treatment ended)."""
    person = _staff(request, person_id, what="Consent", write=True)
    item = owned(Consent, person, consent_id)
    try:
        actions.record_end_event(item, by=request.user)
    except InvalidInput as exc:
        actions.refused(request.user, "Consent", person, exc)
        messages.error(request, _("This consent ends on a date, not with an event."))
    else:
        messages.success(request, _("Recorded: the consent's end event has happened."))
    return redirect("sharing:care_team", person_id=person.public_id)


@staff_view
@require_POST
def staff_revoke(request: HttpRequest, person_id: UUID, consent_id: UUID) -> HttpResponse:
    """The person told the care team to revoke: recorded by the clinician, effective at once."""
    person = _staff(request, person_id, what="Consent", write=True)
    actions.revoke(owned(Consent, person, consent_id), by=request.user)
    messages.success(request, _("Consent revoked at the person's request."))
    return redirect("sharing:care_team", person_id=person.public_id)
