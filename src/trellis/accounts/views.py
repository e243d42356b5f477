"""Sign-in with a second factor for staff, and the account page with personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from trellis.accounts import actions, twofactor
from trellis.accounts.forms import CodeForm, LoginForm, TokenForm
from trellis.accounts.models import ApiToken
from trellis.core.access import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_confirmed_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = twofactor.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id with the raised privilege
            return redirect("home")
        if twofactor.is_throttled(request.user):
            form.add_error("code", _("Too many wrong codes. Wait a minute, then enter a new code."))
        else:
            form.add_error(
                "code", _("That code is not valid, or it was already used. Try the next code.")
            )
    return render(request, "accounts/two_factor.html", {"form": form})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if twofactor.has_confirmed_device(request.user):
        return redirect("accounts:two_factor")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = twofactor.confirm_enrolment(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code", _("That code does not match. Check the time on your phone and try again.")
        )
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.base32_secret(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).active()
    context = {
        "tokens": tokens,
        "form": TokenForm(),
        "is_staff_role": request.user.needs_second_factor,
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.filter(user=request.user).active()
        return render(
            request, "accounts/account.html", {"tokens": tokens, "form": form}, status=400
        )
    raw = actions.create_token(request.user, form.cleaned_data["name"])
    return render(
        request, "accounts/token_created.html", {"raw": raw, "name": form.cleaned_data["name"]}
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).active().first()
    if token is None:
        return render(request, "404.html", status=404)
    actions.revoke_token(token, by=request.user)
    messages.success(request, _("The token was revoked. Programs using it can no longer sign in."))
    return redirect("accounts:account")


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.needs_second_factor:
        return redirect("accounts:account")
    codes = twofactor.new_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    role = Role(request.user.role)
    if role is Role.PERSON:
        return redirect("recovery:home")
    if role in (Role.CLINICIAN, Role.SUPERVISOR):
        return redirect("people:caseload")
    if role is Role.FAMILY:
        return redirect("family:home")
    if role is Role.NAVIGATOR:
        return redirect("referrals:worklist")
    return render(request, "accounts/dashboard.html")
