from __future__ import annotations

from django.urls import path

from schutznetz.outreach import views

app_name = "outreach"

urlpatterns = [
    path("sprechstunden/", views.hour_list, name="hours"),
    path("sprechstunden/neu/", views.hour_create, name="hour_create"),
    path("sprechstunden/<int:pk>/", views.hour_detail, name="hour"),
    path("sprechstunden/<int:pk>/antwort/", views.hour_answer, name="hour_answer"),
    path("sprechstunden/termine/<int:pk>/absagen/", views.booking_cancel, name="booking_cancel"),
    path("sprechstunden/termine/<int:pk>/ergebnis/", views.booking_outcome, name="booking_outcome"),
    path("sprechstunden/meine/", views.my_hours, name="my_hours"),
    path("hilfeangebote/", views.offer_list, name="offers"),
    path("hilfeangebote/neu/", views.offer_create, name="offer_create"),
    path("hilfeangebote/<int:pk>/", views.offer_detail, name="offer"),
    path("vermittlungen/", views.referral_list, name="referrals"),
    path("vermittlungen/<int:pk>/", views.referral_detail, name="referral"),
]
