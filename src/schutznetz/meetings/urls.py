from __future__ import annotations

from django.urls import path

from schutznetz.meetings import views

app_name = "meetings"

urlpatterns = [
    path("treffen/", views.meeting_list, name="list"),
    path("treffen/neu/", views.meeting_create, name="create"),
    path("treffen/einladbar/", views.invitables, name="invitables"),
    path("treffen/<int:pk>/", views.meeting_detail, name="detail"),
    path("treffen/<int:pk>/antwort/", views.meeting_respond, name="respond"),
    path("treffen/<int:pk>/verlegen/", views.meeting_reschedule, name="reschedule"),
    path("treffen/<int:pk>/absagen/", views.meeting_cancel, name="cancel"),
    path("treffen/<int:pk>/anwesenheit/", views.meeting_attendance, name="attendance"),
    path("treffen/<int:pk>/einladen/", views.meeting_invite, name="invite"),
    path("treffen/<int:pk>/protokoll/", views.meeting_minutes, name="minutes"),
    path("treffen/<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("treffen/<int:pk>/kalender.ics", views.meeting_ics, name="ics"),
    path("treffen/<int:pk>/aufgaben/", views.action_item_create, name="action_item_create"),
    path(
        "treffen/<int:pk>/aufgaben/<int:task_pk>/erledigt/",
        views.action_item_complete,
        name="action_item_complete",
    ),
]
