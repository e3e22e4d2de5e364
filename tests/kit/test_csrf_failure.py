"""Issue 39, item 18: a form sent from a page opened before signing in again (in another tab) shows
a German page that keeps what was written — never Django's "403 Forbidden … DEBUG=True"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from schutznetz.cases.models import Task
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

TEXT = "Hausbesuch mit der Familienhilfe abstimmen, Termin vor den Ferien"


def test_a_stale_form_keeps_the_text_and_saves_nothing(db: Any) -> None:
    world = f.build_case_world()
    client = login(Client(enforce_csrf_checks=True), world.lead)
    form_url = f"/faelle/{world.case.pk}/aufgaben/"
    page = client.get(form_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    # Signed in again in another tab: a new CSRF secret; this tab still holds the old token.
    client.cookies["csrftoken"] = "x" * 32
    tasks = Task.objects.count()
    response = client.post(
        form_url,
        {
            "csrfmiddlewaretoken": token.group(1),
            "title": TEXT,
            "due_date": "2027-01-10",
            "password": "geheim 123",
        },
        HTTP_REFERER=f"http://testserver{form_url}",
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in body and TEXT in body
    assert "Forbidden" not in body and "DEBUG" not in body and "geheim 123" not in body
    assert f'href="http://testserver{form_url}"' in body  # back to the form, not to the POST address
    assert Task.objects.count() == tasks


def test_the_api_answers_in_german(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    user = f.make_user()
    login(client, user)
    response = client.post("/api/v1/cases/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] and "erneut senden" in response.json()["detail"]
