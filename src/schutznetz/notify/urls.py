from __future__ import annotations

from django.urls import path

from schutznetz.notify import views

app_name = "notify"

urlpatterns = [path("nachrichten/", views.inbox, name="inbox")]
