"""The application's URLs plus the hello-world view every measurement is compared with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hallo Welt", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), path("", include("schutznetz.urls"))]
