from __future__ import annotations

from django.urls import path

from schutznetz.welfare import views

app_name = "welfare"

urlpatterns = [
    path("meldungen/", views.intake_list, name="intakes"),
    path("meldungen/neu/", views.intake_create, name="intake_create"),
    path("meldungen/<uuid:pk>/", views.intake, name="intake"),
    path("meldungen/<uuid:pk>/erstkontakt/", views.intake_first_contact, name="intake_first_contact"),
    path("meldungen/<uuid:pk>/rueckmeldung/", views.intake_feedback, name="intake_feedback"),
    path("faelle/<uuid:pk>/gefaehrdungseinschaetzung/", views.assessment_section, name="assessment"),
    path(
        "faelle/<uuid:pk>/gefaehrdungseinschaetzung/neu/", views.assessment_create, name="assessment_create"
    ),
    path(
        "faelle/<uuid:pk>/gefaehrdungseinschaetzung/<int:version_pk>/unterzeichnen/",
        views.assessment_sign,
        name="assessment_sign",
    ),
    path("faelle/<uuid:pk>/schutz/", views.protection_section, name="protection"),
    path("faelle/<uuid:pk>/schutz/schutzplan/", views.safety_plan_create, name="safety_plan_create"),
    path(
        "faelle/<uuid:pk>/schutz/familiengericht/", views.court_referral_create, name="court_referral_create"
    ),
    path("faelle/<uuid:pk>/schutz/inobhutnahme/", views.care_taking_create, name="care_taking_create"),
    path(
        "faelle/<uuid:pk>/schutz/inobhutnahme/<int:care_pk>/fortschreiben/",
        views.care_taking_end,
        name="care_taking_end",
    ),
    path("faelle/<uuid:pk>/hilfeplan/", views.help_plan_section, name="help_plan"),
    path("faelle/<uuid:pk>/hilfeplan/neu/", views.help_plan_create, name="help_plan_create"),
    path(
        "faelle/<uuid:pk>/hilfeplan/<int:plan_pk>/fortschreiben/",
        views.help_plan_review,
        name="help_plan_review",
    ),
    path("faelle/<uuid:pk>/hilfeplan/<int:plan_pk>/klinik/", views.help_plan_clinic, name="help_plan_clinic"),
    path("faelle/<uuid:pk>/fallkonferenzen/", views.conference_section, name="conferences"),
    path("faelle/<uuid:pk>/fallkonferenzen/neu/", views.conference_create, name="conference_create"),
    path("fallkonferenzen/<uuid:pk>/", views.conference, name="conference"),
    path("fallkonferenzen/<uuid:pk>/protokoll/", views.conference_minutes, name="conference_minutes"),
    path("fallkonferenzen/<uuid:pk>/protokoll.pdf", views.conference_pdf, name="conference_pdf"),
    path("fallkonferenzen/<uuid:pk>/einladung.ics", views.conference_ics, name="conference_ics"),
    path(
        "fallkonferenzen/<uuid:pk>/gaeste/<int:attendee_pk>/beenden/",
        views.conference_guest_end,
        name="conference_guest_end",
    ),
    path("faelle/<uuid:pk>/wegzug/", views.move_section, name="moves"),
    path("faelle/<uuid:pk>/wegzug/neu/", views.move_create, name="move_create"),
    path("uebergaben/<uuid:pk>/", views.move, name="move"),
    path("uebergaben/<uuid:pk>/uebernehmen/", views.move_accept, name="move_accept"),
    path("uebergaben/<uuid:pk>/ablehnen/", views.move_decline, name="move_decline"),
]
