from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import path

from schutznetz.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/two_factor/setup/", views.SetupView.as_view(), name="setup"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("konto/", views.profile, name="profile"),
    path("konto/api-token/", views.api_token_create, name="api_token_create"),
    path("konto/api-token/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"),
]
