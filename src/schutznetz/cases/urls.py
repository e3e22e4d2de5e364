from __future__ import annotations

from django.urls import path

from schutznetz.cases import views

app_name = "cases"

urlpatterns = [
    path("faelle/", views.case_list, name="list"),
    path("aufgaben/", views.task_list, name="tasks"),
    path("faelle/suche/", views.child_search, name="search"),
    path("faelle/neu/", views.case_create, name="create"),
    path("faelle/einladungen/", views.invitations, name="invitations"),
    path("faelle/einladungen/<int:pk>/", views.invitation_respond, name="invitation_respond"),
    path("faelle/<uuid:pk>/", views.case_detail, name="detail"),
    path("faelle/<uuid:pk>/aufgaben/", views.task_create, name="task_create"),
    path("faelle/<uuid:pk>/aufgaben/<int:task_pk>/erledigen/", views.task_complete, name="task_complete"),
    path("faelle/<uuid:pk>/aufgaben/<int:task_pk>/uebertragen/", views.task_reassign, name="task_reassign"),
    path("faelle/<uuid:pk>/beteiligte/", views.participation_invite, name="invite"),
    path("faelle/<uuid:pk>/beratungsergebnis/", views.advice_section, name="advice"),
    path("faelle/<uuid:pk>/sorgeberechtigte/", views.guardian_add, name="guardian_add"),
    path("faelle/<uuid:pk>/uebergabe/", views.handover_request, name="handover"),
    path("faelle/<uuid:pk>/uebergabe/<int:handover_pk>/", views.handover_respond, name="handover_respond"),
    path("faelle/<uuid:pk>/abschliessen/", views.case_close, name="close"),
    path("faelle/<uuid:pk>/doppelfall/<uuid:other_pk>/", views.duplicate_compare, name="duplicate"),
    path(
        "faelle/<uuid:pk>/doppelfall/<uuid:other_pk>/zusammenfuehren/",
        views.duplicate_join,
        name="duplicate_join",
    ),
    path(
        "faelle/<uuid:pk>/doppelfall/<uuid:other_pk>/kein-doppelfall/",
        views.duplicate_distinct,
        name="duplicate_distinct",
    ),
    path("faelle/<uuid:pk>/zusammenfuehrung/<int:join_pk>/aufheben/", views.join_undo, name="join_undo"),
    path("faelle/<uuid:pk>/protokoll/", views.case_audit, name="audit"),
    path("faelle/<uuid:pk>/protokoll/export.csv", views.case_audit_export, name="audit_export"),
    path("datenschutz/zugriffsprotokoll/", views.access_log_page, name="access_log"),
    path("datenschutz/zugriffsprotokoll/export.csv", views.access_log_export, name="access_log_export"),
]
