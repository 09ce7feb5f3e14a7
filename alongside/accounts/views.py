"""Sign-in, two-factor, invite codes. Views stay thin: rules live in services and policy."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts import policy

from . import selectors, services
from .forms import (
    ShareBarriersForm,
    ShareCoachingFiguresForm,
    SignInForm,
    TokenForm,
    WelcomeForm,
)
from .models import Organisation, User


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("accounts:sign_in")


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes calls this once an account has had too many failed attempts."""
    from django.conf import settings

    return render(
        request,
        "accounts/locked_out.html",
        {"limit": settings.AXES_FAILURE_LIMIT, "hours": settings.AXES_COOLOFF_TIME},
        status=429,
    )


def _qr_data_uri(url: str) -> str:
    # An <img> with a data: URI keeps the strict CSP (no inline style) intact.
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _is_verified(user: Any) -> bool:
    # OTPMiddleware gives the signed-in user is_verified(); the type stubs don't know it.
    return bool(getattr(user, "is_verified", lambda: False)())


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Give a code from an authenticator app; set one up first if this is the first time."""
    user = request.user
    assert isinstance(user, User)  # login_required
    if _is_verified(user) or not selectors.requires_two_factor(user):
        return HttpResponseRedirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = services.two_factor_device_create(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp slows down guessing: after each wrong code it refuses every code,
        # right or wrong, for a growing number of seconds. Say so rather than "wrong code".
        allowed, _ = device.verify_is_allowed()
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                services.two_factor_device_confirm(user=user, device=device)
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _token_error(allowed))
    context: dict[str, Any] = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr"] = _qr_data_uri(device.config_url)
    return render(request, "accounts/two_factor.html", context)


def _safe_next(request: HttpRequest, default: str = "home:home") -> str:
    """Where `next` asks to go, if that is a page of this site; otherwise `default`.

    `next` comes from the address bar, so anyone can write a link that carries one: never
    follow it to another site (`https://evil.example/`, `//evil.example`, `/\\evil.example`)
    or to a `javascript:` address. Over HTTPS, only an HTTPS address will do."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def _token_error(allowed: bool) -> str:
    if not allowed:
        return "Please wait a few seconds, then try the newest code. We slow down repeated tries."
    return "That code didn't match. Codes change every 30 seconds: try the newest one."


def welcome(request: HttpRequest) -> HttpResponse:
    """A person sets up their username and passphrase with an invite code."""
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invite_redeem(
                code=data["code"], username=data["username"], passphrase=data["passphrase"]
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            auth.login(request, user, backend="alongside.accounts.backends.UsernameBackend")
            return redirect("home:home")
    return render(request, "accounts/welcome.html", {"form": form})


def _attach_errors(form: WelcomeForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    elif getattr(error, "code", None) == "invalid_code":
        form.add_error("code", error.messages)
    else:  # password validators raise a plain list
        form.add_error("passphrase", error.messages)


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    organisations = selectors.led_organisations(request.user)
    if not organisations:
        policy.record_denied(request, "organisation page")
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisations": organisations,
            "share_form": ShareBarriersForm(),
            "figures_form": ShareCoachingFiguresForm(),
        },
    )


# --- sharing barriers with the area's convening (issue 13) ------------------------------


@login_required
@require_POST
def organisation_share_barriers(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A lead switches whether the organisation's shared barriers join the area's convening."""
    user = request.user
    assert isinstance(user, User)  # login_required
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(user, policy.Action.ORGANISATION_MANAGE, organisation, detail="share barriers")
    form = ShareBarriersForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no for sharing barriers across the area.")
        return redirect("accounts:organisation")
    services.organisation_share_barriers_set(
        actor=user, organisation=organisation, shares=form.cleaned_data["shares"]
    )
    if form.cleaned_data["shares"]:
        messages.success(request, "Shared barriers now join the system themes across the area.")
    else:
        messages.success(request, "Shared barriers are now used by your own conveners only.")
    return redirect("accounts:organisation")


# --- sharing coaching figures with the area's insight (issue 14) ----------------------------


@login_required
@require_POST
def organisation_share_coaching_figures(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A lead switches whether the organisation's coaching figures join the area's insight."""
    user = request.user
    assert isinstance(user, User)  # login_required
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(
        user, policy.Action.ORGANISATION_MANAGE, organisation, detail="share coaching figures"
    )
    form = ShareCoachingFiguresForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no for sharing coaching figures with the area.")
        return redirect("accounts:organisation")
    services.organisation_share_coaching_figures(
        actor=user, organisation=organisation, shares=form.cleaned_data["shares"]
    )
    if form.cleaned_data["shares"]:
        messages.success(
            request, "Your coaching figures now join the area's insight, without any names."
        )
    else:
        messages.success(request, "Your coaching figures now stay with you.")
    return redirect("accounts:organisation")
