from __future__ import annotations

from django.urls import path

from schutznetz.crisis import views

app_name = "crisis"

urlpatterns = [
    path("faelle/<uuid:pk>/krise/", views.section, name="section"),
    path("faelle/<uuid:pk>/krise/neu/", views.create, name="create"),
    path("krisen/", views.crisis_list, name="list"),
    path("krisen/neu/", views.create_unknown, name="create_unknown"),
    path("krisen/<uuid:pk>/", views.board, name="board"),
    path("krisen/<uuid:pk>/stand/", views.board_state, name="board_state"),
    path("krisen/<uuid:pk>/rueckmeldung/", views.respond, name="respond"),
    path("krisen/<uuid:pk>/notruf/", views.emergency_call, name="emergency_call"),
    path("krisen/<uuid:pk>/sorgeberechtigte/", views.guardians_informed, name="guardians_informed"),
    path("krisen/<uuid:pk>/abschliessen/", views.close, name="close"),
    path("krisen/<uuid:pk>/fall/", views.join_case, name="join_case"),
]
