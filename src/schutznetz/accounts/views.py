from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from two_factor import views as two_factor_views
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm

from schutznetz.accounts import policy as account_policy
from schutznetz.accounts import queries, services
from schutznetz.accounts.authentication import usable
from schutznetz.accounts.forms import ApiTokenForm
from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.views import act
from schutznetz.network import policy


def _profile_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ApiTokenForm | None = None,
    new_token: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    tokens = [(t, usable(t, now)) for t in queries.api_tokens_of(request.user)]
    context = {
        "memberships": policy.active_memberships(request.user),
        "has_totp": user_has_device(request.user),
        "tokens": tokens,
        "token_form": form or ApiTokenForm(),
        "new_token": new_token,
        "token_lifetime": settings.API_TOKEN_LIFETIME_DAYS,
        "token_idle": settings.API_TOKEN_IDLE_DAYS,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _profile_page(request)


@login_required
@require_POST
@never_cache
def api_token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The new token is shown once, in this answer; it is never stored in clear."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _profile_page(request, new_token=issued.key)
    return _profile_page(request, form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = queries.api_token_of(request.user, pk)
    return act(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        success=f"Das API-Token „{token.name}“ wurde widerrufen.",
        then=reverse("accounts:profile"),
    )


_FIELD_LABELS = {
    "username": "Benutzername",
    "password": "Passwort",
    "otp_token": "Sicherheitscode",
    "token": "Sicherheitscode aus der Authenticator-App",
}
_FIELD_HELP = {
    "otp_token": "Sechsstelliger Code aus Ihrer Authenticator-App",
}


def _german_labels(form: Form) -> Form:
    for name, field in form.fields.items():
        if name in _FIELD_LABELS:
            field.label = _FIELD_LABELS[name]
        if name in _FIELD_HELP:
            field.help_text = _FIELD_HELP[name]
        if name in ("otp_token", "token"):
            field.widget.input_type = "text"  # a number spinner makes no sense for a code
            field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
    if hasattr(form, "otp_error_messages"):
        # The library swaps the token form class per device; its messages are replaced here.
        form.otp_error_messages = OTP_ERROR_MESSAGES
    return form


MSG_INVALID_LOGIN = (
    "Benutzername oder Passwort ist falsch. Beim Passwort zählt die Groß- und Kleinschreibung."
)
MSG_INACTIVE = "Dieses Benutzerkonto ist deaktiviert."


class SchutznetzAuthenticationForm(AuthenticationForm):
    error_messages = {"invalid_login": MSG_INVALID_LOGIN, "inactive": MSG_INACTIVE}


MSG_INVALID_TOKEN = (
    "Der Sicherheitscode ist ungültig oder abgelaufen. Bitte geben Sie den aktuellen Code aus Ihrer App ein."
)
MSG_TOKEN_THROTTLED = (
    "Nach %(failure_count)d Fehlversuchen ist die Prüfung des Sicherheitscodes kurz gesperrt. "
    "Bitte versuchen Sie es gleich noch einmal."
)


OTP_ERROR_MESSAGES = {
    **AuthenticationTokenForm.otp_error_messages,
    "token_required": "Bitte den Sicherheitscode eingeben.",
    "invalid_token": MSG_INVALID_TOKEN,
    "n_failed_attempts": MSG_TOKEN_THROTTLED,
    "verification_not_allowed": "Die Prüfung des Sicherheitscodes ist derzeit gesperrt.",
}


class LoginView(two_factor_views.LoginView):
    """Password, then (where enrolled) the TOTP code; German labels on the library's wizard."""

    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, SchutznetzAuthenticationForm),
        (two_factor_views.LoginView.TOKEN_STEP, AuthenticationTokenForm),
        (two_factor_views.LoginView.BACKUP_STEP, BackupTokenForm),
    )

    def get_form(self, step: str | None = None, **kwargs: Any) -> Form:
        return _german_labels(super().get_form(step, **kwargs))


MSG_SECOND_FACTOR_FIRST = (
    "Für dieses Konto ist bereits ein zweiter Faktor eingerichtet. Bitte melden Sie sich mit Passwort "
    "und Sicherheitscode an; danach können Sie unter „Mein Konto“ ein neues Gerät einrichten."
)


class SetupView(two_factor_views.SetupView):
    """Enrol the second factor; replacing it is for a session that was verified with the current one.

    The library only redirects a GET when a device exists; a POST from a password-only session would
    enrol a second device and verify the session with it. That is refused here, for every method.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not account_policy.may_enrol_second_factor(request):
            logout(request)
            messages.error(request, MSG_SECOND_FACTOR_FIRST)
            return redirect_to_login(reverse("accounts:profile"))
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_has_device(request.user):
            # Verified (see dispatch): the wizard starts, and the new device will replace the old one.
            # (The library would redirect; this is formtools' start of a wizard.)
            self.storage.reset()
            self.storage.current_step = self.steps.first
            restart: HttpResponseBase = self.render(self.get_form())
            return restart
        response: HttpResponseBase = super().get(request, *args, **kwargs)
        return response

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = super().done(form_list, **kwargs)
        services.second_factor_enrolled(user=self.request.user, device=self.request.user.otp_device)
        return response

    def get_form(self, step: str | None = None, **kwargs: Any) -> Form:
        return _german_labels(super().get_form(step, **kwargs))
