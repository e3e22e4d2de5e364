from __future__ import annotations

from django.urls import path

from schutznetz.network import views

app_name = "network"

urlpatterns = [
    path("netzwerk/", views.directory, name="directory"),
    path("netzwerk/organisationen/<int:pk>/", views.organisation_detail, name="organisation"),
    path("netzwerk/organisationen/<int:pk>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path(
        "netzwerk/organisationen/<int:pk>/kontaktwege/", views.contact_channel_add, name="contact_channel_add"
    ),
    path(
        "netzwerk/organisationen/<int:pk>/kontaktwege/<int:channel_pk>/entfernen/",
        views.contact_channel_remove,
        name="contact_channel_remove",
    ),
    path("netzwerk/organisationen/<int:pk>/einheiten/", views.unit_add, name="unit_add"),
    path("netzwerk/organisationen/<int:pk>/mitglieder/", views.membership_add, name="membership_add"),
    path(
        "netzwerk/organisationen/<int:pk>/mitglieder/<int:membership_pk>/",
        views.membership_update,
        name="membership_update",
    ),
    path(
        "netzwerk/organisationen/<int:pk>/mitglieder/<int:membership_pk>/beenden/",
        views.membership_end,
        name="membership_end",
    ),
    path("netzwerk/organisationen/<int:pk>/rufbereitschaft/", views.on_call_plan, name="on_call_plan"),
    path(
        "netzwerk/organisationen/<int:pk>/rufbereitschaft/<int:shift_pk>/stornieren/",
        views.on_call_shift_cancel,
        name="on_call_shift_cancel",
    ),
    path(
        "netzwerk/organisationen/<int:pk>/zustaendigkeit/",
        views.jurisdiction_area_add,
        name="jurisdiction_area_add",
    ),
    path("zustaendigkeit/", views.jurisdiction, name="jurisdiction"),
    path("netzwerk/vereinbarungen/", views.agreement_list, name="agreements"),
    path("wissen/", views.knowledge_search, name="knowledge"),
    path("wissen/neu/", views.knowledge_create, name="knowledge_create"),
    path("wissen/synonyme/", views.knowledge_synonyms, name="knowledge_synonyms"),
    path("wissen/synonyme/<int:pk>/bearbeiten/", views.knowledge_synonym_edit, name="knowledge_synonym_edit"),
    path(
        "wissen/synonyme/<int:pk>/entfernen/", views.knowledge_synonym_delete, name="knowledge_synonym_delete"
    ),
    path("wissen/<int:pk>/", views.knowledge_article, name="knowledge_article"),
    path(
        "wissen/<int:pk>/anhaenge/<int:attachment_pk>/",
        views.knowledge_attachment,
        name="knowledge_attachment",
    ),
    path("netzwerk/vereinbarungen/neu/", views.agreement_create, name="agreement_create"),
    path("netzwerk/vereinbarungen/<int:pk>/", views.agreement_detail, name="agreement"),
    path("netzwerk/vereinbarungen/<int:pk>/dokument/", views.agreement_document, name="agreement_document"),
    path("netzwerk/vereinbarungen/<int:pk>/zustimmen/", views.agreement_accept, name="agreement_accept"),
]
