from __future__ import annotations

from django.urls import path

from schutznetz.medical import views

app_name = "medical"

urlpatterns = [
    path("faelle/<uuid:pk>/befunde/", views.section, name="section"),
    path("faelle/<uuid:pk>/befunde/neu/", views.record_create, name="record_create"),
    path("faelle/<uuid:pk>/befunde/zeile/", views.injury_row, name="injury_row"),
    path("faelle/<uuid:pk>/befunde/freigabe/", views.share, name="share"),
    path(
        "faelle/<uuid:pk>/befunde/freigabe/<int:share_pk>/beenden/", views.share_revoke, name="share_revoke"
    ),
    path("faelle/<uuid:pk>/befunde/gespraech/", views.family_talk, name="family_talk"),
    path(
        "faelle/<uuid:pk>/befunde/<int:record_pk>/diagnostik/", views.diagnostic_mark, name="diagnostic_mark"
    ),
    path("faelle/<uuid:pk>/befunde/beratung/", views.consultation_request, name="consultation_request"),
    path("faelle/<uuid:pk>/beratung/", views.consultation_section, name="consultation"),
    path(
        "faelle/<uuid:pk>/beratung/<int:consultation_pk>/antwort/",
        views.consultation_answer,
        name="consultation_answer",
    ),
    path("faelle/<uuid:pk>/mitteilung/", views.reports_section, name="reports_section"),
    path("faelle/<uuid:pk>/mitteilung/neu/", views.report_create, name="report_create"),
    path("mitteilungen/", views.report_list, name="reports"),
    path("mitteilungen/<uuid:report_pk>/", views.report_page, name="report"),
    path("mitteilungen/<uuid:report_pk>/mitteilung.pdf", views.report_pdf, name="report_pdf"),
    path("mitteilungen/<uuid:report_pk>/eingang/", views.report_acknowledge, name="report_acknowledge"),
    path("mitteilungen/<uuid:report_pk>/beteiligung/", views.report_involve, name="report_involve"),
    path("mitteilungen/<uuid:report_pk>/rueckmeldung/", views.report_feedback, name="report_feedback"),
    path("faelle/<uuid:pk>/befunde/<int:record_pk>/", views.record_detail, name="record"),
    path("faelle/<uuid:pk>/befunde/<int:record_pk>/korrektur/", views.record_correct, name="record_correct"),
    path("faelle/<uuid:pk>/befunde/<int:record_pk>/fotos/", views.photo_add, name="photo_add"),
    path("faelle/<uuid:pk>/befunde/<int:record_pk>/fotos/<uuid:photo_pk>/", views.photo, name="photo"),
]
