"""Views every app shares: the health check, error pages, and the step from a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schutznetz.kit import health
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.signals import service_refused

T = TypeVar("T")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str,
    then: Callable[[T], str],
    invalid: Callable[[], HttpResponse],
) -> HttpResponse:
    """Validate ``form``, run the service ``call(form.cleaned_data)``, say ``success`` and redirect to
    ``then(result)``. A form error or a service's ``ValidationError`` (shown on the form) renders
    ``invalid()`` instead, which shows the form again with status 400."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            service_refused.send(sender=submit, request=request, error=error)
        else:
            messages.success(request, success)
            return redirect(then(result))
    return invalid()


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    template: str,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str,
    then: Callable[[T], str],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page with one form: GET shows it, POST runs the service as ``submit`` does."""

    def page(status: int = 200) -> HttpResponse:
        return render(request, template, {"form": form, **(context or {})}, status=status)

    if request.method != "POST":
        return page()
    return submit(request, form, call, success=success, then=then, invalid=lambda: page(status=400))


def act(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    success: str,
    then: str,
    failed: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """A button without a form (accept, cancel, end): run the service, say what happened or why not,
    and go back to ``then`` (or, where the service refused and ``failed`` is given, render that)."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if failed is not None:
            return failed()
    else:
        messages.success(request, success)
    return redirect(then)


def download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A generated document (PDF, iCalendar) as a download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stored_file(file: Any, *, content_type: str, filename: str, as_attachment: bool = True) -> FileResponse:
    """An uploaded file from storage (signed agreement, attachment) as a download."""
    return FileResponse(
        file.open("rb"), content_type=content_type, filename=filename, as_attachment=as_attachment
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers ask here: 200 when the database answers, 503 when it does not. Alarms of the
    apps' checks (``kit.health``) set ``"status": "alarm"`` for the monitoring, still with 200."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    alarms = health.alarms()
    if alarms:
        return JsonResponse({"status": "alarm", "database": "ok", "alarms": alarms})
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": title}, status=status)
    return render(request, "kit/error.html", {"title": title, "text": text, "status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Ungültige Anfrage.", "Die Anfrage konnte nicht verarbeitet werden.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "Keine Berechtigung.",
        str(exception) if exception and str(exception) else "Für diese Aktion fehlt Ihnen die Berechtigung.",
    )


# Fields never shown back: secrets and the token that failed.
_NOT_SHOWN_BACK = ("password", "csrfmiddlewaretoken", "token", "otp")


def _form_page(request: HttpRequest) -> str:
    """The page the form was on (the referring page of this site), else the address it was sent to."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that was open before the session changed (signed in again in another
    tab, signed out, session expired): a German page instead of Django's, with what was entered shown
    back for copying — nothing is saved, and nothing is sent again from here, since the request may
    come from another site."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "CSRF-Prüfung fehlgeschlagen: bitte die Seite neu laden und erneut senden."},
            status=403,
        )
    # What a person wrote (texts), not the choices and ids of the form, which are quickly redone.
    entered = [
        value.strip()
        for name, values in request.POST.lists()
        if not any(part in name.lower() for part in _NOT_SHOWN_BACK)
        for value in values
        if " " in value.strip() or len(value.strip()) > 30
    ]
    context = {
        "title": "Das Formular ist abgelaufen",
        "entered": entered,
        "form_url": _form_page(request),
    }
    return render(request, "kit/csrf_failure.html", context, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, "Nicht gefunden.", "Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Interner Fehler."}, status=500)
    # No template context processors here: the error may come from them.
    from django.template.loader import get_template

    return HttpResponse(get_template("kit/500.html").render(), status=500)
