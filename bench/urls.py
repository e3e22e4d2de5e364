"""The application's URLs plus the two baselines every measurement is compared with: hello-world
(the framework's own cost) and the empty layout of a signed-in user (what every page of the
application pays before its own work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from schutznetz.network.policy import active_memberships


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hallo Welt", content_type="text/plain")


LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Leeres Layout{% endblock %}'
    '{% block content %}<p class="kern-body">Mitgliedschaften: {{ memberships }}</p>{% endblock %}'
)


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    """The signed-in layout (navigation, footer) around one line, after reading the user's
    memberships as every page's access policy does."""
    return HttpResponse(LAYOUT.render({"memberships": len(active_memberships(request.user))}, request))


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/layout/", layout),
    path("", include("schutznetz.urls")),
]
