from __future__ import annotations

from django.urls import path

from schutznetz.welfare import views

app_name = "welfare"

urlpatterns = [
    path("meldungen/", views.intake_list, name="intakes"),
    path("meldungen/neu/", views.intake_create, name="intake_create"),
    path("meldungen/<uuid:pk>/", views.intake, name="intake"),
    path("meldungen/<uuid:pk>/erstkontakt/", views.intake_first_contact, name="intake_first_contact"),
    path("faelle/<uuid:pk>/gefaehrdungseinschaetzung/", views.assessment_section, name="assessment"),
    path(
        "faelle/<uuid:pk>/gefaehrdungseinschaetzung/neu/", views.assessment_create, name="assessment_create"
    ),
    path(
        "faelle/<uuid:pk>/gefaehrdungseinschaetzung/<int:version_pk>/unterzeichnen/",
        views.assessment_sign,
        name="assessment_sign",
    ),
]
